import type * as Y from 'yjs';
import { z } from 'zod';
import { idSchema } from '../ids';
import { alertTypeSchema, severitySchema, alertCategory, alertLatch, type AlertCategory, type AlertLatch } from './alert-types';

/**
 * Alerts in a Yjs document. Every action is an insert under a unique key in a root-level map, so
 * concurrent actions on different replicas (an HQ ack and an offline site-manager ack) all
 * survive a merge; nothing is ever one overwritten key. The state is derived:
 * resolved wins over acknowledged wins over open.
 */
export const ALERT_MAPS = {
  alerts: 'alerts',
  acks: 'alertAcks',
  notes: 'alertNotes',
  assignments: 'alertAssignments',
  resolutions: 'alertResolutions',
  /** the cause's own state over time: cleared (a forced door closed, a device came back) or active again */
  causes: 'alertCauses',
} as const;

const actor = z.string().min(1).max(200);
/** where an action was taken: `hq`, `lan`, `edge`, `cloud`… */
const where = z.string().min(1).max(100);
const ts = z.number().int().nonnegative();

/** The immutable facts of an alert, written once when it is raised. */
export const alertRaiseSchema = z.object({
  id: z.string().min(1).max(256),
  siteId: idSchema,
  type: alertTypeSchema,
  severity: severitySchema,
  raisedAt: ts,
  deviceId: idSchema.optional(),
  zoneId: idSchema.optional(),
  message: z.string().max(500).optional(),
  /** who raised it: `edge` or `cloud` */
  source: z.string().max(40),
});
export type AlertRaise = z.infer<typeof alertRaiseSchema>;

export const ackSchema = z.object({ by: actor, at: ts, where });
export type Ack = z.infer<typeof ackSchema>;
export const noteSchema = z.object({ id: z.string().min(1).max(128), by: actor, at: ts, where, text: z.string().min(1).max(2000) });
export type Note = z.infer<typeof noteSchema>;
export const assignmentSchema = z.object({ to: actor, by: actor, at: ts });
export type Assignment = z.infer<typeof assignmentSchema>;
export const resolutionSchema = z.object({ by: actor, at: ts, where, reason: z.string().max(500).optional() });
export type Resolution = z.infer<typeof resolutionSchema>;

/**
 * The cause of an alert clearing, or coming back while the alert is still unresolved. It never
 * changes the alert's state: only a person resolves an alarm (latching, CONTRACT §7).
 */
export const causeMarkSchema = z.object({ state: z.enum(['cleared', 'active']), by: actor, at: ts, reason: z.string().max(500).optional() });
export type CauseMark = z.infer<typeof causeMarkSchema>;

export type AlertState = 'open' | 'acknowledged' | 'resolved';

/** An alert as every view shows it, assembled from its entries. */
export interface AlertView extends AlertRaise {
  category: AlertCategory;
  state: AlertState;
  acks: Ack[];
  notes: Note[];
  /** the latest assignment, if any */
  assignee?: string;
  assignments: Assignment[];
  resolutions: Resolution[];
  /** when the cause cleared or came back, oldest first */
  causes: CauseMark[];
  /** the cause is gone (the latest mark says cleared): the alarm waits for a person to resolve it */
  causeCleared: boolean;
  /** when the cause last cleared, while it is cleared */
  clearedAt?: number;
  /** when it became resolved (by a person, or acknowledged after its cause cleared where the type allows) */
  resolvedAt?: number;
}

/**
 * Resolved wins over acknowledged wins over open. An alarm whose type latches until acknowledged
 * (`latch: 'ack'`) is resolved once its cause cleared and a person acknowledged it.
 */
export function deriveAlertState(acks: readonly unknown[], resolutions: readonly unknown[], latch: AlertLatch = 'resolve', causeCleared = false): AlertState {
  if (resolutions.length > 0) return 'resolved';
  if (latch === 'ack' && causeCleared && acks.length > 0) return 'resolved';
  return acks.length > 0 ? 'acknowledged' : 'open';
}

type Entry<T> = T & { alertId: string };

function entryMap(doc: Y.Doc, name: string): Y.Map<unknown> {
  return doc.getMap(name);
}

/** Raises an alert; a second raise with the same (deterministic) id changes nothing. Returns true if new. */
export function raiseAlert(doc: Y.Doc, alert: AlertRaise): boolean {
  const alerts = entryMap(doc, ALERT_MAPS.alerts);
  if (alerts.has(alert.id)) return false;
  alerts.set(alert.id, alertRaiseSchema.parse(alert));
  return true;
}

export function acknowledgeAlert(doc: Y.Doc, alertId: string, ack: Ack): void {
  const a = ackSchema.parse(ack);
  entryMap(doc, ALERT_MAPS.acks).set(`${alertId}|${a.by}|${a.at}|${a.where}`, { ...a, alertId });
}

export function addAlertNote(doc: Y.Doc, alertId: string, note: Note): void {
  const n = noteSchema.parse(note);
  entryMap(doc, ALERT_MAPS.notes).set(`${alertId}|${n.id}`, { ...n, alertId });
}

export function assignAlert(doc: Y.Doc, alertId: string, assignment: Assignment): void {
  const a = assignmentSchema.parse(assignment);
  entryMap(doc, ALERT_MAPS.assignments).set(`${alertId}|${a.at}|${a.by}|${a.to}`, { ...a, alertId });
}

/** Records that the alert's cause cleared or came back; the same mark written twice is one entry. */
export function markAlertCause(doc: Y.Doc, alertId: string, mark: CauseMark): void {
  const m = causeMarkSchema.parse(mark);
  entryMap(doc, ALERT_MAPS.causes).set(`${alertId}|${m.state}|${m.at}|${m.by}`, { ...m, alertId });
}

export function resolveAlert(doc: Y.Doc, alertId: string, resolution: Resolution): void {
  const r = resolutionSchema.parse(resolution);
  entryMap(doc, ALERT_MAPS.resolutions).set(`${alertId}|${r.by}|${r.at}|${r.where}`, { ...r, alertId });
}

function groupEntries<T>(doc: Y.Doc, name: string, schema: z.ZodType<T>): Map<string, T[]> {
  const byAlert = new Map<string, T[]>();
  entryMap(doc, name).forEach((value) => {
    const alertId = (value as { alertId?: unknown } | null)?.alertId;
    const parsed = schema.safeParse(value);
    // Entries that do not parse (a peer on another version, a corrupt update) are ignored, not fatal.
    if (typeof alertId !== 'string' || !parsed.success) return;
    const list = byAlert.get(alertId) ?? [];
    list.push(parsed.data);
    byAlert.set(alertId, list);
  });
  return byAlert;
}

const byTime = <T extends { at: number }>(a: T, b: T): number => a.at - b.at || JSON.stringify(a).localeCompare(JSON.stringify(b));

/** Every alert in the document, assembled and sorted newest first. */
export function listAlerts(doc: Y.Doc): AlertView[] {
  const acks = groupEntries(doc, ALERT_MAPS.acks, ackSchema);
  const notes = groupEntries(doc, ALERT_MAPS.notes, noteSchema);
  const assignments = groupEntries(doc, ALERT_MAPS.assignments, assignmentSchema);
  const resolutions = groupEntries(doc, ALERT_MAPS.resolutions, resolutionSchema);
  const causes = groupEntries(doc, ALERT_MAPS.causes, causeMarkSchema);
  const out: AlertView[] = [];
  entryMap(doc, ALERT_MAPS.alerts).forEach((value) => {
    const parsed = alertRaiseSchema.safeParse(value);
    if (!parsed.success) return;
    const raise = parsed.data;
    const a = (acks.get(raise.id) ?? []).sort(byTime);
    const r = (resolutions.get(raise.id) ?? []).sort(byTime);
    const asg = (assignments.get(raise.id) ?? []).sort(byTime);
    const c = (causes.get(raise.id) ?? []).sort(byTime);
    const last = c.at(-1);
    const cleared = last?.state === 'cleared';
    const state = deriveAlertState(a, r, alertLatch(raise.type), cleared);
    const resolvedAt = r[0]?.at ?? (state === 'resolved' ? Math.max(last!.at, a.at(-1)!.at) : undefined);
    out.push({
      ...raise,
      category: alertCategory(raise.type),
      state,
      acks: a,
      notes: (notes.get(raise.id) ?? []).sort(byTime),
      assignments: asg,
      assignee: asg.at(-1)?.to,
      resolutions: r,
      causes: c,
      causeCleared: cleared,
      ...(cleared ? { clearedAt: last.at } : {}),
      ...(resolvedAt !== undefined ? { resolvedAt } : {}),
    });
  });
  return out.sort((x, y) => y.raisedAt - x.raisedAt || x.id.localeCompare(y.id));
}

export function readAlert(doc: Y.Doc, alertId: string): AlertView | undefined {
  return listAlerts(doc).find((a) => a.id === alertId);
}

/** Open (unresolved) alerts of a type for a device: used to clear an alert when its cause recovers. */
export function findUnresolved(doc: Y.Doc, match: { type: string; deviceId?: string }): AlertView[] {
  return listAlerts(doc).filter(
    (a) => a.state !== 'resolved' && a.type === match.type && (match.deviceId === undefined || a.deviceId === match.deviceId),
  );
}

/** Unresolved alerts of a type (for a device) whose cause is still present. */
export function findActive(doc: Y.Doc, match: { type: string; deviceId?: string }): AlertView[] {
  return findUnresolved(doc, match).filter((a) => !a.causeCleared);
}

/** Removes resolved alerts resolved before `before`, with all their entries, to keep the document small. */
export function pruneResolvedAlerts(doc: Y.Doc, before: number): number {
  const stale = listAlerts(doc).filter((a) => a.state === 'resolved' && (a.resolvedAt ?? 0) < before);
  if (stale.length === 0) return 0;
  const ids = new Set(stale.map((a) => a.id));
  doc.transact(() => {
    for (const id of ids) entryMap(doc, ALERT_MAPS.alerts).delete(id);
    for (const name of [ALERT_MAPS.acks, ALERT_MAPS.notes, ALERT_MAPS.assignments, ALERT_MAPS.resolutions, ALERT_MAPS.causes]) {
      const map = entryMap(doc, name);
      for (const [key, value] of map.entries()) {
        if (ids.has((value as Entry<object>).alertId)) map.delete(key);
      }
    }
  });
  return ids.size;
}
