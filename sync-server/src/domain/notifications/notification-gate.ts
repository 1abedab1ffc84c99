import { listAlerts, siteDocName, type AlertView } from '@cr/shared';
import type { SilenceRecord } from '../../store/notification-records';
import type { OutboxEntry } from '../../store/notification-outbox-store';
import type { AlertSource } from './alert-notifier';
import { activeSilenceOf, inhibitionOf, silenceEnd } from './quiet';

/** What the worker does with a due notification: send it, cancel it (saying why), or hold it back. */
export type GateDecision = { send: true } | { cancel: string } | { postponeUntil: number };

const SEND: GateDecision = { send: true };

/**
 * The last look before a notification goes out, against the alert as it is now: an escalation of
 * an alert someone acknowledged is cancelled; one a silence now covers waits for the silence to
 * end; a device-level alert explained by its site's outage, or part of a burst, is cancelled
 * (its delivery log says which alarm was notified instead).
 */
export function gateDecision(n: OutboxEntry, siteAlerts: readonly AlertView[], silences: readonly SilenceRecord[], now: number): GateDecision {
  const alert = siteAlerts.find((a) => a.id === n.alertId);
  if (n.event === 'escalation' && alert?.state !== 'open') return { cancel: 'the alert was acknowledged or resolved in time' };
  if (!alert || n.event === 'resolved') return SEND;
  const silence = activeSilenceOf(silences, alert, now);
  if (silence) return { postponeUntil: silenceEnd(silence) };
  if (n.event === 'raised') {
    const inhibited = inhibitionOf(alert, siteAlerts, now);
    if (inhibited) return { cancel: inhibited };
  }
  return SEND;
}

/** The gate of one cloud instance: reads the site's alerts from its document and the tenant's silences. */
export function notificationGate(d: {
  docs: AlertSource;
  silences: (tenantId: string) => Promise<SilenceRecord[]>;
  now?: () => number;
}): (n: OutboxEntry) => Promise<GateDecision> {
  return async (n) => {
    const [alerts, silences] = await Promise.all([d.docs.read(siteDocName(n.tenantId, n.siteId), listAlerts), d.silences(n.tenantId)]);
    return gateDecision(n, alerts, silences, (d.now ?? Date.now)());
  };
}
