import { randomBytes } from 'node:crypto';
import { dirname } from 'node:path';
import { credentialKey, memberSchema, type Credential, type Member } from '@cr/shared';
import { Settings, type Db } from './db';
import type { GroupCommit } from '@cr/store-kit';
import { loadOrCreateCacheKey, openRow, rewriteScrubbed, sealRow } from './cache-cipher';

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
 *
 * Rows are sealed (AES-256-GCM, the member id as associated data) with the key of
 * cache-cipher.ts, and opened only at start: decisions read memory, so encryption costs them nothing.
 */
export class PermissionCache {
  private byCredential = new Map<string, Member>();
  private members = new Map<string, Member>();
  /** the edge's key–value settings, where the cache keeps its version and sync stamp */
  readonly settings: Settings;
  version: number;
  syncedAt: number | undefined;
  /** rows at start that did not open (another key, tampered): the next hello asks for a snapshot */
  readonly unreadable: number;

  /** `key` defaults to the key file in the database's directory (random for an in-memory database). */
  constructor(
    private readonly db: Db,
    private readonly commits?: GroupCommit,
    private readonly key: Buffer = db.memory ? randomBytes(32) : loadOrCreateCacheKey(dirname(db.name)),
  ) {
    this.settings = new Settings(db);
    this.version = Number(this.settings.get('permissions.version') ?? 0);
    const synced = this.settings.get('permissions.syncedAt');
    this.syncedAt = synced === undefined ? undefined : Number(synced);
    this.unreadable = this.load();
    // A cache missing rows must not claim its version: the cloud would only send what changed after it.
    if (this.unreadable > 0) this.resetVersion();
    this.reindex();
  }

  /** Reads every row into memory, sealing rows written before encryption; returns how many did not open. */
  private load(): number {
    const rows = this.db.prepare<[], { id: string; body: Buffer | string }>('SELECT id, body FROM members').all();
    let plaintext = false;
    let unreadable = 0;
    for (const row of rows) {
      const text = typeof row.body === 'string' ? row.body : openRow(this.key, row.body, row.id);
      const parsed = text === undefined ? undefined : memberSchema.safeParse(safeJson(text));
      if (!parsed?.success || parsed.data.id !== row.id) {
        unreadable++;
        continue;
      }
      this.members.set(row.id, parsed.data);
      plaintext ||= typeof row.body === 'string';
    }
    // Every row again, not only the plaintext ones: pages may still hold older plaintext versions
    // of rows in their free space, and clearing the table zeroes whole pages.
    if (plaintext)
      rewriteScrubbed(this.db, () => {
        this.db.prepare('DELETE FROM members').run();
        this.putRows(this.members.values());
      });
    return unreadable;
  }

  private putRows(members: Iterable<Member>): void {
    const put = this.db.prepare('INSERT INTO members (id, body) VALUES (?, ?) ON CONFLICT(id) DO UPDATE SET body = excluded.body');
    for (const m of members) put.run(m.id, sealRow(this.key, JSON.stringify(m), m.id));
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
      this.putRows(update.upserts);
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

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
