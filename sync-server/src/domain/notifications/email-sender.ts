import nodemailer, { type Transporter } from 'nodemailer';
import type { ChannelRecord } from '../../store/notification-records';
import { alertText, failureReason, type ChannelSender, type Delivery, type SendResult } from './channel-sender';

/** Default sender address when the cloud has no `--smtp-from`. */
export const DEFAULT_SMTP_FROM = 'control-room@localhost';

/**
 * E-mail channels over the cloud's SMTP relay (`--smtp-url`). The notification's id is the
 * message's Message-ID and Idempotency-Key header, so a retried message can be recognised.
 */
export class EmailSender implements ChannelSender {
  private readonly transport: Transporter;

  constructor(
    smtpUrl: string,
    private readonly from = DEFAULT_SMTP_FROM,
    private readonly timeoutMs = 5_000,
  ) {
    const url = new URL(smtpUrl);
    this.transport = nodemailer.createTransport({
      host: url.hostname,
      port: Number(url.port || (url.protocol === 'smtps:' ? 465 : 587)),
      secure: url.protocol === 'smtps:',
      ...(url.username ? { auth: { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } } : {}),
      connectionTimeout: timeoutMs,
      greetingTimeout: timeoutMs,
      socketTimeout: timeoutMs,
    });
  }

  async send(channel: ChannelRecord, d: Delivery): Promise<SendResult> {
    if (channel.target.kind !== 'email') return { ok: false, error: 'not an e-mail channel' };
    const { subject, text } = alertText(d);
    try {
      const info = (await this.transport.sendMail({
        from: this.from,
        to: channel.target.to,
        subject,
        text: `${text}\n\n${d.body}\n`,
        messageId: `<${d.id}@control-room>`,
        headers: { 'Idempotency-Key': d.id, 'X-Notification-Event': d.event },
      })) as { response?: string };
      return { ok: true, statusCode: Number(/^(\d{3})/.exec(info.response ?? '')?.[1] ?? 250) };
    } catch (err) {
      const code = (err as { responseCode?: number }).responseCode;
      return { ok: false, ...(code ? { statusCode: code } : {}), error: failureReason(err, this.timeoutMs) };
    }
  }

  close(): void {
    this.transport.close();
  }
}
