import { deviceConfigSchema, type DeviceConfig } from '@cr/shared';
import type { Db } from './db';
import type { GroupCommit } from '@cr/store-kit';

/** Registered devices survive a restart, so readers map to doors before devices re-announce. */
export class DeviceStore {
  private readonly putStmt;
  private readonly delStmt;

  constructor(
    private readonly db: Db,
    private readonly commits: GroupCommit,
  ) {
    this.putStmt = db.prepare('INSERT INTO devices (id, config) VALUES (?, ?) ON CONFLICT(id) DO UPDATE SET config = excluded.config');
    this.delStmt = db.prepare('DELETE FROM devices WHERE id = ?');
  }

  all(): DeviceConfig[] {
    const out: DeviceConfig[] = [];
    for (const row of this.db.prepare<[], { config: string }>('SELECT config FROM devices').all()) {
      const c = deviceConfigSchema.safeParse(JSON.parse(row.config));
      if (c.success) out.push(c.data);
    }
    return out;
  }

  /** Resolves once committed, so a device's retained config is acknowledged only when stored. */
  put(config: DeviceConfig): Promise<unknown> {
    const body = JSON.stringify(config);
    return this.commits.run(() => this.putStmt.run(config.id, body));
  }

  remove(id: string): Promise<unknown> {
    return this.commits.run(() => this.delStmt.run(id));
  }
}
