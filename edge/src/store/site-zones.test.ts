import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDb, Settings, type Db } from './db';
import { SiteZones } from './site-zones';

let dir: string;
let db: Db | undefined;
const open = () => {
  db = openDb(dir, 'normal');
  return new Settings(db);
};
afterEach(() => {
  db?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('SiteZones', () => {
  it("knows no zones until the cloud names them, then keeps the cloud's across a restart", () => {
    dir = mkdtempSync(join(tmpdir(), 'edge-site-zones-'));
    const zones = new SiteZones(open());
    expect(zones.known).toBe(false);
    expect(zones.has('anything')).toBe(true);
    expect(zones.adopt([{ id: 'lobby', name: 'Lobby' }])).toBe(true);
    expect(zones.adopt([{ id: 'lobby', name: 'Lobby' }])).toBe(false);
    expect(zones.adopt([{ id: 'lobby', name: '로비' }])).toBe(true);
    db!.close();
    const again = new SiteZones(open());
    expect(again.known).toBe(true);
    expect(again.has('lobby')).toBe(true);
    expect(again.has('server-room')).toBe(false);
    expect(again.name('lobby')).toBe('로비');
    // The cloud removing every zone is a fact too: nothing is placed by a device's claim then.
    expect(again.adopt([])).toBe(true);
    expect(again.has('lobby')).toBe(false);
  });

  it('ignores a stored value that is not a zone list (a damaged row) and waits for the cloud', () => {
    dir = mkdtempSync(join(tmpdir(), 'edge-site-zones-'));
    const settings = open();
    settings.set('site.zones', '{not json');
    expect(new SiteZones(settings).known).toBe(false);
    settings.set('site.zones', JSON.stringify([{ id: '../x', name: '' }]));
    expect(new SiteZones(settings).known).toBe(false);
  });
});
