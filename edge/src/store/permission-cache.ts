import { credentialKey, memberSchema, type Credential, type Member } from '@cr/shared';
import { Settings, type Db } from './db';
import type { GroupCommit } from '@cr/store-kit';

export interface PermissionUpdate {
  kind: 'snapshot' | 'delta';
  fromVersion: number;
  version: number;
  upserts: Member[];
  removals: string[];
}

export type ApplyResult = 'applied' | 'version-gap';

/**
 * Members and their credentials, persisted in SQLite and held in memory for the decision hot
 * path. Updates are applied to SQLite in one transaction, then swapped into memory in one step, so
 * a decision never waits on a refresh and never sees half an update. An update the cloud sends in
 * parts is applied only once all parts are in (uplink/permission-chunks.ts).
 */
export class PermissionCache {
  private byCredential = new Map<string, Member>();
  private members = new Map<string, Member>();
  /** the edge's key–value settings, where the cache keeps its version and sync stamp */
  readonly settings: Settings;
  version: number;
  syncedAt: number | undefined;

  constructor(
    private readonly db: Db,
    private readonly commits?: GroupCommit,
  ) {
    this.settings = new Settings(db);
    this.version = Number(this.settings.get('permissions.version') ?? 0);
    const synced = this.settings.get('permissions.syncedAt');
    this.syncedAt = synced === undefined ? undefined : Number(synced);
    for (const row of db.prepare<[], { body: string }>('SELECT body FROM members').all()) {
      const m = memberSchema.safeParse(JSON.parse(row.body));
      if (m.success) this.members.set(m.data.id, m.data);
    }
    this.reindex();
  }

  get size(): number {
    return this.members.size;
  }

  lookup(credential: Credential): Member | undefined {
    return this.byCredential.get(credentialKey(credential));
  }

  /** Applies a snapshot or a delta; a delta that does not start at our version is refused. */
  apply(update: PermissionUpdate, now: number): ApplyResult {
    if (update.kind === 'delta' && update.fromVersion !== this.version) return 'version-gap';
    const next = update.kind === 'snapshot' ? new Map<string, Member>() : new Map(this.members);
    for (const id of update.removals) next.delete(id);
    for (const m of update.upserts) next.set(m.id, m);
    this.db.transaction(() => {
      if (update.kind === 'snapshot') this.db.prepare('DELETE FROM members').run();
      const del = this.db.prepare('DELETE FROM members WHERE id = ?');
      for (const id of update.removals) del.run(id);
      const put = this.db.prepare('INSERT INTO members (id, body) VALUES (?, ?) ON CONFLICT(id) DO UPDATE SET body = excluded.body');
      for (const m of update.upserts) put.run(m.id, JSON.stringify(m));
      this.settings.set('permissions.version', String(update.version));
      this.settings.set('permissions.syncedAt', String(now));
    })();
    this.members = next;
    this.version = update.version;
    this.syncedAt = now;
    this.reindex();
    return 'applied';
  }

  /**
   * Records a successful contact with the cloud that found nothing newer. The stamp rides along with
   * the next commit: losing the last few seconds of it in a power cut only makes the cache look a
   * little older, and a heartbeat must not cost an fsync on the event loop of its own.
   */
  markSynced(now: number): void {
    this.syncedAt = now;
    const write = () => this.settings.set('permissions.syncedAt', String(now));
    if (this.commits) void this.commits.defer(write).catch(() => undefined);
    else write();
  }

  /** Forgets the version so the next hello asks for a full snapshot. */
  resetVersion(): void {
    this.version = 0;
    this.settings.set('permissions.version', '0');
  }

  isStale(now: number, ttlMs: number): boolean {
    return this.syncedAt === undefined || now - this.syncedAt > ttlMs;
  }

  private reindex(): void {
    const index = new Map<string, Member>();
    for (const m of this.members.values()) for (const c of m.credentials) index.set(credentialKey(c), m);
    this.byCredential = index;
  }
}
