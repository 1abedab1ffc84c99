import { deviceConfigSchema, type DeviceConfig } from '@cr/shared';
import type { Db } from './db';

/** Registered devices survive a restart, so readers map to doors before devices re-announce. */
export class DeviceStore {
  private readonly putStmt;
  private readonly delStmt;

  constructor(private readonly db: Db) {
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

  put(config: DeviceConfig): void {
    this.putStmt.run(config.id, JSON.stringify(config));
  }

  remove(id: string): void {
    this.delStmt.run(id);
  }
}
