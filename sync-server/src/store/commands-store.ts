import type { CommandStatus, CommandTarget, DoorReport } from '@cr/shared';
import type { Db } from './db';

export interface CommandRecord {
  id: string;
  tenantId: string;
  siteId: string;
  target: CommandTarget;
  reason: string;
  issuedBy: string;
  issuerRole: string;
  status: CommandStatus;
  error?: string;
  /** a mode change: what each door did (confirmed, no-answer, offline, failed) */
  doors?: DoorReport[];
  createdAt: number;
  updatedAt: number;
  expiresAt: number;
}

const SQL = {
  insert: `INSERT INTO commands (id, tenant_id, site_id, target, reason, issued_by, issuer_role, status, error, created_at, updated_at, expires_at)
    VALUES (@id, @tenantId, @siteId, @target, @reason, @issuedBy, @issuerRole, @status, @error, @createdAt, @updatedAt, @expiresAt)`,
  byId: 'SELECT * FROM commands WHERE id = ?',
  /** Only a command that is not final moves on: a late outcome never rewrites a final status. */
  transition: `UPDATE commands SET status = @status, error = @error, doors = @doors, updated_at = @now
    WHERE id = @id AND status IN ('pending', 'sent')`,
  open: `SELECT * FROM commands WHERE status IN ('pending', 'sent')`,
  countBySite: `SELECT status, COUNT(*) AS n FROM commands
    WHERE tenant_id = ? AND site_id = ? AND created_at >= ? AND created_at < ? GROUP BY status`,
} as const;

interface CommandRow {
  id: string;
  tenant_id: string;
  site_id: string;
  target: string;
  reason: string;
  issued_by: string;
  issuer_role: string;
  status: CommandStatus;
  error: string | null;
  doors: string | null;
  created_at: number;
  updated_at: number;
  expires_at: number;
}

const toCommand = (r: CommandRow): CommandRecord => ({
  id: r.id,
  tenantId: r.tenant_id,
  siteId: r.site_id,
  target: JSON.parse(r.target) as CommandTarget,
  reason: r.reason,
  issuedBy: r.issued_by,
  issuerRole: r.issuer_role,
  status: r.status,
  ...(r.error ? { error: r.error } : {}),
  ...(r.doors ? { doors: JSON.parse(r.doors) as DoorReport[] } : {}),
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  expiresAt: r.expires_at,
});

/** Operator commands and their lifecycle. */
export class CommandsStore {
  constructor(private readonly db: Db) {}

  insert(cmd: CommandRecord): void {
    this.db.prepare(SQL.insert).run({ ...cmd, target: JSON.stringify(cmd.target), error: cmd.error ?? null });
  }

  byId(id: string): CommandRecord | undefined {
    const row = this.db.prepare(SQL.byId).get(id) as CommandRow | undefined;
    return row ? toCommand(row) : undefined;
  }

  /** Moves a non-final command to `status`; false when it was already final. */
  transition(id: string, status: CommandStatus, error: string | undefined, now = Date.now(), doors?: DoorReport[]): boolean {
    return this.db.prepare(SQL.transition).run({ id, status, error: error ?? null, doors: doors ? JSON.stringify(doors) : null, now }).changes === 1;
  }

  open(): CommandRecord[] {
    return (this.db.prepare(SQL.open).all() as CommandRow[]).map(toCommand);
  }

  countByStatus(tenantId: string, siteId: string, from: number, to: number): Map<string, number> {
    const rows = this.db.prepare(SQL.countBySite).all(tenantId, siteId, from, to) as Array<{
      status: string;
      n: number;
    }>;
    return new Map(rows.map((r) => [r.status, r.n]));
  }
}
