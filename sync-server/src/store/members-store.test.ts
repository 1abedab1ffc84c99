import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CloudMember } from '../domain/member-model';
import { openDb, type Db } from './db';
import { MIGRATIONS } from './migrations';
import { CredentialInUseError, MembersStore } from './members-store';
import { TenantKeyError, TenantKeys } from './tenant-keys-store';
import { AuditStore } from './audit-store';
import { loadMasterKey, SecretsKeyError } from '../domain/secrets';

const NAME = 'Lee Seoyeon-81f2';
const CARD = 'card-93c0ab17e5';
const member = (id: string, name: string, card: string): CloudMember => ({
  id,
  name,
  active: true,
  credentials: [{ type: 'card', value: card }],
  grants: [{ zoneIds: ['lobby'] }],
  secureMode: false,
  offlineWhitelist: false,
});

let dir: string;
let db: Db;
const file = () => join(dir, 'cloud.db');
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cloud-members-'));
});
afterEach(() => {
  if (db?.open) db.close();
  rmSync(dir, { recursive: true, force: true });
});

/** What a copy of the database shows, log included. */
const fileBytes = (): string =>
  ['cloud.db', 'cloud.db-wal']
    .filter((f) => existsSync(join(dir, f)))
    .map((f) => readFileSync(join(dir, f)).toString('latin1'))
    .join('');

describe('members at rest', () => {
  it('keeps no name or credential value in clear in the file, and reads them back after a restart', () => {
    db = openDb(file());
    const store = new MembersStore(db);
    const version = store.upsert('t1', [member('m-1', NAME, CARD), member('m-2', 'Park Other-5', 'card-other-2')]);
    db.close();

    expect(fileBytes()).not.toContain(NAME);
    expect(fileBytes()).not.toContain(CARD);
    expect(statSync(join(dir, 'master-key.secret')).mode & 0o777).toBe(0o600);

    db = openDb(file());
    const again = new MembersStore(db);
    expect(again.member('t1', 'm-1')).toEqual(member('m-1', NAME, CARD));
    expect(again.changesSince('t1', 0)).toMatchObject({ version, upserts: [{ id: 'm-1' }, { id: 'm-2' }] });
    expect(again.credentialHolder('t1', { type: 'card', value: CARD })).toBe('m-1');
  });

  it('refuses to start with another master key instead of minting a new data key over the old', () => {
    db = openDb(file());
    new MembersStore(db).upsert('t1', [member('m-1', NAME, CARD)]);
    const wrapped = db.prepare('SELECT wrapped FROM tenant_keys').all();
    const other = new MembersStore(db, new TenantKeys(db, Buffer.alloc(32, 9)));
    expect(() => other.members('t1')).toThrow(TenantKeyError);
    expect(db.prepare('SELECT wrapped FROM tenant_keys').all()).toEqual(wrapped);
  });

  it('takes the master key from CR_SECRETS_KEY when set, writes no key file, and refuses a malformed one', () => {
    const key = Buffer.alloc(32, 5).toString('base64');
    expect(() => loadMasterKey(dir, 'too-short')).toThrow(SecretsKeyError);
    db = openDb(file());
    new MembersStore(db, new TenantKeys(db, loadMasterKey(dir, key))).upsert('t1', [member('m-1', NAME, CARD)]);
    expect(existsSync(join(dir, 'master-key.secret'))).toBe(false);
    expect(new MembersStore(db, new TenantKeys(db, loadMasterKey(dir, key))).member('t1', 'm-1')?.name).toBe(NAME);
    // Without the key (the data directory alone) the members do not open.
    expect(() => new MembersStore(db, new TenantKeys(db, loadMasterKey(dir, ''))).member('t1', 'm-1')).toThrow(
      TenantKeyError,
    );
  });

  it("does not read one member's sealed record as another's (row swapped in the file)", () => {
    db = openDb(file());
    const store = new MembersStore(db);
    store.upsert('t1', [member('m-1', NAME, CARD), member('m-2', 'Park Other-5', 'card-other-2')]);
    db.prepare("UPDATE members SET body = (SELECT body FROM members WHERE id = 'm-1') WHERE id = 'm-2'").run();
    expect(() => store.member('t1', 'm-2')).toThrow();
  });
});

describe('a credential belongs to one member of a tenant', () => {
  it('refuses a card another member holds, naming the holder, and stores nothing', () => {
    db = openDb(file());
    const store = new MembersStore(db);
    const v = store.upsert('t1', [member('m-1', NAME, CARD)]);
    const err = (() => {
      try {
        store.upsert('t1', [member('m-2', 'Thief', CARD)]);
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(CredentialInUseError);
    expect(err).toMatchObject({ holderId: 'm-1', credentialType: 'card' });
    expect(store.member('t1', 'm-2')).toBeUndefined();
    expect(store.version('t1')).toBe(v);
  });

  it('lets the holder keep it, another tenant use the same value, and frees it on revocation', () => {
    db = openDb(file());
    const store = new MembersStore(db);
    store.upsert('t1', [member('m-1', NAME, CARD)]);
    expect(() => store.upsert('t1', [{ ...member('m-1', NAME, CARD), active: false }])).not.toThrow();
    expect(() => store.upsert('t2', [member('x-1', 'Other tenant', CARD)])).not.toThrow();
    store.remove('t1', 'm-1');
    expect(() => store.upsert('t1', [member('m-3', 'New holder', CARD)])).not.toThrow();
    expect(store.credentialHolder('t1', { type: 'card', value: CARD })).toBe('m-3');
  });

  it('frees a card the holder drops', () => {
    db = openDb(file());
    const store = new MembersStore(db);
    store.upsert('t1', [member('m-1', NAME, CARD)]);
    store.upsert('t1', [member('m-1', NAME, 'card-new')]);
    expect(() => store.upsert('t1', [member('m-2', 'Next', CARD)])).not.toThrow();
  });
});

describe('upgrade of a data directory written before encryption', () => {
  const FIRST_NEW = MIGRATIONS.findIndex((m) => m.includes('CREATE TABLE tenant_keys'));

  function legacyDatabase(): void {
    const old = new Database(file());
    old.pragma('journal_mode = WAL');
    for (const m of MIGRATIONS.slice(0, FIRST_NEW)) old.exec(m);
    old.pragma(`user_version = ${FIRST_NEW}`);
    const put = old.prepare(`INSERT INTO members (tenant_id, id, body, version, updated_at) VALUES ('t1', ?, ?, ?, 0)
      ON CONFLICT (tenant_id, id) DO UPDATE SET body = excluded.body, version = excluded.version`);
    put.run('m-1', JSON.stringify(member('m-1', 'Earlier Name-0a9', 'card-earlier-44')), 1);
    put.run('m-1', JSON.stringify(member('m-1', NAME, CARD)), 2);
    put.run('m-2', JSON.stringify(member('m-2', 'Revoked Person-3b', 'card-revoked-31')), 3);
    put.run('m-2', null, 4);
    old.prepare("INSERT INTO permission_versions (tenant_id, version) VALUES ('t1', 4)").run();
    const audit =
      old.prepare(`INSERT INTO audit (id, tenant_id, ts, actor, action, target, result, site_id, source, details)
      VALUES (?, 't1', ?, ?, 'member.update', 'member:m-1', 'ok', NULL, ?, ?)`);
    audit.run('a-1', 1000, 'admin.kim@t1.test', '10.7.7.7', '{"version":2}');
    audit.run('a-2', 2000, 'admin.choi@t1.test', '10.8.8.8', null);
    old.close();
  }

  it('seals the members, indexes their credentials, chains the audit, and leaves nothing in clear', () => {
    legacyDatabase();
    db = openDb(file());
    const members = new MembersStore(db);
    const audit = new AuditStore(db);

    expect(members.members('t1')).toEqual([member('m-1', NAME, CARD)]);
    expect(members.changesSince('t1', 3)).toEqual({ version: 4, upserts: [], removals: ['m-2'] });
    expect(members.credentialHolder('t1', { type: 'card', value: CARD })).toBe('m-1');
    expect(audit.verifyAuditChain('t1')).toEqual({ ok: true, records: 2, redacted: 0 });
    expect(audit.query({ tenantId: 't1', limit: 5 }).map((r) => [r.id, r.actor, r.source])).toEqual([
      ['a-2', 'admin.choi@t1.test', '10.8.8.8'],
      ['a-1', 'admin.kim@t1.test', '10.7.7.7'],
    ]);
    const tables = (
      db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as Array<{ name: string }>
    ).map((t) => t.name);
    expect(tables).not.toContain('members_plaintext');
    expect(tables).not.toContain('audit_legacy');

    const bytes = fileBytes();
    for (const secret of [NAME, CARD, 'Earlier Name-0a9', 'card-earlier-44', 'Revoked Person-3b', 'card-revoked-31'])
      expect(bytes).not.toContain(secret);
    db.close();
    db = openDb(file());
    expect(new MembersStore(db).member('t1', 'm-1')).toEqual(member('m-1', NAME, CARD));
  });
});
