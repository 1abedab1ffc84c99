import type { ChannelRecord } from '../../store/notification-records';
import { signBody } from './channel-secrets';
import { failureReason, type ChannelSender, type Delivery, type SendResult } from './channel-sender';

/**
 * The webhook of CONTRACT §7: `POST` of the exact body, `Idempotency-Key` (the same on every
 * retry) and `X-Signature` over the raw body. Redirects are not followed: a 3xx counts as a failure.
 * Threat: a receiver (or someone on its path) steering signed alerts to another address.
 */
export class WebhookSender implements ChannelSender {
  constructor(private readonly timeoutMs = 5_000) {}

  async send(channel: ChannelRecord, d: Delivery, secret: string | undefined): Promise<SendResult> {
    if (channel.target.kind !== 'webhook') return { ok: false, error: 'not a webhook channel' };
    if (secret === undefined) return { ok: false, error: 'the channel has no secret' };
    try {
      const res = await fetch(channel.target.url, {
        method: 'POST',
        redirect: 'manual',
        headers: {
          'content-type': 'application/json',
          'idempotency-key': d.id,
          'x-signature': signBody(secret, d.body),
          'x-notification-event': d.event,
          'user-agent': 'control-room-cloud/1 notifications',
        },
        body: d.body,
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      // The answer's body is not needed; dropping it frees the connection.
      await res.body?.cancel().catch(() => undefined);
      return res.status >= 200 && res.status < 300 ? { ok: true, statusCode: res.status } : { ok: false, statusCode: res.status };
    } catch (err) {
      return { ok: false, error: failureReason(err, this.timeoutMs) };
    }
  }
}
