import type { GroupCommit } from '@cr/store-kit';
import type { Db } from './db';

export type Approval = 'pending' | 'approved';

export interface AdmissionRecord {
  state: Approval;
  /** the zone a person placed the device in (wins over the zone the device claims) */
  zoneId?: string;
}

/** Which devices were admitted, persisted: an approval survives restarts and re-announcements. */
export class AdmissionStore {
  private readonly rows = new Map<string, AdmissionRecord>();
  private readonly putStmt;

  constructor(
    db: Db,
    private readonly commits: GroupCommit,
  ) {
    for (const r of db.prepare<[], { id: string; state: string; zone_id: string | null }>('SELECT id, state, zone_id FROM device_admission').all()) {
      this.rows.set(r.id, { state: r.state === 'approved' ? 'approved' : 'pending', zoneId: r.zone_id ?? undefined });
    }
    this.putStmt = db.prepare('INSERT INTO device_admission (id, state, zone_id, at) VALUES (?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET state = excluded.state, zone_id = excluded.zone_id, at = excluded.at');
  }

  get(id: string): AdmissionRecord | undefined {
    return this.rows.get(id);
  }

  /** Applies at once (decisions read memory) and resolves once committed. */
  put(id: string, record: AdmissionRecord, now: number): Promise<unknown> {
    this.rows.set(id, record);
    return this.commits.run(() => this.putStmt.run(id, record.state, record.zoneId ?? null, now));
  }
}
