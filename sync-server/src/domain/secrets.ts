import { createHmac, hkdfSync } from 'node:crypto';
import { join } from 'node:path';
import { loadOrCreateKeyFile } from '@cr/store-kit';

/** A random secret of this installation, created once in the data directory (mode 0600). */
export function loadOrCreateSecret(dataDir: string, name: string): Buffer {
  return loadOrCreateKeyFile(join(dataDir, `${name}.secret`));
}

/** Environment variable that may hold the master key (base64 or base64url of 32 bytes). */
export const SECRETS_KEY_ENV = 'CR_SECRETS_KEY';

export class SecretsKeyError extends Error {}

/**
 * The master key that wraps every tenant's data key: `explicit` (the `--secrets-key` flag), else
 * `CR_SECRETS_KEY`, else `master-key.secret` in the data directory, created at first start (0600).
 * A key kept outside the data directory means a copy of the directory alone (a backup, a stolen
 * disk image of the data volume) reveals no member; the file is the zero-setup default.
 */
export function loadMasterKey(dataDir: string, explicit = process.env[SECRETS_KEY_ENV]): Buffer {
  if (explicit === undefined || explicit === '') return loadOrCreateSecret(dataDir, 'master-key');
  const key = Buffer.from(explicit.trim(), 'base64url');
  if (key.length !== 32) throw new SecretsKeyError('the secrets key must be 32 bytes in base64 or base64url');
  return key;
}

export { seal, unseal } from '@cr/store-kit';

/** The keys one tenant's data is protected with, each derived from its data key for one purpose only. */
export interface TenantSecrets {
  /** encrypts member records */
  readonly bodyKey: Buffer;
  /** keys the credential index: equal credentials give equal tags, which reveal nothing of the value */
  readonly indexKey: Buffer;
}

export function tenantSecrets(dataKey: Buffer): TenantSecrets {
  const derive = (purpose: string) => Buffer.from(hkdfSync('sha256', dataKey, Buffer.alloc(0), purpose, 32));
  return { bodyKey: derive('member-body'), indexKey: derive('credential-index') };
}

/** The credential index tag: HMAC of `type:value`, so the table lists no card number or PIN. */
export const credentialTag = (s: TenantSecrets, c: { type: string; value: string }): Buffer =>
  createHmac('sha256', s.indexKey).update(`${c.type}:${c.value}`).digest().subarray(0, 16);
