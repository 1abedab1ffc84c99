import { createHash, createHmac, hkdfSync } from 'node:crypto';
import { seal, unseal } from '../secrets';

/**
 * Webhook secrets at rest: sealed (AES-256-GCM) under a key derived from the installation's master
 * key for this purpose only, bound to the tenant and channel. Threat: a copy of the database (a
 * backup, a stolen volume) letting someone sign forged alerts that a receiver would trust.
 */
export class ChannelSecrets {
  private readonly key: Buffer;

  constructor(masterKey: Buffer) {
    this.key = Buffer.from(hkdfSync('sha256', masterKey, Buffer.alloc(0), 'notification-channel-secret', 32));
  }

  seal(tenantId: string, channelId: string, secret: string): Buffer {
    return seal(this.key, Buffer.from(secret, 'utf8'), context(tenantId, channelId));
  }

  open(tenantId: string, channelId: string, sealed: Buffer): string {
    return unseal(this.key, sealed, context(tenantId, channelId)).toString('utf8');
  }
}

const context = (tenantId: string, channelId: string) => `notification-secret\0${tenantId}\0${channelId}`;

/** What the API shows for a secret: a fingerprint an admin can compare, which reveals nothing of it. */
export const secretHint = (secret: string): string =>
  `sha256:${createHash('sha256').update(secret, 'utf8').digest('hex').slice(0, 8)}`;

/** `X-Signature` of CONTRACT §7: `sha256=` + hex HMAC-SHA256 of the raw body with the channel's secret. */
export const signBody = (secret: string, body: string): string =>
  `sha256=${createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`;
