import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { migrate } from './migrations';

export type Db = Database.Database;

/** WAL pages (4 KiB) at which SQLite checkpoints inside a commit when a background checkpointer runs. */
const SAFETY_CHECKPOINT_PAGES = 10_000;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS outbox (seq INTEGER PRIMARY KEY AUTOINCREMENT, body TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS recent_event_ids (seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, at INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS members (id TEXT PRIMARY KEY, body TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS kv (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS devices (id TEXT PRIMARY KEY, config TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS commands (seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, body TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS doc_updates (seq INTEGER PRIMARY KEY AUTOINCREMENT, update_bytes BLOB NOT NULL);
`;

/**
 * Opens the edge's one SQLite file under `dataDir` in WAL mode. `full` (the default) fsyncs the WAL
 * at every commit, so what committed survives power loss (DESIGN.md: 48 h of events through crashes
 * and power loss); group commit keeps that fast. `normal` survives a killed process only. With
 * `backgroundCheckpoints` a Checkpointer keeps the WAL short and SQLite's own checkpoint (inside a
 * commit) only starts should the WAL still reach ~40 MB.
 */
export function openDb(dataDir: string, sync: 'normal' | 'full' = 'full', opts: { backgroundCheckpoints?: boolean } = {}): Db {
  mkdirSync(dataDir, { recursive: true });
  const db = new Database(join(dataDir, 'edge.sqlite'));
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${sync === 'full' ? 'FULL' : 'NORMAL'}`);
  db.pragma('busy_timeout = 5000');
  if (opts.backgroundCheckpoints) db.pragma(`wal_autocheckpoint = ${SAFETY_CHECKPOINT_PAGES}`);
  migrate(db);
  db.exec(SCHEMA);
  return db;
}

/** Small key-value settings (permission version, sync stamp, cached public key). */
export class Settings {
  private readonly getStmt;
  private readonly setStmt;

  constructor(db: Db) {
    this.getStmt = db.prepare<[string], { value: string }>('SELECT value FROM kv WHERE key = ?');
    this.setStmt = db.prepare('INSERT INTO kv (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value');
  }

  get(key: string): string | undefined {
    return this.getStmt.get(key)?.value;
  }

  set(key: string, value: string): void {
    this.setStmt.run(key, value);
  }
}
