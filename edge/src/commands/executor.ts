import { authorize, roleSchema, type CommandOutcome, type DoorReport, type Principal, type RemoteCommand } from '@cr/shared';
import { refuseDoorAction, requestMode } from '../domain/site-mode';
import type { GatewayContext } from '../gateway/context';
import type { CommandBook } from './command-book';

export type CommandSource = 'cloud' | 'local';
type Final = CommandOutcome['status'];

/** The issuer as the command names them, to re-check authority at the edge. */
function issuerPrincipal(cmd: RemoteCommand, tenantId: string): Principal | undefined {
  const role = roleSchema.safeParse(cmd.issuerRole);
  if (!role.success) return undefined;
  return { kind: 'user', userId: cmd.issuedBy, role: role.data, tenantId, siteIds: [cmd.siteId], name: cmd.issuerName };
}

/**
 * Executes a person's command (from the cloud link or the local API): refuses it when expired,
 * for another site, or beyond the issuer's authority; runs it; records every step in the outbox
 * (the local audit trail, uploaded like any event); and reports the final outcome.
 */
export class CommandExecutor {
  constructor(
    private readonly ctx: GatewayContext,
    private readonly book: CommandBook,
    private readonly report: (outcome: CommandOutcome, source: CommandSource) => void,
  ) {}

  async execute(cmd: RemoteCommand, source: CommandSource, principal?: Principal): Promise<CommandOutcome> {
    const now = this.ctx.now();
    // Threat: a replayed command executing twice.
    if (this.book.has(cmd.id)) {
      const outcome: CommandOutcome = { commandId: cmd.id, status: 'rejected', error: 'duplicate command id', ts: now };
      this.report(outcome, source);
      return outcome;
    }
    this.book.put({ id: cmd.id, status: 'pending', siteId: cmd.siteId, target: cmd.target, source, createdAt: now, updatedAt: now });
    void this.ctx.recorder.edge('command.received', cmd.target.kind === 'door' ? cmd.target.doorId : undefined, this.auditData(cmd, source), now);
    // Safety: a command never executes after its expiry, however late it arrives.
    if (cmd.expiresAt <= now) return this.finish(cmd, source, 'expired', 'command arrived after it expired');
    if (cmd.siteId !== this.ctx.config.siteId) return this.finish(cmd, source, 'rejected', 'command is for another site');
    const who = principal ?? issuerPrincipal(cmd, this.ctx.config.tenantId);
    if (!who) return this.finish(cmd, source, 'rejected', `unknown issuer role ${cmd.issuerRole}`);
    return cmd.target.kind === 'mode' ? this.mode(cmd, source, who) : this.door(cmd, source, who);
  }

  /**
   * A mode change stands at once and is enforced on every door; it reports `executed` only when every
   * reachable door confirmed, else `failed` naming the doors that did not (the mode still stands).
   */
  private async mode(cmd: RemoteCommand, source: CommandSource, who: Principal): Promise<CommandOutcome> {
    if (cmd.target.kind !== 'mode') throw new Error('not a mode command');
    const { tenantId, siteId } = this.ctx.config;
    const change = requestMode(this.ctx.modes.state, { mode: cmd.target.mode, principal: who, tenantId, siteId, by: cmd.issuedBy, now: this.ctx.now() });
    if (!change.ok) return this.finish(cmd, source, 'rejected', change.error);
    this.book.update(cmd.id, 'sent', this.ctx.now());
    const doors = await this.ctx.modes.applyConfirmed(change.next, this.ctx.now(), cmd.issuedBy, cmd.expiresAt);
    const unconfirmed = doors.filter((d) => d.result === 'no-answer' || d.result === 'failed');
    if (unconfirmed.length === 0) return this.finish(cmd, source, 'executed', undefined, doors);
    const named = unconfirmed.map((d) => `${d.doorId} (${d.result})`).join(', ');
    return this.finish(cmd, source, 'failed', `mode ${cmd.target.mode} is in force, but ${unconfirmed.length} of ${doors.length} doors did not confirm: ${named}`, doors);
  }

  private async door(cmd: RemoteCommand, source: CommandSource, who: Principal): Promise<CommandOutcome> {
    if (cmd.target.kind !== 'door') throw new Error('not a door command');
    const { doorId, action, durationMs } = cmd.target;
    const { tenantId, siteId } = this.ctx.config;
    const allowed = authorize(who, tenantId, { type: 'door.command', siteId, action });
    if (!allowed.allowed) return this.finish(cmd, source, 'rejected', `not authorized: ${allowed.reason ?? 'denied'}`);
    if (this.ctx.registry.get(doorId)?.config.kind !== 'door') return this.finish(cmd, source, 'rejected', `unknown door ${doorId}`);
    const refused = refuseDoorAction(this.ctx.modes.state, action);
    if (refused) return this.finish(cmd, source, 'rejected', refused);
    // A pulse during emergency-unlock would re-lock an open door when it ends: the door already stands open.
    if (action === 'pulse-unlock' && this.ctx.modes.mode === 'emergency-unlock') return this.finish(cmd, source, 'executed');
    this.book.update(cmd.id, 'sent', this.ctx.now());
    const result = await this.ctx.commander.execute(doorId, action, `${cmd.reason} (by ${cmd.issuerName ?? cmd.issuedBy})`, cmd.expiresAt, durationMs, cmd.id);
    if (result.ok) return this.finish(cmd, source, 'executed');
    return this.finish(cmd, source, result.expired ? 'expired' : 'failed', result.error);
  }

  private auditData(cmd: RemoteCommand, source: CommandSource): Record<string, unknown> {
    const name = cmd.issuerName ? { issuerName: cmd.issuerName } : {};
    return { commandId: cmd.id, source, target: cmd.target, reason: cmd.reason, issuedBy: cmd.issuedBy, ...name, issuerRole: cmd.issuerRole };
  }

  private finish(cmd: RemoteCommand, source: CommandSource, status: Final, error?: string, doors?: DoorReport[]): CommandOutcome {
    const now = this.ctx.now();
    const outcome: CommandOutcome = { commandId: cmd.id, status, error: error?.slice(0, 500), doors, ts: now };
    this.book.update(cmd.id, status, now, outcome.error);
    const deviceId = cmd.target.kind === 'door' ? cmd.target.doorId : undefined;
    void this.ctx.recorder.edge(`command.${status}`, deviceId, { ...this.auditData(cmd, source), error: outcome.error, doors }, now);
    this.ctx.metrics.commands.inc({ source, status });
    if (status !== 'executed') this.ctx.log.warn(`command ${cmd.id} ${status}: ${error ?? ''}`, { commandId: cmd.id, status });
    this.report(outcome, source);
    return outcome;
  }
}
