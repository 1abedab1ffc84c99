import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { SiteDoc, decideAccess, type Member } from '@cr/shared';
import { openDb, Settings, type Db } from './db';
import { SiteFacts } from './site-facts';

let dir: string;
let db: Db;
const open = () => {
  dir = mkdtempSync(join(tmpdir(), 'edge-site-facts-'));
  db = openDb(dir, 'normal');
  return new Settings(db);
};
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Monday 2024-01-01 08:30 in Seoul is Sunday 23:30 UTC and Sunday 18:30 in New York. */
const MONDAY_0830_SEOUL = Date.UTC(2023, 11, 31, 23, 30);
const member: Member = {
  id: 'm1',
  name: 'M',
  active: true,
  credentials: [{ type: 'card', value: 'c1' }],
  grants: [{ zoneIds: ['lobby'], schedule: [{ days: [1, 2, 3, 4, 5], start: '08:00', end: '18:00' }] }],
  secureMode: false,
  offlineWhitelist: false,
};

const decideIn = (timeZone: string) =>
  decideAccess({
    credential: { type: 'card', value: 'c1' },
    member,
    zoneId: 'lobby',
    mode: 'normal',
    cacheSyncedAt: MONDAY_0830_SEOUL,
    cacheTtlMs: 3_600_000,
    now: MONDAY_0830_SEOUL,
    timeZone,
  });

describe("the site's time zone at the edge", () => {
  it('is the default until the cloud says, then the cloud’s, kept across a restart', () => {
    const settings = open();
    expect(SiteFacts.of(settings).timeZone).toBe('Asia/Seoul');
    expect(SiteFacts.of(settings).adopt({ timezone: 'America/New_York' })).toBe('changed');
    expect(SiteFacts.of(settings).adopt({ timezone: 'America/New_York' })).toBe('same');
    // A restart: new settings over the same file.
    expect(SiteFacts.of(new Settings(db)).timeZone).toBe('America/New_York');
  });

  it('refuses a zone the runtime does not know and keeps the last good one', () => {
    const settings = open();
    SiteFacts.of(settings).adopt({ timezone: 'Europe/Berlin' });
    expect(SiteFacts.of(settings).adopt({ timezone: 'Not/AZone' })).toBe('refused');
    expect(SiteFacts.of(new Settings(db)).timeZone).toBe('Europe/Berlin');
  });

  it('is not moved by what a console writes into the site document, so decisions stay where the cloud put them', () => {
    const settings = open();
    SiteFacts.of(settings).adopt({ timezone: 'Asia/Seoul' });
    const doc = new SiteDoc(new Y.Doc());
    for (const zone of ['Not/AZone', 'America/New_York']) {
      doc.doc.getMap('meta').set('timezone', zone);
      expect(SiteFacts.of(settings).timeZone).toBe('Asia/Seoul');
      expect(decideIn(SiteFacts.of(settings).timeZone)).toMatchObject({ granted: true });
    }
    // What the document's copy would have done to the same member at the same instant.
    expect(decideIn(doc.meta().timezone)).toMatchObject({ granted: false, reason: 'outside-schedule' });
  });
});
