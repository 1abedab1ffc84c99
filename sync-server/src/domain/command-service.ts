import { randomUUID } from 'node:crypto';
import type { CommandOutcome, CommandStatus, CommandTarget, UserPrincipal } from '@cr/shared';
import type { CommandRecord } from '../store/commands-store';
import type { LinkHub } from '../edge-link/link-hub';
import type { CloudMetrics } from '../metrics';
import { defaultCloudLog, type CloudLog } from '../log';
import type { AuditPort, CommandsPort } from '../store/ports';

/**
 * Time kept back from the edge's share of a command's life for the outcome's way back (and the
 * remaining clock uncertainty): the edge must finish by `expiresAt`, the cloud calls the command
 * expired only this long after. At most half the command's life.
 */
export const ROUND_TRIP_ALLOWANCE_MS = 2_000;

const auditAction = (t: CommandTarget): string => (t.kind === 'door' ? `door.${t.action}` : 'site.mode');
const auditTarget = (siteId: string, t: CommandTarget): string =>
  t.kind === 'door' ? `${siteId}/${t.doorId}` : `${siteId}:${t.mode}`;

/**
 * Door commands and mode changes: an online request with a short expiry, never queued. The
 * command goes to the site's live edge link at once; without one it fails immediately; a command
 * the edge did not finish by its expiry ends `expired`, and a late outcome never rewrites that.
 * Safety: the edge gets the command's life minus a round-trip allowance (`ttlMs`, timed from when
 * it receives it, and `expiresAt`, which it reads through its estimate of the clock offset), and
 * refuses to run it after that; the cloud says `expired` only once the whole life has passed. So
 * nothing runs after an operator was told it expired, and the 10 s of CONTRACT.md §3 hold.
 */
export class CommandService {
  private readonly timers = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly store: CommandsPort,
    private readonly audit: AuditPort,
    private readonly hub: LinkHub,
    private readonly metrics: CloudMetrics,
    private readonly ttlMs: number,
    private readonly log: CloudLog = defaultCloudLog(),
  ) {
    // Commands left open by a previous run can no longer be delivered: they expire now or on time.
  }

  /** Arms the expiry of every command still open (after a restart: their timers died with the process). */
  async resume(): Promise<void> {
    for (const c of await this.store.open()) this.scheduleExpiry(c.id, c.expiresAt);
  }

  async issue(
    user: UserPrincipal,
    siteId: string,
    target: CommandTarget,
    reason: string,
    source: string,
  ): Promise<CommandRecord> {
    const now = Date.now();
    const cmd: CommandRecord = {
      id: randomUUID(),
      tenantId: user.tenantId,
      siteId,
      target,
      reason,
      // The account id: display names change and two people may share one (the name goes in the audit details).
      issuedBy: user.userId,
      issuerRole: user.role,
      status: 'pending',
      createdAt: now,
      updatedAt: now,
      expiresAt: now + this.ttlMs,
    };
    await this.store.insert(cmd);
    const delivery = await this.hub.deliver(user.tenantId, siteId, {
      type: 'command',
      command: {
        id: cmd.id,
        siteId,
        target,
        reason,
        issuedBy: cmd.issuedBy,
        ...(user.name ? { issuerName: user.name } : {}),
        issuerRole: cmd.issuerRole,
        issuedAt: now,
        expiresAt: now + this.edgeTtlMs,
        ttlMs: this.edgeTtlMs,
      },
    });
    // Unconfirmed (another instance took it, its answer was lost): the edge may run it, so it counts
    // as sent; the edge's result or the expiry settles it, never a 'failed' that might be untrue.
    if (delivery === 'sent' || delivery === 'unconfirmed') {
      await this.store.transition(cmd.id, 'sent', undefined);
      // The record's expiresAt is when the cloud gives up; the edge's deadline is earlier (edgeTtlMs).
      this.scheduleExpiry(cmd.id, cmd.expiresAt);
    } else {
      await this.finish(
        cmd.id,
        'failed',
        delivery === 'dropped'
          ? 'the edge link dropped while sending'
          : 'site offline: its edge gateway is not connected',
      );
    }
    const final = (await this.store.byId(cmd.id))!;
    await this.audit.append(user.tenantId, {
      actor: cmd.issuedBy,
      action: auditAction(target),
      target: auditTarget(siteId, target),
      result: final.status,
      siteId,
      source,
      details: { commandId: cmd.id, reason, actorName: user.name, ...(final.error ? { error: final.error } : {}) },
    });
    return final;
  }

  /** An outcome reported by an edge; only for a command of that same site (threat: an edge settling another site's commands). */
  async outcome(tenantId: string, siteId: string, outcome: CommandOutcome): Promise<void> {
    const cmd = await this.store.byId(outcome.commandId);
    if (!cmd || cmd.tenantId !== tenantId || cmd.siteId !== siteId) return;
    const changed = await this.finish(cmd.id, outcome.status, outcome.error, outcome.doors);
    await this.audit.append(tenantId, {
      actor: `edge:${siteId}`,
      action: `${auditAction(cmd.target)}.outcome`,
      target: auditTarget(siteId, cmd.target),
      result: changed ? outcome.status : `${outcome.status} (late, ignored)`,
      siteId,
      source: 'edge',
      details: {
        commandId: cmd.id,
        ...(outcome.error ? { error: outcome.error } : {}),
        ...(outcome.doors ? { doors: outcome.doors } : {}),
      },
    });
  }

  /** The part of a command's life the edge may use. */
  private get edgeTtlMs(): number {
    return this.ttlMs - Math.min(ROUND_TRIP_ALLOWANCE_MS, Math.floor(this.ttlMs / 2));
  }

  async get(id: string): Promise<CommandRecord | undefined> {
    return this.store.byId(id);
  }

  private async finish(
    id: string,
    status: CommandStatus,
    error: string | undefined,
    doors?: CommandOutcome['doors'],
  ): Promise<boolean> {
    const changed = await this.store.transition(id, status, error, Date.now(), doors);
    if (changed) {
      this.metrics.commands.inc({ status });
      const t = this.timers.get(id);
      if (t) clearTimeout(t);
      this.timers.delete(id);
    }
    return changed;
  }

  private scheduleExpiry(id: string, expiresAt: number): void {
    const t = setTimeout(
      () => {
        this.timers.delete(id);
        this.finish(id, 'expired', 'no outcome from the edge before the command expired').catch((err: unknown) =>
          this.onError(err, id),
        );
      },
      Math.max(0, expiresAt - Date.now()),
    );
    t.unref();
    this.timers.set(id, t);
  }

  private onError(err: unknown, id: string): void {
    this.log.error({ commandId: id, err }, `commands: could not record the expiry of ${id}: ${(err as Error).message}`);
  }

  close(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
  }
}
