import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDb, Settings, type Db } from '../store/db';
import { IssuedLogins } from './issued-logins';

const HASH_A = 'scrypt$32768$8$1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNo';
const HASH_B = 'scrypt$32768$8$1$c2FsdHNhbHRzYWx0$b3RoZXJoYXNo';
let dir: string;
let db: Db | undefined;
const open = () => {
  db?.close();
  db = openDb(dir, 'normal');
  return new Settings(db);
};
afterEach(() => {
  db?.close();
  db = undefined;
  rmSync(dir, { recursive: true, force: true });
});

describe('IssuedLogins', () => {
  it("keeps the cloud's logins across a restart, each speaking for its own device", () => {
    dir = mkdtempSync(join(tmpdir(), 'edge-logins-'));
    const logins = new IssuedLogins(open());
    logins.adopt({ type: 'device.logins', kind: 'snapshot', upserts: [{ deviceId: 'door-1', username: 'dev.door-1', passwordHash: HASH_A }], removals: [] });
    const again = new IssuedLogins(open());
    expect(again.get('dev.door-1')).toEqual({ username: 'dev.door-1', passwordHash: HASH_A, deviceIds: ['door-1'] });
    expect(again.get('dev.door-2')).toBeUndefined();
  });

  it('ends the sessions of revoked, rotated and (by a snapshot) dropped logins, and skips a hash it cannot verify', () => {
    dir = mkdtempSync(join(tmpdir(), 'edge-logins-'));
    const logins = new IssuedLogins(open());
    const ended: string[][] = [];
    logins.onRevoked = (u) => ended.push(u);
    const up = (deviceId: string, passwordHash: string, username = `dev.${deviceId}`) => ({ deviceId, username, passwordHash });
    logins.adopt({ type: 'device.logins', kind: 'snapshot', upserts: [up('door-1', HASH_A), up('reader-1', HASH_A), up('fire-1', HASH_A)], removals: [] });
    expect(logins.adopt({ type: 'device.logins', kind: 'delta', upserts: [up('door-1', HASH_B)], removals: ['reader-1'] }).sort()).toEqual(['dev.door-1', 'dev.reader-1']);
    expect(logins.get('dev.door-1')?.passwordHash).toBe(HASH_B);
    expect(logins.get('dev.reader-1')).toBeUndefined();
    // a rotation under another username replaces the device's old login
    logins.adopt({ type: 'device.logins', kind: 'delta', upserts: [up('fire-1', HASH_B, 'panel.fire-1')], removals: [] });
    expect(logins.get('dev.fire-1')).toBeUndefined();
    expect(logins.get('panel.fire-1')?.deviceIds).toEqual(['fire-1']);
    // a snapshot is the whole truth: what it does not name is gone
    expect(logins.adopt({ type: 'device.logins', kind: 'snapshot', upserts: [up('door-1', HASH_B), up('env-1', 'plain-text-password')], removals: [] }).sort()).toEqual(['panel.fire-1']);
    expect(logins.get('dev.env-1')).toBeUndefined();
    expect(logins.size).toBe(1);
    expect(ended.flat()).toContain('panel.fire-1');
  });

  it('ignores a damaged stored copy rather than trusting part of it', () => {
    dir = mkdtempSync(join(tmpdir(), 'edge-logins-'));
    const settings = open();
    settings.set('mqtt.issued-logins', '[{"deviceId":"door-1","username":"dev.door-1","passwordHash":"nope"}]');
    expect(new IssuedLogins(settings).size).toBe(0);
  });
});
