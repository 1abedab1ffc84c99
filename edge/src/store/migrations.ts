import type Database from 'better-sqlite3';

/**
 * Layout 1 kept each outbox event's id in a UNIQUE column: every upload acknowledgement then paid
 * for random deletions in that index. Layout 2 keys the outbox by its integer sequence only and
 * remembers device event ids in `recent_event_ids` (store/replay-guard.ts).
 */
const LAYOUT = 3;

function columns(db: Database.Database, table: string): string[] {
  return db.prepare<[], { name: string }>(`SELECT name FROM pragma_table_info('${table}')`).all().map((c) => c.name);
}

/**
 * Brings an existing file to the current layout in one transaction (a crash leaves the old layout
 * whole). Ids of events still waiting for upload are carried over as seen, so a device replaying
 * one of them after the upgrade is still refused; the sequence carries on where it was, so batch
 * ids are never reused.
 */
export function migrate(db: Database.Database): void {
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version >= LAYOUT) return;
  db.transaction(() => {
    if (version < 2 && columns(db, 'outbox').includes('id')) {
      const now = Date.now();
      db.exec(`
        ALTER TABLE outbox RENAME TO outbox_layout1;
        CREATE TABLE outbox (seq INTEGER PRIMARY KEY AUTOINCREMENT, body TEXT NOT NULL);
        INSERT INTO outbox (seq, body) SELECT seq, body FROM outbox_layout1 ORDER BY seq;
        CREATE TABLE IF NOT EXISTS recent_event_ids (seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, at INTEGER NOT NULL);
        INSERT OR IGNORE INTO recent_event_ids (id, at) SELECT id, ${now} FROM outbox_layout1 ORDER BY seq;
        DELETE FROM sqlite_sequence WHERE name = 'outbox';
        UPDATE sqlite_sequence SET name = 'outbox' WHERE name = 'outbox_layout1';
        DROP TABLE outbox_layout1;
      `);
    }
    // Layout 3: device admission. Devices a gateway already trusted stay approved after the upgrade.
    db.exec('CREATE TABLE IF NOT EXISTS device_admission (id TEXT PRIMARY KEY, state TEXT NOT NULL, zone_id TEXT, at INTEGER NOT NULL)');
    if (columns(db, 'devices').length > 0) db.exec("INSERT OR IGNORE INTO device_admission (id, state, at) SELECT id, 'approved', 0 FROM devices");
    db.pragma(`user_version = ${LAYOUT}`);
  })();
}
