import type { AlertView } from '@cr/shared';
import type { SilenceRecord } from '../../store/notification-records';

/** When a silence stops quieting: when it runs out, or earlier when a person ended it. */
export const silenceEnd = (s: SilenceRecord): number => Math.min(s.endsAt, s.endedAt ?? Infinity);

/** Whether the silence covers the alert's site, device and type (whatever the time). */
export function silenceMatches(s: SilenceRecord, a: Pick<AlertView, 'siteId' | 'deviceId' | 'type'>): boolean {
  if (s.siteId !== a.siteId) return false;
  if (s.deviceId !== undefined && s.deviceId !== a.deviceId) return false;
  return s.types === undefined || s.types.includes(a.type);
}

/** Whether the silence is in force at `at`. */
export const silenceActive = (s: SilenceRecord, at: number): boolean => s.startsAt <= at && at < silenceEnd(s);

/**
 * Whether a maintenance window is open at the site for the device now: a silence of the whole site
 * (or of that device) for every alert type, the time planned for work there (firmware of doors).
 */
export const maintenanceOpen = (silences: readonly SilenceRecord[], siteId: string, deviceId: string, now: number): boolean =>
  silences.some((s) => s.siteId === siteId && (s.deviceId === undefined || s.deviceId === deviceId) && s.types === undefined && silenceActive(s, now));

/** The silence in force now that covers the alert, the one ending last when several do. */
export function activeSilenceOf(silences: readonly SilenceRecord[], a: AlertView, now: number): SilenceRecord | undefined {
  let found: SilenceRecord | undefined;
  for (const s of silences)
    if (silenceMatches(s, a) && silenceActive(s, now) && (!found || silenceEnd(s) > silenceEnd(found))) found = s;
  return found;
}

/**
 * Whether an alert raised under a silence that is now over no longer needs telling: a person has
 * acknowledged or resolved it meanwhile. One still open when the silence ends is notified then.
 */
export function seenDuringSilence(silences: readonly SilenceRecord[], a: AlertView): boolean {
  return a.state !== 'open' && silences.some((s) => silenceMatches(s, a) && silenceActive(s, a.raisedAt));
}

/** Alert types about one device that a site-wide outage explains, and that arrive in bursts. */
export const DEVICE_LEVEL_TYPES: ReadonlySet<string> = new Set(['device.offline', 'device.flapping', 'device.fault']);

/**
 * How long a device-level alert's first notification waits before it is sent, so the outage that
 * explains it (the site going offline) or the burst it belongs to can be recognised first.
 */
export const GROUP_WAIT_MS = 30_000;

/** Device-level alerts of one type at one site raised this close after another are one burst: one notification. */
export const GROUP_WINDOW_MS = 60_000;

/** How far before a site.offline alarm a device going offline counts as part of the same outage. */
export const OUTAGE_LEAD_MS = 120_000;

/** The spans in which an alert's cause was present: from its raise (and each return) to each clear. */
function causeSpans(a: AlertView, now: number): Array<[number, number]> {
  const spans: Array<[number, number]> = [];
  let start: number | undefined = a.raisedAt;
  for (const m of [...a.causes].sort((x, y) => x.at - y.at)) {
    if (m.state === 'cleared' && start !== undefined) {
      spans.push([start, m.at]);
      start = undefined;
    } else if (m.state === 'active' && start === undefined) start = m.at;
  }
  if (start !== undefined) spans.push([start, now]);
  return spans;
}

/**
 * Why a device-level alert is not notified on its own (Alertmanager's inhibition and grouping), or
 * undefined when it is: its site was offline when it was raised (the site.offline alarm told
 * everyone), or it belongs to a burst of the same type at the site whose first alert is notified.
 */
export function inhibitionOf(a: AlertView, siteAlerts: readonly AlertView[], now: number): string | undefined {
  if (!DEVICE_LEVEL_TYPES.has(a.type)) return undefined;
  for (const o of siteAlerts) {
    if (o.type !== 'site.offline' || o.siteId !== a.siteId) continue;
    if (causeSpans(o, now).some(([from, to]) => from - OUTAGE_LEAD_MS <= a.raisedAt && a.raisedAt <= to))
      return `the site was offline (alert ${o.id}): that alarm was notified instead`;
  }
  const first = burstStartOf(a, siteAlerts);
  return first ? `grouped with alert ${first.id} of the same site (${a.type} within ${GROUP_WINDOW_MS / 1000} s)` : undefined;
}

/**
 * The first alert of the burst `a` belongs to, when that is another alert. Bursts are cut from the
 * site's alerts of the same type in raise order: each starts a window of GROUP_WINDOW_MS, so a
 * steady trickle still gives one notification per window, never one per device and never none.
 */
function burstStartOf(a: AlertView, siteAlerts: readonly AlertView[]): AlertView | undefined {
  const same = siteAlerts
    .filter((o) => o.type === a.type && o.siteId === a.siteId && o.raisedAt <= a.raisedAt)
    .sort((x, y) => x.raisedAt - y.raisedAt || (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
  let start: AlertView | undefined;
  for (const o of same) {
    if (!start || o.raisedAt - start.raisedAt > GROUP_WINDOW_MS) start = o;
    if (o.id === a.id) break;
  }
  return start && start.id !== a.id ? start : undefined;
}
