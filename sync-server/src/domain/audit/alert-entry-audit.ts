import { createHash, randomUUID } from 'node:crypto';
import { ALERT_MAPS, ackSchema, alertRaiseSchema, assignmentSchema, causeMarkSchema, noteSchema, resolutionSchema } from '@cr/shared';
import type { AuditRecord } from '../../store/audit-store';
import { stableAuditId } from './audit-ids';

/** Maps of the alert schema whose changes are audited, and the action each records. */
export const AUDITED_MAPS = [
  [ALERT_MAPS.alerts, 'alert.raise'],
  [ALERT_MAPS.acks, 'alert.ack'],
  [ALERT_MAPS.assignments, 'alert.assign'],
  [ALERT_MAPS.notes, 'alert.note'],
  [ALERT_MAPS.resolutions, 'alert.resolve'],
  [ALERT_MAPS.causes, 'alert.cause'],
] as const;
export type AuditedMap = (typeof AUDITED_MAPS)[number][0];

const schemas = {
  [ALERT_MAPS.alerts]: alertRaiseSchema,
  [ALERT_MAPS.acks]: ackSchema,
  [ALERT_MAPS.assignments]: assignmentSchema,
  [ALERT_MAPS.notes]: noteSchema,
  [ALERT_MAPS.resolutions]: resolutionSchema,
  [ALERT_MAPS.causes]: causeMarkSchema,
} as const;

/** A client clock ahead of ours by more than this is not believed for the record's time. */
const MAX_FUTURE_MS = 5 * 60_000;

/**
 * Who wrote a change, as the cloud knows it: the authenticated principal of the sync connection
 * that sent it (`sync`), the cloud itself (`cloud`), or nobody known (`load`: found in a stored
 * document whose change was never seen live, e.g. written by an older version).
 */
export type Writer = { via: 'sync' | 'cloud'; actor: string; actorName?: string } | { via: 'load' };

const writerDetails = (w: Writer) => ({ via: w.via, ...('actorName' in w && w.actorName ? { actorName: w.actorName } : {}) });

/** The alert an entry key belongs to (entry keys start with the alert id). */
export const alertOfKey = (map: AuditedMap, key: string): string =>
  (map === ALERT_MAPS.alerts ? key : key.split('|')[0]!).slice(0, 256);

/** Digest of an entry's content, to tell a re-sent entry from one rewritten under the same key. */
export function entryDigest(value: unknown): string {
  let json: string;
  try {
    json = JSON.stringify(value) ?? 'undefined';
  } catch {
    json = String(value);
  }
  return createHash('sha256').update(json).digest('hex').slice(0, 32);
}

interface Claimed {
  by?: string;
  at?: number;
  where?: string;
  to?: string;
  id?: string;
  text?: string;
  reason?: string;
  type?: string;
  severity?: string;
  source?: string;
  state?: string;
}

/** The claimed author as the old records named them (`edge` → `edge:<site>`). */
const claimedActor = (siteId: string, by: string | undefined): string | undefined =>
  by === 'edge' ? `edge:${siteId}` : by;

/**
 * The audit record of one alert entry as it appears in a site document (an ack, assignment, note,
 * resolution or a raised alert), or undefined when the entry does not parse. The actor is who
 * wrote it as far as the cloud can tell (never the entry's own `by`, which any writer can forge);
 * what the entry claims is kept beside it as `claimedBy`/`claimedAt`. The id is derived from the
 * entry key, which the schema makes unique per action, so one entry is recorded once however often
 * the document is loaded, merged or re-sent.
 */
export function alertEntryAudit(
  target: { tenantId: string; siteId: string },
  map: AuditedMap,
  key: string,
  value: unknown,
  writer: Writer,
  now: number,
): AuditRecord | undefined {
  const { tenantId, siteId } = target;
  const alertId = map === ALERT_MAPS.alerts ? key : (value as { alertId?: unknown } | null)?.alertId;
  const parsed = schemas[map].safeParse(value);
  if (typeof alertId !== 'string' || !parsed.success) return undefined;
  const e = parsed.data as Claimed;
  const claimedAt = e.at ?? (parsed.data as { raisedAt?: number }).raisedAt;
  const claimedBy = map === ALERT_MAPS.alerts ? e.source : e.by;
  // Live: the server's receive time. Found on load: when the entry says, unless far in the future.
  const ts = writer.via === 'load' ? (claimedAt !== undefined && claimedAt <= now + MAX_FUTURE_MS ? claimedAt : now) : now;
  return {
    id: stableAuditId('alert-entry', tenantId, siteId, map, key),
    ts,
    actor: writer.via === 'load' ? `unverified:${claimedActor(siteId, claimedBy) ?? 'unknown'}` : writer.actor,
    action: AUDITED_MAPS.find(([m]) => m === map)![1],
    target: alertId,
    result: 'ok',
    siteId,
    source: e.where ?? 'document',
    details: {
      ...writerDetails(writer),
      recordedAt: now,
      digest: entryDigest(value),
      ...(claimedBy !== undefined ? { claimedBy } : {}),
      ...(claimedAt !== undefined ? { claimedAt } : {}),
      ...(e.to ? { to: e.to } : {}),
      ...(e.reason ? { reason: e.reason } : {}),
      ...(e.id && map === ALERT_MAPS.notes ? { noteId: e.id } : {}),
      ...(e.text ? { text: e.text.slice(0, 500) } : {}),
      ...(map === ALERT_MAPS.alerts ? { type: e.type, severity: e.severity } : {}),
      ...(map === ALERT_MAPS.causes ? { cause: e.state } : {}),
    },
  };
}

/**
 * A change that is not a new entry: an entry rewritten under its key (`edit`), removed (`delete`)
 * or replaced by something unreadable (`invalid`). Each makes a past action disappear or read
 * differently, so each is recorded with the principal who did it. Threat: an insider deleting the
 * ack that proves an alarm was seen, or rewriting a colleague's note.
 */
export function alertTamperAudit(
  target: { tenantId: string; siteId: string },
  kind: 'edit' | 'delete' | 'invalid',
  map: AuditedMap,
  keys: readonly string[],
  writer: Extract<Writer, { via: 'sync' | 'cloud' }>,
  now: number,
  digest?: string,
): AuditRecord {
  const base = AUDITED_MAPS.find(([m]) => m === map)![1];
  const action = map === ALERT_MAPS.alerts && kind === 'delete' ? 'alert.delete' : `${base}.${kind}`;
  return {
    // Edits and unreadable values: once per key and content; deletions happen once, live.
    id: digest ? stableAuditId('alert-entry', target.tenantId, target.siteId, map, keys[0]!, digest) : randomUUID(),
    ts: now,
    actor: writer.actor,
    action,
    target: alertOfKey(map, keys[0]!),
    result: 'ok',
    siteId: target.siteId,
    source: 'document',
    details: { ...writerDetails(writer), map, keys: keys.slice(0, 20).map((k) => k.slice(0, 300)), count: keys.length, ...(digest ? { digest } : {}) },
  };
}
