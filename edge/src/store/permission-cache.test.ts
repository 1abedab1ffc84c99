import { mkdtempSync, readFileSync, rmSync, statSync, existsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { decideAccess, type Member } from '@cr/shared';
import { openDb, type Db } from './db';
import { PermissionCache, type PermissionUpdate } from './permission-cache';
import { CACHE_KEY_FILE } from './cache-cipher';

const NAME = 'Hong Gildong-7c1e';
const CARD = 'card-5f3a9e2d41';
const member = (id: string, name: string, card: string): Member => ({
  id,
  name,
  active: true,
  credentials: [{ type: 'card', value: card }],
  grants: [{ zoneIds: ['lobby'] }],
  secureMode: false,
  offlineWhitelist: true,
});
const snapshot = (members: Member[], version = 7): PermissionUpdate => ({
  kind: 'snapshot',
  fromVersion: 0,
  version,
  upserts: members,
  removals: [],
});

let dir: string;
let db: Db;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'edge-cache-'));
  db = openDb(dir);
});
afterEach(() => {
  if (db.open) db.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The bytes an attacker holding a copy of the database sees: the file and its write-ahead log. */
const fileBytes = (): string =>
  ['edge.sqlite', 'edge.sqlite-wal']
    .filter((f) => existsSync(join(dir, f)))
    .map((f) => readFileSync(join(dir, f)).toString('latin1'))
    .join('');

/** The access decision a reader at the lobby gets now, from this cache. */
const decide = (cache: PermissionCache, card: string) =>
  decideAccess({
    credential: { type: 'card', value: card },
    member: cache.lookup({ type: 'card', value: card }),
    zoneId: 'lobby',
    mode: 'normal',
    cacheSyncedAt: cache.syncedAt,
    cacheTtlMs: 4 * 3600_000,
    now: Date.now(),
    timeZone: 'Asia/Seoul',
  });

describe('permission cache at rest', () => {
  it('keeps no name or credential value in clear in the file, and decides the same after a restart', () => {
    const cache = new PermissionCache(db);
    cache.apply(snapshot([member('m-1', NAME, CARD), member('m-2', 'Kim Other-1', 'card-other-9')]), Date.now());
    expect(decide(cache, CARD)).toMatchObject({ granted: true, memberId: 'm-1' });
    db.close();

    db = openDb(dir);
    expect(fileBytes()).not.toContain(CARD);
    expect(fileBytes()).not.toContain(NAME);
    const again = new PermissionCache(db);
    expect(again.version).toBe(7);
    expect(again.unreadable).toBe(0);
    expect(decide(again, CARD)).toMatchObject({ granted: true, memberId: 'm-1' });
    expect(decide(again, 'card-unknown')).toMatchObject({ granted: false, reason: 'unknown-credential' });
  });

  it('keeps its key in a 0600 file of the data directory', () => {
    new PermissionCache(db);
    expect(statSync(join(dir, CACHE_KEY_FILE)).mode & 0o777).toBe(0o600);
  });

  it('seals a cache written before encryption and leaves no plaintext behind, older versions included', () => {
    // The layout of earlier builds: JSON bodies, rewritten on every update (older copies in free space).
    const put = db.prepare(
      'INSERT INTO members (id, body) VALUES (?, ?) ON CONFLICT(id) DO UPDATE SET body = excluded.body',
    );
    put.run('m-1', JSON.stringify(member('m-1', 'Old Name-e4f1', 'card-old-77aa')));
    put.run('m-1', JSON.stringify(member('m-1', NAME, CARD)));
    for (let i = 0; i < 300; i++)
      put.run(`gone-${i}`, JSON.stringify(member(`gone-${i}`, `Gone ${i}`, `card-gone-${i}`)));
    db.prepare("DELETE FROM members WHERE id LIKE 'gone-%'").run();
    db.prepare("INSERT INTO kv (key, value) VALUES ('permissions.version', '3')").run();
    db.close();

    db = openDb(dir);
    const cache = new PermissionCache(db);
    expect(decide(cache, CARD)).toMatchObject({ memberId: 'm-1' });
    expect(cache.version).toBe(3);
    const bytes = fileBytes();
    for (const secret of [CARD, NAME, 'card-old-77aa', 'Old Name-e4f1', 'card-gone-150', 'Gone 150'])
      expect(bytes).not.toContain(secret);
    db.close();
    db = openDb(dir);
    expect(decide(new PermissionCache(db), CARD)).toMatchObject({ memberId: 'm-1' });
  });

  it('refuses a row moved onto another member (the member id is bound to its ciphertext) and asks for a snapshot', () => {
    const cache = new PermissionCache(db);
    cache.apply(snapshot([member('m-1', NAME, CARD), member('m-2', 'Kim Other-1', 'card-other-9')]), Date.now());
    // Threat: someone with write access to the file giving m-2 (say, a whitelisted member) m-1's record.
    db.prepare("UPDATE members SET body = (SELECT body FROM members WHERE id = 'm-1') WHERE id = 'm-2'").run();
    db.close();
    db = openDb(dir);
    const again = new PermissionCache(db);
    expect(again.unreadable).toBe(1);
    expect(again.version).toBe(0);
    expect(again.size).toBe(1);
    expect(decide(again, 'card-other-9').granted).toBe(false);
  });

  it('with a replaced key file opens nothing and asks the cloud for a snapshot', () => {
    new PermissionCache(db).apply(snapshot([member('m-1', NAME, CARD)]), Date.now());
    db.close();
    writeFileSync(join(dir, CACHE_KEY_FILE), Buffer.alloc(32, 7).toString('base64url'));
    db = openDb(dir);
    const again = new PermissionCache(db);
    expect(again).toMatchObject({ size: 0, unreadable: 1, version: 0 });
    expect(decide(again, CARD).granted).toBe(false);
  });
});
