import type { ChannelRecord } from '../../store/notification-records';
import { alertText, failureReason, type ChannelSender, type Delivery, type SendResult } from './channel-sender';

/**
 * Text messages (KakaoTalk AlimTalk or plain SMS) through the provider's HTTP API at
 * `--sms-provider-url`: one JSON `POST` per notification with the provider's API key
 * (CR_SMS_API_KEY) as a bearer token and the notification id as `Idempotency-Key`, so the provider
 * sends a retried request once. Body: `{ channel, to, text, reference }`; any 2xx is accepted.
 */
export class SmsSender implements ChannelSender {
  constructor(
    private readonly providerUrl: string,
    private readonly apiKey: string | undefined,
    private readonly timeoutMs = 5_000,
  ) {}

  async send(channel: ChannelRecord, d: Delivery): Promise<SendResult> {
    if (channel.target.kind !== 'sms') return { ok: false, error: 'not a text-message channel' };
    const { text } = alertText(d);
    try {
      const res = await fetch(this.providerUrl, {
        method: 'POST',
        redirect: 'manual',
        headers: {
          'content-type': 'application/json',
          'idempotency-key': d.id,
          ...(this.apiKey ? { authorization: `Bearer ${this.apiKey}` } : {}),
        },
        body: JSON.stringify({ channel: channel.target.provider, to: channel.target.to, text, reference: d.id }),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      await res.body?.cancel().catch(() => undefined);
      return res.status >= 200 && res.status < 300 ? { ok: true, statusCode: res.status } : { ok: false, statusCode: res.status };
    } catch (err) {
      return { ok: false, error: failureReason(err, this.timeoutMs) };
    }
  }
}
