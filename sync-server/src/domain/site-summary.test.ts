import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SiteDoc, alertId, raiseAlert, siteDocName } from '@cr/shared';
import { openDb, type Db } from '../store/db';
import { DocUpdatesStore } from '../store/doc-updates-store';
import { createMetrics } from '../metrics';
import { DocRegistry } from '../sync/doc-registry';
import type { TenantsPort } from '../store/ports';
import { SiteStatusService } from './site-status';

const SITE = siteDocName('demo', 'gangnam');
const settle = () => new Promise((r) => setTimeout(r, 150));
let dir: string;
let db: Db;
let docs: DocRegistry;
let status: SiteStatusService;
let summarised: number;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cloud-site-summary-'));
  db = openDb(join(dir, 'cloud.db'));
  docs = new DocRegistry(new DocUpdatesStore(db), createMetrics());
  const tenants = { site: async () => ({ id: 'gangnam', tenantId: 'demo', name: 'Gangnam' }) } as unknown as TenantsPort;
  status = new SiteStatusService(docs, tenants, createMetrics(), 60_000);
  summarised = 0;
  status.onSiteChanged(() => void summarised++);
});
afterEach(async () => {
  status.close();
  await docs.close();
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('site summaries follow what they read', () => {
  it('are not recomputed for a burst of device state, occupancy and pins, and are for an alert', async () => {
    await docs.mutate(SITE, (d) => new SiteDoc(d).upsertDevice({ id: 'env-1', kind: 'env', name: 'Climate' }));
    await settle();
    const before = summarised;
    expect(before).toBe(1);
    for (let i = 0; i < 30; i++)
      await docs.mutate(SITE, (d) => {
        const site = new SiteDoc(d);
        site.setDeviceState('env-1', { temperatureC: 20 + i }, i + 1);
        site.setOccupancy('lounge', i, i + 1);
        site.setDevicePosition('env-1', { x: i, y: i }, 'hq', i + 1);
      });
    await settle();
    expect(summarised).toBe(before);

    await docs.mutate(SITE, (d) =>
      raiseAlert(d, { id: alertId('gangnam', 'env-1', 'env.co2-high', 5), siteId: 'gangnam', type: 'env.co2-high', severity: 'major', raisedAt: 5, deviceId: 'env-1', source: 'edge' }),
    );
    await settle();
    expect(summarised).toBe(before + 1);
    expect((await status.summary('demo', 'gangnam')).openAlerts).toBe(1);

    await docs.mutate(SITE, (d) => new SiteDoc(d).setAvailability('env-1', true, 9));
    await settle();
    expect(summarised).toBe(before + 2);
  });
});
