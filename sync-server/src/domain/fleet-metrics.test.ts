import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_SITES } from '@cr/shared';
import { eventually, startTestCloud, type TestCloud } from '../testing/test-cloud';
import { TestEdge } from '../testing/edge-client';

const TOKEN = 'scrape-token-0123456789abcdef';
const SITE_IDS = DEMO_SITES.map((s) => s.id);

let t: TestCloud;
let url: string;
/** a cloud started without a metrics token */
let open: TestCloud;

beforeAll(async () => {
  [t, open] = await Promise.all([startTestCloud({ config: { metricsToken: TOKEN } }), startTestCloud()]);
  url = (await t.cloud.listen(0)).url;
});
afterAll(() => Promise.all([t.close(), open.close()]));

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

function parse(text: string): Sample[] {
  return text
    .split('\n')
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => {
      const m = /^(\w+)(?:\{(.*)\})? (\S+)$/.exec(l)!;
      const labels = Object.fromEntries([...(m[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((p) => [p[1]!, p[2]!]));
      return { name: m[1]!, labels, value: Number(m[3]) };
    });
}

/** One scrape, with the metrics token unless told otherwise (null: no Authorization header). */
async function scrape(cloud = t, authorization: string | null = `Bearer ${TOKEN}`): Promise<{ status: number; text: string }> {
  const res = await cloud.api('GET', '/metrics', { headers: authorization === null ? {} : { authorization } });
  return { status: res.status, text: await res.text() };
}

/** The value of one site's series (undefined when absent). */
async function gauge(name: string, site: string, extra: Record<string, string> = {}): Promise<number | undefined> {
  const want = { tenant: 'demo', site, ...extra };
  const hits = parse((await scrape()).text).filter(
    (s) => s.name === name && Object.entries(want).every(([k, v]) => s.labels[k] === v),
  );
  expect(hits.length).toBeLessThanOrEqual(1);
  return hits[0]?.value;
}

async function linkedEdge(site: string, hello: Record<string, unknown> = {}): Promise<TestEdge> {
  const edge = await TestEdge.connect(url, t.cloud.demoEdgeTokens[site]!);
  edge.send({ type: 'hello', siteId: site, permissionsVersion: 0, mode: 'normal', outboxDepth: 0, version: 'test', ts: Date.now(), ...hello });
  await edge.next('welcome');
  return edge;
}

/** Sends a heartbeat and waits for the cloud's answer to it, so it has been handled. */
async function heartbeat(edge: TestEdge, fields: Record<string, unknown>): Promise<void> {
  const ts = (fields.ts as number | undefined) ?? Date.now();
  edge.send({ type: 'heartbeat', mode: 'normal', outboxDepth: 0, ...fields, ts });
  await edge.next('time', (m) => m.echo === ts);
}

describe('fleet metrics (cr_site_*)', () => {
  it("show a site's link, outbox, mode, fire state and last contact from its edge's hello", async () => {
    const before = Date.now();
    const edge = await linkedEdge('gangnam', { mode: 'secure', outboxDepth: 7 });
    expect(await gauge('cr_site_link_up', 'gangnam')).toBe(1);
    expect(await gauge('cr_site_outbox_depth', 'gangnam')).toBe(7);
    expect(await gauge('cr_site_mode', 'gangnam', { mode: 'secure' })).toBe(1);
    expect(await gauge('cr_site_mode', 'gangnam', { mode: 'normal' })).toBe(0);
    expect(await gauge('cr_site_fire_active', 'gangnam')).toBe(0);
    const seen = (await gauge('cr_site_last_seen_timestamp_seconds', 'gangnam'))!;
    expect(seen * 1000).toBeGreaterThanOrEqual(before);
    expect(seen * 1000).toBeLessThanOrEqual(Date.now());
    // A hello does not say when the permissions were synced.
    expect(await gauge('cr_site_permission_cache_age_seconds', 'gangnam')).toBeUndefined();
    edge.close();
  });

  it("follow the heartbeat, with the cache age independent of the edge's clock", async () => {
    const edge = await linkedEdge('gangnam');
    // The edge's clock runs an hour behind ours; its cache was synced 90 s before the heartbeat.
    const edgeNow = Date.now() - 3_600_000;
    await heartbeat(edge, { mode: 'lockdown', fireActive: true, outboxDepth: 3, permissionsSyncedAt: edgeNow - 90_000, ts: edgeNow });
    expect(await gauge('cr_site_outbox_depth', 'gangnam')).toBe(3);
    expect(await gauge('cr_site_mode', 'gangnam', { mode: 'lockdown' })).toBe(1);
    expect(await gauge('cr_site_mode', 'gangnam', { mode: 'secure' })).toBe(0);
    expect(await gauge('cr_site_fire_active', 'gangnam')).toBe(1);
    const age = (await gauge('cr_site_permission_cache_age_seconds', 'gangnam'))!;
    expect(age).toBeGreaterThanOrEqual(90);
    expect(age).toBeLessThan(95);

    // An edge that lost its cache (a replaced gateway) reports no sync time: the age is unknown again.
    await heartbeat(edge, { outboxDepth: 0 });
    expect(await gauge('cr_site_permission_cache_age_seconds', 'gangnam')).toBeUndefined();
    edge.close();
  });

  it('show a site whose edge never connected as down, with nothing else invented', async () => {
    // Timed out since the start, too: the start is not a contact.
    await t.cloud.ctx.status.tick(Date.now() + 2 * t.config.linkTimeoutMs);
    expect(await gauge('cr_site_link_up', 'yeouido')).toBe(0);
    for (const name of ['cr_site_outbox_depth', 'cr_site_fire_active', 'cr_site_mode', 'cr_site_last_seen_timestamp_seconds'])
      expect(await gauge(name, 'yeouido')).toBeUndefined();
  });

  it('drop cr_site_link_up to 0 when the link closes, keeping the last report', async () => {
    const edge = await linkedEdge('hongdae', { outboxDepth: 12 });
    expect(await gauge('cr_site_link_up', 'hongdae')).toBe(1);
    edge.close();
    await eventually(async () => (await gauge('cr_site_link_up', 'hongdae')) === 0, 5000, 'link_up 0 after close');
    expect(await gauge('cr_site_outbox_depth', 'hongdae')).toBe(12);
  });

  it('never add a series for a site outside the directory', async () => {
    t.cloud.ctx.status.seen('demo', 'ghost-site', { mode: 'lockdown', outboxDepth: 5 });
    const { text } = await scrape();
    expect(text).not.toContain('ghost-site');
    const sites = new Set(parse(text).flatMap((s) => (s.name.startsWith('cr_site_') ? [s.labels.site] : [])));
    expect([...sites].sort()).toEqual([...SITE_IDS].sort());
  });

  it('drop cr_site_link_up to 0 when the link times out with its socket still open', async () => {
    const edge = await linkedEdge('hongdae');
    expect(await gauge('cr_site_link_up', 'hongdae')).toBe(1);
    await t.cloud.ctx.status.tick(Date.now() + 2 * t.config.linkTimeoutMs);
    expect(edge.closed).toBeUndefined();
    expect(await gauge('cr_site_link_up', 'hongdae')).toBe(0);
    // Its next message brings it back.
    await heartbeat(edge, { outboxDepth: 1 });
    expect(await gauge('cr_site_link_up', 'hongdae')).toBe(1);
    edge.close();
  });
});

describe('/metrics without the metrics token', () => {
  const noSite = (text: string) => {
    expect(text).not.toMatch(/cr_site_|site="/);
    for (const id of SITE_IDS) expect(text).not.toContain(id);
  };

  it('serves the process-level metrics and no site', async () => {
    // Sites with reports exist (earlier tests), so a leak would show.
    expect(await gauge('cr_site_outbox_depth', 'gangnam')).toBeDefined();
    const { status, text } = await scrape(t, null);
    expect(status).toBe(200);
    expect(text).toContain('cloud_http_requests_total');
    expect(text).toContain('cloud_edge_links');
    noSite(text);
  });

  it('refuses a wrong token with 401 and no metrics', async () => {
    for (const header of ['Bearer scrape-token-0123456789abcdeX', `Basic ${TOKEN}`, TOKEN]) {
      const { status, text } = await scrape(t, header);
      expect(status).toBe(401);
      noSite(text);
      expect(text).not.toContain('cloud_');
    }
  });

  it('serves no site at all when the cloud has no metrics token, whatever the scrape presents', async () => {
    open.cloud.ctx.status.seen('demo', 'gangnam', { mode: 'lockdown', outboxDepth: 4, permissionsAgeMs: 1000 });
    for (const header of [null, `Bearer ${TOKEN}`]) {
      const { status, text } = await scrape(open, header);
      expect(status).toBe(200);
      expect(text).toContain('cloud_http_requests_total');
      noSite(text);
    }
  });
});
