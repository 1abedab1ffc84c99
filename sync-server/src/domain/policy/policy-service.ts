import { randomUUID } from 'node:crypto';
import { authorize, DAY_MS, diffPolicies, policyBodyError, policyBodySchema, type EdgeToCloud, type PolicyBody, type PolicyChange, type UserPrincipal } from '@cr/shared';
import type { AuditPort, BookingsPort, EventsPort, MembersPort, PoliciesPort, PolicyRolloutsPort, TenantsPort, ZonesPort } from '../../store/ports';
import type { PolicyAssignment, RolloutStatus } from '../../store/policies-store';
import type { StagedRollout } from '../../store/policy-rollouts-store';
import type { LinkHub } from '../../edge-link/link-hub';
import type { DocRegistry } from '../../sync/doc-registry';
import type { CloudLog } from '../../log';
import { auditAdminChange } from '../audit/admin-audit';
import { badRequest, forbidden, notFound } from '../errors';
import { memberForSite } from '../member-model';
import { bodyForEdge } from './holiday-dates';
import { dryRunPolicy, type DryRunResult } from './policy-dry-run';
import { policyGroups, type PolicyGroup } from './policy-groups';
import { StagedPolicyRollouts, type StagesRequest } from './staged-rollouts';

export interface PolicyServiceDeps {
  store: PoliciesPort;
  rollouts: PolicyRolloutsPort;
  tenants: TenantsPort;
  audit: AuditPort;
  hub: LinkHub;
  log: CloudLog;
  /** where the figures of rollouts and groups come from: access events, alerts (site documents), bookings */
  events: Pick<EventsPort, 'countByType'>;
  docs: Pick<DocRegistry, 'read'>;
  bookings: Pick<BookingsPort, 'list'>;
  /** what a dry run decides with: the tenant's members and the site's zones */
  members: Pick<MembersPort, 'members'>;
  zones: Pick<ZonesPort, 'ofSite'>;
}

/** What a dry run is asked: a stored version or a candidate body, a site and a moment. */
export type DryRunRequest = ({ version: number; body?: undefined } | { body: PolicyBody; version?: undefined }) & { siteId: string; at: string };

type PolicyReport = Extract<EdgeToCloud, { type: 'policy.applied' | 'policy.refused' }>;

/**
 * Site policies (CONTRACT.md §9): immutable numbered versions, assigned to sites by rollouts (a
 * rollback is a rollout of an older version) and delivered over each site's edge link at once and
 * again whenever the edge reconnects. Writes are the tenant admin's; every one is audited.
 */
export class PolicyService {
  /** staged rollouts: first sites, a wait with healthy signals, then the rest */
  readonly staged: StagedPolicyRollouts;

  constructor(private readonly d: PolicyServiceDeps) {
    this.staged = new StagedPolicyRollouts({
      rollouts: d.rollouts,
      policies: d.store,
      figures: d,
      audit: d.audit,
      log: d.log,
      assign: (tenantId, policyId, version, siteIds, audit) => this.assignSites(tenantId, policyId, version, siteIds, audit),
    });
  }

  private requireAdmin(user: UserPrincipal): void {
    if (user.role !== 'tenant-admin') throw forbidden('tenant-admin only');
  }

  /** Vendors have no policies; others read those of the tenant (site scope is checked per site). */
  private requireReader(user: UserPrincipal): void {
    if (user.role === 'vendor') throw forbidden('vendors see no site policies');
  }

  async create(user: UserPrincipal, name: string, body: PolicyBody, source: string): Promise<{ id: string; version: 1 }> {
    this.requireAdmin(user);
    const id = randomUUID();
    await this.d.store.create(user.tenantId, { id, name, body, by: user.userId });
    await auditAdminChange(this.d.audit, user, { action: 'policy.create', target: id, source, details: { name, version: 1 } });
    return { id, version: 1 };
  }

  async addVersion(user: UserPrincipal, policyId: string, body: PolicyBody, source: string): Promise<{ version: number }> {
    this.requireAdmin(user);
    const version = await this.d.store.addVersion(user.tenantId, policyId, body, user.userId);
    if (version === undefined) throw notFound('policy');
    await auditAdminChange(this.d.audit, user, { action: 'policy.version', target: `${policyId}/v${version}`, source, details: { version } });
    return { version };
  }

  async list(user: UserPrincipal) {
    this.requireReader(user);
    return this.d.store.policies(user.tenantId);
  }

  async get(user: UserPrincipal, policyId: string) {
    this.requireReader(user);
    const policy = await this.d.store.policy(user.tenantId, policyId);
    if (!policy) throw notFound('policy');
    const versions = await this.d.store.versions(user.tenantId, policyId);
    const latest = await this.d.store.version(user.tenantId, policyId, policy.latestVersion);
    return { ...policy, versions, body: latest?.body };
  }

  async diff(user: UserPrincipal, policyId: string, from: number, to: number): Promise<{ from: number; to: number; changes: PolicyChange[] }> {
    this.requireReader(user);
    const [a, b] = await Promise.all([this.d.store.version(user.tenantId, policyId, from), this.d.store.version(user.tenantId, policyId, to)]);
    if (!a || !b) throw notFound('policy version');
    return { from, to, changes: diffPolicies(a.body as PolicyBody, b.body as PolicyBody) };
  }

  /** Each assigned site's status, limited to the sites the caller may see. */
  async rolloutStatus(user: UserPrincipal, policyId: string): Promise<PolicyAssignment[]> {
    this.requireReader(user);
    if (!(await this.d.store.policy(user.tenantId, policyId))) throw notFound('policy');
    const all = await this.d.store.assignmentsOf(user.tenantId, policyId);
    return all.filter((a) => authorize(user, user.tenantId, { type: 'site.read', siteId: a.siteId }).allowed);
  }

  /**
   * Assigns `version` to the sites and sends it to every connected edge; the others get it when they
   * connect. With `stages`, only the first sites now, the rest by the staged rollout. A plain
   * rollout (a rollback) takes its sites out of any staged rollout still running there.
   */
  async rollout(
    user: UserPrincipal,
    policyId: string,
    version: number,
    siteIds: string[],
    source: string,
    stages?: StagesRequest,
  ): Promise<{ policyId: string; version: number; sites: PolicyAssignment[]; rolloutId?: string; state?: StagedRollout['state'] }> {
    this.requireAdmin(user);
    if (!(await this.d.store.version(user.tenantId, policyId, version))) throw notFound('policy version');
    for (const siteId of siteIds) {
      if (!(await this.d.tenants.site(user.tenantId, siteId))) throw badRequest(`siteIds: unknown site ${siteId}`);
    }
    if (stages) {
      const unknown = stages.firstSiteIds.filter((s) => !siteIds.includes(s));
      if (unknown.length > 0) throw badRequest(`stages.firstSiteIds: ${unknown.join(', ')} not among siteIds`);
      const staged = await this.staged.start(user, policyId, version, siteIds, stages, source);
      const sites = await Promise.all(staged.firstSiteIds.map(async (s) => (await this.d.store.assignment(user.tenantId, s))!));
      return { policyId, version, sites, rolloutId: staged.id, state: staged.state };
    }
    await this.staged.takeOver(user.tenantId, siteIds, `sites ${siteIds.join(', ')} were given v${version} of policy ${policyId} by ${user.name ?? user.userId}`);
    await this.assignSites(user.tenantId, policyId, version, siteIds, (siteId) =>
      auditAdminChange(this.d.audit, user, { action: 'policy.rollout', target: `${policyId}/v${version}`, siteId, source, details: { version } }),
    );
    const sites = await Promise.all(siteIds.map(async (s) => (await this.d.store.assignment(user.tenantId, s))!));
    return { policyId, version, sites };
  }

  private async assignSites(tenantId: string, policyId: string, version: number, siteIds: string[], audit: (siteId: string) => Promise<void>): Promise<void> {
    // Each site is sent its version as soon as it is assigned, not after the last one is recorded.
    const deliveries: Promise<void>[] = [];
    for (const siteId of siteIds) {
      await this.d.store.assign(tenantId, siteId, policyId, version);
      await audit(siteId);
      deliveries.push(this.deliver(tenantId, siteId));
    }
    await Promise.all(deliveries);
  }

  /** The policy's staged rollouts, newest first. */
  async stagedRollouts(user: UserPrincipal, policyId: string): Promise<StagedRollout[]> {
    this.requireReader(user);
    if (!(await this.d.store.policy(user.tenantId, policyId))) throw notFound('policy');
    return this.staged.list(user, policyId);
  }

  async stopRollout(user: UserPrincipal, policyId: string, rolloutId: string, source: string): Promise<StagedRollout> {
    this.requireAdmin(user);
    if (!(await this.d.store.policy(user.tenantId, policyId))) throw notFound('policy');
    return this.staged.stop(user, policyId, rolloutId, source);
  }

  /** The policy's sites grouped by assigned version, each group's figures over the last `days` (sites the caller may see). */
  async groups(user: UserPrincipal, policyId: string, days: number): Promise<PolicyGroup[]> {
    const visible = await this.rolloutStatus(user, policyId);
    const now = Date.now();
    return policyGroups(this.d, user.tenantId, visible, now - days * DAY_MS, now + 1);
  }

  /** What a version (stored or candidate) would decide at a site at a moment; nothing is assigned or sent. */
  async dryRun(user: UserPrincipal, policyId: string, req: DryRunRequest): Promise<DryRunResult> {
    this.requireReader(user);
    if (!(await this.d.store.policy(user.tenantId, policyId))) throw notFound('policy');
    const site = await this.d.tenants.site(user.tenantId, req.siteId);
    if (!site) throw notFound('site');
    if (!authorize(user, user.tenantId, { type: 'site.read', siteId: site.id }).allowed) throw forbidden('not a site of yours');
    let body: PolicyBody;
    if (req.version !== undefined) {
      const v = await this.d.store.version(user.tenantId, policyId, req.version);
      if (!v) throw notFound('policy version');
      const parsed = policyBodySchema.safeParse(v.body);
      if (!parsed.success) throw badRequest(`version ${req.version} cannot be read: ${policyBodyError(parsed.error.issues)}`);
      body = parsed.data;
    } else {
      body = req.body;
    }
    const members = (await this.d.members.members(user.tenantId)).flatMap((m) => memberForSite(m, site.id) ?? []);
    const zones = await this.d.zones.ofSite(user.tenantId, site.id);
    return dryRunPolicy({ siteId: site.id, at: req.at, ts: Date.parse(req.at), timeZone: site.timezone, body, members, zones });
  }

  /** What the site is assigned and what its edge reports it enforces. */
  async siteView(tenantId: string, siteId: string): Promise<{ policyId: string; version: number; appliedVersion?: number; status: RolloutStatus; error?: string } | undefined> {
    const a = await this.d.store.assignment(tenantId, siteId);
    if (!a) return undefined;
    const applied = a.appliedPolicyId === a.policyId ? a.appliedVersion : undefined;
    return { policyId: a.policyId, version: a.version, ...(applied !== undefined ? { appliedVersion: applied } : {}), status: a.status, ...(a.error ? { error: a.error } : {}) };
  }

  /** The message carrying the site's assigned version (holidays expanded), or undefined when it has none. */
  async messageFor(tenantId: string, siteId: string) {
    const a = await this.d.store.assignment(tenantId, siteId);
    if (!a) return undefined;
    const v = await this.d.store.version(tenantId, a.policyId, a.version);
    const site = await this.d.tenants.site(tenantId, siteId);
    if (!v || !site) return undefined;
    // Stored bodies were valid when written; one the current schema cannot read goes out as stored, for the edge to refuse and report.
    const parsed = policyBodySchema.safeParse(v.body);
    const body = parsed.success ? bodyForEdge(parsed.data, Date.now(), site.timezone) : v.body;
    return { assignment: a, msg: { type: 'policy' as const, policyId: a.policyId, version: a.version, body } };
  }

  /** Sends the site's assigned version through the hub (whichever instance holds its link). */
  async deliver(tenantId: string, siteId: string): Promise<void> {
    const m = await this.messageFor(tenantId, siteId);
    if (!m) return;
    const delivery = await this.d.hub.deliver(tenantId, siteId, m.msg);
    if (delivery === 'sent' || delivery === 'unconfirmed') await this.d.store.markDelivered(tenantId, siteId, m.msg.policyId, m.msg.version);
  }

  /** A newly connected edge gets the site's version right after its welcome. */
  async onEdgeConnected(tenantId: string, siteId: string, send: (msg: NonNullable<Awaited<ReturnType<PolicyService['messageFor']>>>['msg']) => boolean): Promise<void> {
    const m = await this.messageFor(tenantId, siteId);
    if (m && send(m.msg)) await this.d.store.markDelivered(tenantId, siteId, m.msg.policyId, m.msg.version);
  }

  /** The edge's report of a version it received. */
  async onReport(tenantId: string, siteId: string, r: PolicyReport): Promise<void> {
    const input = r.type === 'policy.applied' ? { policyId: r.policyId, version: r.version, applied: true as const } : { policyId: r.policyId, version: r.version, applied: false as const, error: r.error };
    const before = await this.d.store.assignment(tenantId, siteId);
    await this.d.store.report(tenantId, siteId, input);
    // A staged rollout waiting on this site moves on now rather than at its next tick.
    await this.staged.onReport(tenantId, siteId).catch((err: Error) => this.d.log.error({ tenantId, siteId }, `policy rollouts: step after ${siteId}'s report failed: ${err.message}`));
    // An edge reports its version again on every reconnect: only a change is worth an audit record.
    const already = r.type === 'policy.applied' && before?.appliedPolicyId === r.policyId && before.appliedVersion === r.version && before.status !== 'delivered';
    if (already) return;
    if (r.type === 'policy.refused') this.d.log.warn({ tenantId, siteId }, `edge ${siteId} refused policy ${r.policyId} v${r.version}: ${r.error}`);
    await this.d.audit.append(tenantId, {
      actor: `edge:${siteId}`,
      action: r.type,
      target: `${r.policyId}/v${r.version}`,
      result: r.type === 'policy.applied' ? 'ok' : 'refused',
      siteId,
      source: 'edge-link',
      ...(r.type === 'policy.refused' ? { details: { error: r.error } } : {}),
    });
  }
}
