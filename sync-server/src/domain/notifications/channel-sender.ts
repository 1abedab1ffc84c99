import type { ChannelRecord, NotificationEvent } from '../../store/notification-records';

/** What one delivery attempt carries. */
export interface Delivery {
  /** the outbox row's id: the `Idempotency-Key` of every attempt */
  id: string;
  event: NotificationEvent;
  /** the exact JSON body (CONTRACT §7 fields) */
  body: string;
}

/** How an attempt went: accepted (2xx, 250), or the status the endpoint answered, or why there was no answer. */
export interface SendResult {
  ok: boolean;
  statusCode?: number;
  error?: string;
}

/** Sends one notification over one kind of channel. */
export interface ChannelSender {
  send(channel: ChannelRecord, delivery: Delivery, secret: string | undefined): Promise<SendResult>;
}

/** Why a request got no answer, in one short line for the delivery log (never the URL, which may hold a token). */
export function failureReason(err: unknown, timeoutMs: number): string {
  const e = err as { name?: string; message?: string; code?: string; cause?: { code?: string; message?: string } };
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError') return `no answer within ${timeoutMs} ms`;
  const code = e?.cause?.code ?? e?.code;
  const message = e?.cause?.message ?? e?.message ?? 'failed';
  return (code ? `${code}: ${message}` : message).slice(0, 300);
}

/** A readable summary of an alert notification for people (e-mail, text message). */
export function alertText(d: Delivery): { subject: string; text: string } {
  const a = JSON.parse(d.body) as { alertId: string; siteId: string; type: string; severity: string; state: string; raisedAt: number };
  const what = d.event === 'escalation' ? 'still open' : d.event === 'resolved' ? 'resolved' : 'raised';
  const subject = `[${a.severity}] ${a.type} at ${a.siteId}: ${what}`;
  const text = [
    subject,
    `alert: ${a.alertId}`,
    `state: ${a.state}`,
    `raised at: ${new Date(a.raisedAt).toISOString()}`,
  ].join('\n');
  return { subject, text };
}
