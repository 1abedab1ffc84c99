import { randomUUID } from 'node:crypto';
import { authorize, type UserPrincipal } from '@cr/shared';
import { ApiError, badRequest, forbidden, notFound } from '../errors';
import { auditAdminChange } from '../audit/admin-audit';
import type { AuditPort, SilencesPort, TenantsPort } from '../../store/ports';
import type { SilenceRecord } from '../../store/notification-records';
import { silenceEnd } from './quiet';

/** A silence as a person asks for it; `startsAt` later than now makes it a maintenance window. */
export interface SilenceInput {
  siteId: string;
  deviceId?: string;
  types?: string[];
  startsAt?: number;
  endsAt: number;
  reason: string;
}

/** A silence as the API shows it. */
export type SilenceView = Omit<SilenceRecord, 'tenantId' | 'authorId' | 'authorName'> & { author: { id: string; name: string } };

/** The longest a silence may last or lie ahead: nobody forgets a site quiet for good. */
export const MAX_SILENCE_MS = 30 * 24 * 3_600_000;
/** How long the notifier keeps ended silences in view (an alert raised under one and acknowledged meanwhile is not told). */
export const SILENCE_MEMORY_MS = 24 * 3_600_000;
/** How long a tenant's silences are reused before they are read again (changes on this instance apply at once). */
export const SILENCES_TTL_MS = 5_000;

const view = (s: SilenceRecord): SilenceView => {
  const { tenantId: _t, authorId, authorName, ...rest } = s;
  return { ...rest, author: { id: authorId, name: authorName } };
};

/**
 * Silences and maintenance windows of each tenant: created and ended by HQ, admins and a site's
 * manager for their sites, audited; read by the notifier (cached briefly per tenant) to hold back
 * notifications of the alerts they cover.
 */
export class Silences {
  private readonly cache = new Map<string, { silences: SilenceRecord[]; at: number }>();
  private readonly listeners: Array<(tenantId: string, siteId: string) => void> = [];

  constructor(
    private readonly d: { store: SilencesPort; tenants: TenantsPort; audit: AuditPort; now?: () => number },
  ) {}

  private now(): number {
    return (this.d.now ?? Date.now)();
  }

  /** Told after a silence of a site began, changed or ended on this instance. */
  onChange(fn: (tenantId: string, siteId: string) => void): void {
    this.listeners.push(fn);
  }

  async create(user: UserPrincipal, input: SilenceInput, source: string): Promise<{ id: string }> {
    const site = await this.d.tenants.site(user.tenantId, input.siteId);
    if (!site) throw notFound('site');
    this.allow(user, input.siteId);
    const now = this.now();
    // A start a little in the past (a slow clock) counts as now; a silence never reaches back.
    const startsAt = Math.max(now, input.startsAt ?? now);
    if (input.endsAt <= startsAt) throw badRequest('endsAt: must be after the start (and after now)');
    if (input.endsAt - now > MAX_SILENCE_MS) throw badRequest('endsAt: at most 30 days ahead');
    const reason = input.reason.trim();
    if (!reason) throw badRequest('reason: say why (it is shown to everyone who sees the alerts)');
    const record: SilenceRecord = {
      tenantId: user.tenantId,
      id: randomUUID(),
      siteId: input.siteId,
      ...(input.deviceId ? { deviceId: input.deviceId } : {}),
      ...(input.types?.length ? { types: [...new Set(input.types)] } : {}),
      startsAt,
      endsAt: input.endsAt,
      reason,
      authorId: user.userId,
      authorName: user.name ?? user.userId,
      createdAt: now,
    };
    await this.d.store.add(record);
    await this.changed(user, 'notifications.silence.create', record, source, {
      ...(record.deviceId ? { deviceId: record.deviceId } : {}),
      startsAt,
      endsAt: record.endsAt,
      reason,
    });
    return { id: record.id };
  }

  /** Active and upcoming silences of the sites the caller sees, earliest start first. */
  async list(user: UserPrincipal): Promise<SilenceView[]> {
    const now = this.now();
    // Threat: vendors learning when a site's alarms reach nobody.
    const decision = authorize(user, user.tenantId, { type: 'notifications.read' });
    if (!decision.allowed) throw forbidden(decision.reason ?? 'not allowed');
    return (await this.d.store.since(user.tenantId, now))
      .filter((s) => authorize(user, user.tenantId, { type: 'notifications.read', siteId: s.siteId }).allowed)
      .filter((s) => silenceEnd(s) > now)
      .map(view);
  }

  /** Ends a silence now; 404 for one the caller cannot see, 409 when it already ended. */
  async end(user: UserPrincipal, id: string, source: string): Promise<void> {
    const s = await this.d.store.one(user.tenantId, id);
    if (!s || !authorize(user, user.tenantId, { type: 'notifications.read', siteId: s.siteId }).allowed) throw notFound('silence');
    this.allow(user, s.siteId);
    if (!(await this.d.store.end(user.tenantId, id, this.now()))) throw new ApiError(409, 'silence-ended', 'this silence has already ended');
    await this.changed(user, 'notifications.silence.end', s, source, {});
  }

  /** The tenant's silences the notifier weighs: active, upcoming and those ended within a day. */
  async forTenant(tenantId: string): Promise<SilenceRecord[]> {
    const now = this.now();
    const cached = this.cache.get(tenantId);
    if (cached && now - cached.at < SILENCES_TTL_MS) return cached.silences;
    const silences = await this.d.store.since(tenantId, now - SILENCE_MEMORY_MS);
    this.cache.set(tenantId, { silences, at: now });
    return silences;
  }

  /** Sites whose silence ended in (from, to]: their alerts may now be owed notifications. */
  endedBetween(from: number, to: number): Array<{ tenantId: string; siteId: string }> {
    const out = new Map<string, { tenantId: string; siteId: string }>();
    for (const [tenantId, { silences }] of this.cache)
      for (const s of silences) {
        const end = silenceEnd(s);
        if (end > from && end <= to) out.set(`${tenantId}\0${s.siteId}`, { tenantId, siteId: s.siteId });
      }
    return [...out.values()];
  }

  private allow(user: UserPrincipal, siteId: string): void {
    const decision = authorize(user, user.tenantId, { type: 'notifications.silence', siteId });
    if (!decision.allowed) throw forbidden(decision.reason ?? 'not allowed');
  }

  private async changed(user: UserPrincipal, action: string, s: SilenceRecord, source: string, details: Record<string, unknown>) {
    this.cache.delete(user.tenantId);
    await auditAdminChange(this.d.audit, user, { action, target: `silence:${s.id}`, source, details, siteId: s.siteId });
    for (const fn of this.listeners) fn(user.tenantId, s.siteId);
  }
}
