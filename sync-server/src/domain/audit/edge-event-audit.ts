import { commandTargetSchema, isId, type SiteEvent } from '@cr/shared';
import type { AuditRecord } from '../../store/audit-store';
import { stableAuditId } from './audit-ids';

/** The kind of a device of the site as the cloud knows it (its edge's report), if known. */
export type DeviceKindOf = (deviceId: string) => string | undefined;

const COMMAND_OUTCOMES: Record<string, string> = {
  'command.executed': 'executed',
  'command.failed': 'failed',
  'command.rejected': 'rejected',
  'command.expired': 'expired',
};

/** Event types the edge records that are actions on the site, and so belong in the audit log. */
export const AUDITED_EDGE_EVENTS: ReadonlySet<string> = new Set([
  ...Object.keys(COMMAND_OUTCOMES),
  'mode.changed',
  'fire.alarm',
  'fire.clear',
]);

/** Edge data is free-form JSON: only a non-empty string, cut to size, is used as text. */
const text = (v: unknown, max = 200): string | undefined =>
  typeof v === 'string' && v.trim().length > 0 ? v.trim().slice(0, max) : undefined;

type Draft = Omit<AuditRecord, 'id' | 'ts' | 'siteId'>;

/**
 * command.executed|failed|rejected|expired: whoever issued it (their account id; the name the
 * command carried goes in `details.actorName`), from the cloud or the site LAN.
 */
function commandAudit(siteId: string, e: SiteEvent): Draft {
  const d = e.data ?? {};
  const target = commandTargetSchema.safeParse(d.target);
  const t = target.success ? target.data : undefined;
  const error = text(d.error, 500);
  const via = d.source === 'local' ? 'lan' : 'cloud';
  return {
    actor: text(d.issuedBy) ?? `edge:${siteId}`,
    action: !t ? 'command' : t.kind === 'door' ? `door.${t.action}` : 'site.mode',
    target: !t ? siteId : t.kind === 'door' ? `${siteId}/${t.doorId}` : `${siteId}:${t.mode}`,
    result: COMMAND_OUTCOMES[e.type]!,
    source: via === 'lan' ? 'edge-lan' : 'edge',
    details: {
      eventId: e.id,
      via,
      ...(text(d.commandId) ? { commandId: text(d.commandId) } : {}),
      ...(text(d.issuerName) ? { actorName: text(d.issuerName) } : {}),
      ...(text(d.issuerRole, 40) ? { issuerRole: text(d.issuerRole, 40) } : {}),
      ...(text(d.reason, 500) ? { reason: text(d.reason, 500) } : {}),
      ...(error ? { error } : {}),
    },
  };
}

/** mode.changed: by a person's command, or by a fire panel (the edge entering emergency-unlock). */
function modeAudit(siteId: string, e: SiteEvent, kindOf: DeviceKindOf): Draft {
  const d = e.data ?? {};
  const to = text(d.to, 40) ?? 'unknown';
  const by = text(d.by);
  // The edge names the fire panel as `by` when an alarm forces emergency-unlock, and says so
  // (`byDevice`); people are named by their account id, which is id-shaped too. For an edge that
  // does not say, a known device settles it; otherwise an id-shaped `by` on a fire-driven
  // emergency-unlock is the panel.
  const byDevice =
    by !== undefined &&
    (typeof d.byDevice === 'boolean'
      ? d.byDevice
      : kindOf(by) !== undefined || (d.fireActive === true && to === 'emergency-unlock' && isId(by)));
  return {
    actor: by === undefined ? `edge:${siteId}` : byDevice ? `device:${by}` : by,
    action: 'mode.changed',
    target: `${siteId}:${to}`,
    result: 'changed',
    source: 'edge',
    details: { eventId: e.id, from: text(d.from, 40), to, fireActive: d.fireActive === true },
  };
}

/** fire.alarm / fire.clear from a device; the edge acts only on a fire panel's. */
function fireAudit(siteId: string, e: SiteEvent, kindOf: DeviceKindOf): Draft {
  const device = e.deviceId ?? 'unknown';
  const kind = e.deviceId ? kindOf(e.deviceId) : undefined;
  const done = e.type === 'fire.alarm' ? 'raised' : 'cleared';
  return {
    actor: `device:${device}`,
    action: e.type,
    target: `${siteId}/${device}`,
    result: kind === undefined || kind === 'fire-panel' ? done : `ignored: ${kind} is not a fire panel`,
    source: 'edge',
    details: { eventId: e.id },
  };
}

/**
 * The audit record of an edge event that is an action on the site (a command executed at the
 * edge, a mode change, a fire alarm), or undefined for every other event. Its id is derived from
 * the event id, so a re-sent batch records nothing twice; its time is when it happened at the edge.
 */
export function edgeEventAudit(
  tenantId: string,
  siteId: string,
  e: SiteEvent,
  kindOf: DeviceKindOf,
): AuditRecord | undefined {
  if (!AUDITED_EDGE_EVENTS.has(e.type)) return undefined;
  const draft =
    e.type === 'mode.changed'
      ? modeAudit(siteId, e, kindOf)
      : e.type.startsWith('fire.')
        ? fireAudit(siteId, e, kindOf)
        : commandAudit(siteId, e);
  return { ...draft, id: stableAuditId('edge-event', tenantId, siteId, e.id), ts: e.ts, siteId };
}
