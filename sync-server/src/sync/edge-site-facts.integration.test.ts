import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SiteDoc, siteDocName } from '@cr/shared';
import { logEntries } from '@cr/demo/log-lines';
import { eventually, startTestCloud, type TestCloud } from '../testing/test-cloud';
import { edgeHealth, startEdgeProcess, type EdgeProcess } from '../testing/edge-process';

/**
 * A real edge process against a real cloud: the site's time zone reaches the gateway from the cloud's
 * directory (in the welcome) and is kept in the gateway's SQLite, whatever a console wrote into the
 * site document.
 */
let t: TestCloud;
let edge: EdgeProcess | undefined;
let edgeDir: string;

beforeAll(async () => {
  t = await startTestCloud();
  edgeDir = mkdtempSync(join(tmpdir(), 'edge-facts-'));
});
afterAll(async () => {
  await edge?.service.stop();
  await t.close();
  rmSync(edgeDir, { recursive: true, force: true });
});

describe("the site's time zone at a real gateway", () => {
  it('comes from the cloud’s directory and survives on the gateway’s disk', { timeout: 60_000 }, async () => {
    const cloudUrl = (await t.cloud.listen(0)).url;
    const admin = await t.token('admin@demo.local');
    expect((await t.api('PATCH', '/api/v1/sites/gangnam', { token: admin, body: { timezone: 'Europe/Berlin' } })).status).toBe(200);
    // A console's copy in the document says otherwise.
    await t.cloud.ctx.docs.mutate(siteDocName('demo', 'gangnam'), (d) => d.getMap('meta').set('timezone', 'America/New_York'));
    edge = await startEdgeProcess({ siteId: 'gangnam', cloudUrl, token: t.cloud.demoEdgeTokens.gangnam!, dataDir: edgeDir });
    await eventually(async () => (await edgeHealth(edge!)).cloud === 'connected', 20_000, 'edge connected');
    await eventually(() => logEntries(edge!.lines).some((e) => e.msg === 'site time zone from the cloud: Europe/Berlin'), 10_000, 'zone adopted');
    expect(await t.cloud.ctx.docs.read(siteDocName('demo', 'gangnam'), (d) => new SiteDoc(d).meta().timezone)).not.toBe('Europe/Berlin');
    await edge.service.stop();
    edge = undefined;
    const db = new Database(join(edgeDir, 'edge.sqlite'), { readonly: true });
    try {
      expect(db.prepare("SELECT value FROM kv WHERE key = 'site.timezone'").get()).toEqual({ value: 'Europe/Berlin' });
    } finally {
      db.close();
    }
  });
});
