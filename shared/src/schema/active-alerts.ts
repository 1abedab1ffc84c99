import type * as Y from 'yjs';
import { z } from 'zod';
import { idSchema } from '../ids';
import { alertTypeSchema, severitySchema, SEVERITY_RANK, ALERT_CATEGORIES } from './alert-types';
import type { AlertView } from './alerts';

/** Root map of the tenant document holding every site's unresolved alerts. */
export const ACTIVE_ALERTS_MAP = 'activeAlerts';

/**
 * Most alerts one site contributes to the tenant-wide feed: a gateway raising thousands cannot
 * bloat the document every console follows. The most urgent are kept (critical and unacknowledged
 * first); the site's status still counts all of them.
 */
export const FEED_ALERTS_PER_SITE = 200;

/**
 * One unresolved alert of a site, as the tenant-wide feed carries it: enough to show the row and to
 * sound a critical alarm at once, whatever site it is at. The full history (acks, notes, causes)
 * stays in the site's document, which the console opens when someone acts on it.
 */
export const activeAlertSchema = z.object({
  id: z.string().min(1).max(256),
  siteId: idSchema,
  type: alertTypeSchema,
  category: z.enum(ALERT_CATEGORIES),
  severity: severitySchema,
  state: z.enum(['open', 'acknowledged']),
  raisedAt: z.number().int().nonnegative(),
  causeCleared: z.boolean(),
  /** when the cause last cleared, while it stays cleared */
  clearedAt: z.number().int().nonnegative().optional(),
  deviceId: idSchema.optional(),
  zoneId: idSchema.optional(),
  message: z.string().max(500).optional(),
});
export type ActiveAlert = z.infer<typeof activeAlertSchema>;

const keyOf = (siteId: string, alertId: string): string => `${siteId}|${alertId}`;

/** The feed entry of an alert, or nothing once it is resolved. */
export function activeAlertOf(a: AlertView): ActiveAlert | undefined {
  if (a.state === 'resolved') return undefined;
  const entry: ActiveAlert = {
    id: a.id,
    siteId: a.siteId,
    type: a.type,
    category: a.category,
    severity: a.severity,
    state: a.state,
    raisedAt: a.raisedAt,
    causeCleared: a.causeCleared,
  };
  if (a.causeCleared && a.clearedAt !== undefined) entry.clearedAt = a.clearedAt;
  if (a.deviceId) entry.deviceId = a.deviceId;
  if (a.zoneId) entry.zoneId = a.zoneId;
  if (a.message) entry.message = a.message;
  return entry;
}

const urgency = (a: ActiveAlert): number => SEVERITY_RANK[a.severity] * 2 + (a.state === 'open' ? 0 : 1);

/** The site's entries for the feed: unresolved, most urgent first, at most FEED_ALERTS_PER_SITE. */
export function feedEntriesOf(siteId: string, alerts: readonly AlertView[]): ActiveAlert[] {
  return alerts
    .filter((a) => a.siteId === siteId)
    .map(activeAlertOf)
    .filter((a): a is ActiveAlert => a !== undefined)
    .sort((a, b) => urgency(a) - urgency(b) || b.raisedAt - a.raisedAt || a.id.localeCompare(b.id))
    .slice(0, FEED_ALERTS_PER_SITE);
}

const same = (a: ActiveAlert, b: ActiveAlert): boolean =>
  a.state === b.state &&
  a.causeCleared === b.causeCleared &&
  a.clearedAt === b.clearedAt &&
  a.severity === b.severity &&
  a.type === b.type &&
  a.category === b.category &&
  a.raisedAt === b.raisedAt &&
  a.deviceId === b.deviceId &&
  a.zoneId === b.zoneId &&
  a.message === b.message;

/** Every valid entry of the feed; an entry whose key does not match its content is ignored. */
export function readActiveAlerts(doc: Y.Doc): ActiveAlert[] {
  const out: ActiveAlert[] = [];
  doc.getMap(ACTIVE_ALERTS_MAP).forEach((v, k) => {
    const r = activeAlertSchema.safeParse(v);
    if (r.success && k === keyOf(r.data.siteId, r.data.id)) out.push(r.data);
  });
  return out;
}

/**
 * Makes the feed hold exactly `entries` for the site: new and changed entries written, the site's
 * others (resolved, or pushed out by more urgent ones) deleted. Nothing is written when nothing a
 * console shows changed. Returns the number of writes.
 */
export function setSiteActiveAlerts(doc: Y.Doc, siteId: string, entries: readonly ActiveAlert[]): number {
  const map = doc.getMap(ACTIVE_ALERTS_MAP);
  const wanted = new Map(entries.filter((e) => e.siteId === siteId).map((e) => [keyOf(siteId, e.id), e]));
  const stale: string[] = [];
  map.forEach((v, k) => {
    if (!k.startsWith(`${siteId}|`)) return;
    const want = wanted.get(k);
    const cur = activeAlertSchema.safeParse(v);
    if (!want) stale.push(k);
    else if (cur.success && same(cur.data, want)) wanted.delete(k);
  });
  let writes = 0;
  doc.transact(() => {
    for (const k of stale) {
      map.delete(k);
      writes++;
    }
    for (const [k, e] of wanted) {
      map.set(k, activeAlertSchema.parse(e));
      writes++;
    }
  });
  return writes;
}
