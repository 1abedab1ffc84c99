import { commandStatusSchema, isFinalCommandStatus, type CommandStatus, type CommandTarget } from '@cr/shared';
import type { Db } from '../store/db';
import type { GroupCommit } from '@cr/store-kit';

export interface CommandRecord {
  id: string;
  status: CommandStatus;
  error?: string;
  siteId: string;
  target: CommandTarget;
  source: 'cloud' | 'local';
  createdAt: number;
  updatedAt: number;
}

const SQL = {
  recent: 'SELECT body FROM commands ORDER BY seq DESC LIMIT ?',
  upsert: 'INSERT INTO commands (id, body) VALUES (?, ?) ON CONFLICT(id) DO UPDATE SET body = excluded.body',
  trim: 'DELETE FROM commands WHERE seq <= (SELECT MAX(seq) FROM commands) - ?',
} as const;

/** A command still pending when the edge stopped can no longer finish; its outcome is unknown. */
const INTERRUPTED = 'edge restarted before the command finished; check the door state';

/**
 * Recent commands and their status, for `GET /api/v1/commands/{id}` on the local API and to refuse
 * replayed command ids. Kept in memory and written through to SQLite (group-committed), bounded to
 * the newest `max` records, so outcomes and replay protection survive a restart.
 */
export class CommandBook {
  private readonly records = new Map<string, CommandRecord>();
  private readonly upsertStmt;
  private readonly trimStmt;

  constructor(
    db: Db,
    private readonly commits: GroupCommit,
    private readonly onError: (err: Error) => void,
    private readonly max = 2_000,
  ) {
    this.upsertStmt = db.prepare(SQL.upsert);
    this.trimStmt = db.prepare(SQL.trim);
    const rows = db.prepare<[number], { body: string }>(SQL.recent).all(max);
    for (const row of rows.reverse()) {
      const record = parseRecord(row.body);
      if (!record) continue;
      this.records.set(record.id, record);
      if (!isFinalCommandStatus(record.status)) this.update(record.id, 'failed', Date.now(), INTERRUPTED);
    }
  }

  has(id: string): boolean {
    return this.records.has(id);
  }

  get(id: string): CommandRecord | undefined {
    return this.records.get(id);
  }

  put(record: CommandRecord): void {
    this.records.set(record.id, record);
    if (this.records.size > this.max) {
      const oldest = this.records.keys().next().value;
      if (oldest !== undefined) this.records.delete(oldest);
    }
    this.persist(record);
  }

  update(id: string, status: CommandStatus, at: number, error?: string): void {
    const r = this.records.get(id);
    if (!r) return;
    Object.assign(r, { status, error, updatedAt: at });
    this.persist(r);
  }

  private persist(record: CommandRecord): void {
    const body = JSON.stringify(record);
    this.commits
      .run(() => {
        this.upsertStmt.run(record.id, body);
        this.trimStmt.run(this.max);
      })
      .catch(this.onError);
  }
}

/** A stored record, or undefined when the row is not one (a damaged file must not stop the edge). */
function parseRecord(body: string): CommandRecord | undefined {
  try {
    const r = JSON.parse(body) as CommandRecord;
    return typeof r.id === 'string' && commandStatusSchema.safeParse(r.status).success ? r : undefined;
  } catch {
    return undefined;
  }
}
