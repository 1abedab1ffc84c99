import type { CommandStatus, CommandTarget, DoorReport } from '@cr/shared';
import type { CommandRecord } from '../commands-store';
import type { CommandsPort } from '../ports';
import type { PgDb } from './pg-db';

const SQL = {
  insert: `INSERT INTO commands (id, tenant_id, site_id, target, reason, issued_by, issuer_role, status, error, created_at, updated_at, expires_at)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
  byId: 'SELECT * FROM commands WHERE id = $1',
  /** Only a command that is not final moves on: a late outcome never rewrites a final status. */
  transition: `UPDATE commands SET status = $2, error = $3, doors = $4, updated_at = $5
    WHERE id = $1 AND status IN ('pending', 'sent')`,
  open: `SELECT * FROM commands WHERE status IN ('pending', 'sent') ORDER BY created_at, id`,
  countBySite: `SELECT status, COUNT(*) AS n FROM commands
    WHERE tenant_id = $1 AND site_id = $2 AND created_at >= $3 AND created_at < $4 GROUP BY status`,
  deleteBefore: `DELETE FROM commands WHERE id IN
    (SELECT id FROM commands WHERE created_at < $1 AND status NOT IN ('pending', 'sent') LIMIT $2)`,
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

/** Operator commands and their lifecycle in PostgreSQL (the same contract as CommandsStore). */
export class PgCommandsStore implements CommandsPort {
  constructor(private readonly db: PgDb) {}

  /** Records a new command; its door results come later, with its outcome (transition). */
  async insert(cmd: CommandRecord): Promise<void> {
    await this.db.pool.query(SQL.insert, [
      cmd.id,
      cmd.tenantId,
      cmd.siteId,
      JSON.stringify(cmd.target),
      cmd.reason,
      cmd.issuedBy,
      cmd.issuerRole,
      cmd.status,
      cmd.error ?? null,
      cmd.createdAt,
      cmd.updatedAt,
      cmd.expiresAt,
    ]);
  }

  async byId(id: string): Promise<CommandRecord | undefined> {
    const row = (await this.db.pool.query<CommandRow>(SQL.byId, [id])).rows[0];
    return row ? toCommand(row) : undefined;
  }

  /** Moves a non-final command to `status`; false when it was already final. */
  async transition(
    id: string,
    status: CommandStatus,
    error: string | undefined,
    now = Date.now(),
    doors?: DoorReport[],
  ): Promise<boolean> {
    const r = await this.db.pool.query(SQL.transition, [
      id,
      status,
      error ?? null,
      doors ? JSON.stringify(doors) : null,
      now,
    ]);
    return r.rowCount === 1;
  }

  async open(): Promise<CommandRecord[]> {
    return (await this.db.pool.query<CommandRow>(SQL.open)).rows.map(toCommand);
  }

  async countByStatus(tenantId: string, siteId: string, from: number, to: number): Promise<Map<string, number>> {
    const rows = (
      await this.db.pool.query<{ status: string; n: number }>(SQL.countBySite, [tenantId, siteId, from, to])
    ).rows;
    return new Map(rows.map((r) => [r.status, r.n]));
  }

  /** Deletes up to `limit` final commands created before `before`; returns how many (retention). */
  async deleteBefore(before: number, limit: number): Promise<number> {
    return (await this.db.pool.query(SQL.deleteBefore, [before, limit])).rowCount ?? 0;
  }
}
