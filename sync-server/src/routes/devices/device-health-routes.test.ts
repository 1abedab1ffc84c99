import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReportedDevice } from '@cr/shared';
import { OTHER_USERS, eventually, seedOtherTenant, startTestCloud, type TestCloud } from '../../testing/test-cloud';
import { TestEdge } from '../../testing/edge-client';
import { spansOf } from '../../domain/device-availability';

let t: TestCloud;
let url: string;
const edges = new Map<string, TestEdge>();

const door: ReportedDevice = { id: 'door-lobby', kind: 'door', name: 'Lobby door', zoneId: 'lobby', online: true, approval: 'approved', battery: 64, lastSeenAt: 1_000 };
const env: ReportedDevice = { id: 'env-1', kind: 'env', name: 'Climate', zoneId: 'lounge', online: true, approval: 'approved', firmware: '1.0.0', battery: 12, errors24h: 3 };
const hvac: ReportedDevice = { id: 'hvac-main', kind: 'hvac', name: 'HVAC', zoneId: 'office', online: true, approval: 'approved', flapping: true };

beforeAll(async () => {
  t = await startTestCloud();
  await seedOtherTenant(t.cloud);
  url = (await t.cloud.listen(0)).url;
  await report('gangnam', [door, env, hvac]);
  await report('hongdae', [{ ...door, battery: undefined }]);
});
afterAll(async () => {
  for (const e of edges.values()) e.close();
  await t.close();
});

/** The site's edge (connected once) reports `devices`; settles once the cloud answered a heartbeat after it. */
async function report(site: string, devices: ReportedDevice[]): Promise<void> {
  let edge = edges.get(site);
  if (!edge) {
    edge = await TestEdge.connect(url, t.cloud.demoEdgeTokens[site]!);
    edges.set(site, edge);
    edge.hello(site);
    await edge.next('welcome');
  }
  edge.devices(devices);
  const ts = Date.now();
  edge.heartbeat({ ts });
  await edge.next('time', (m) => m.echo === ts);
}

interface Health {
  availability: Array<{ from: number; to?: number; state: string }>;
  uptimePct7d: number | null;
  health: string;
  errors24h: number;
  flapping: boolean;
  battery?: number;
  firmware?: string;
  lastSeenAt?: number;
}
const health = async (site: string, device: string, who = 'hq@demo.local') => {
  const res = await t.api('GET', `/api/v1/sites/${site}/devices/${device}/health`, { token: await t.token(who) });
  return { status: res.status, body: (await res.json()) as Health & { message?: string } };
};
const states = (h: Health) => h.availability.map((s) => s.state);

describe('device health', () => {
  it('shows the figures the edge reported: battery, errors of 24 h, flapping, firmware, last seen', async () => {
    expect((await health('gangnam', 'env-1')).body).toMatchObject({ health: 'online', battery: 12, errors24h: 3, flapping: false, firmware: '1.0.0' });
    expect((await health('gangnam', 'hvac-main')).body).toMatchObject({ errors24h: 0, flapping: true });
    const d = (await health('gangnam', 'door-lobby')).body;
    expect(d).toMatchObject({ battery: 64, lastSeenAt: 1_000 });
    expect(d.availability).toEqual([{ from: expect.any(Number), state: 'online' }]);
    expect(d.uptimePct7d).toBe(100);
  });

  it('records a device going offline and back as the edge reports it: the history shows both spans', async () => {
    await report('gangnam', [door, { ...env, online: false }, hvac]);
    await eventually(async () => states((await health('gangnam', 'env-1')).body).join() === 'online,offline', 5_000, 'offline recorded');
    await new Promise((r) => setTimeout(r, 20));
    await report('gangnam', [door, env, hvac]);
    const h = await eventually(async () => {
      const b = (await health('gangnam', 'env-1')).body;
      return states(b).join() === 'online,offline,online' ? b : undefined;
    }, 5_000, 'back online recorded');
    const [up, down, back] = h.availability;
    expect(up!.to).toBe(down!.from);
    expect(down!.to).toBe(back!.from);
    expect(back!.to).toBeUndefined();
    expect(h.uptimePct7d).toBeGreaterThan(0);
    expect(h.uptimePct7d).toBeLessThan(100);
    // A report that changes nothing about availability records nothing.
    await report('gangnam', [door, { ...env, battery: 11 }, hvac]);
    expect(states((await health('gangnam', 'env-1')).body)).toEqual(['online', 'offline', 'online']);
  });

  it('scopes like the fleet list: other tenants 404, managers their sites, vendors facility devices', async () => {
    expect((await health('gangnam', 'door-lobby', 'gangnam.manager@demo.local')).status).toBe(200);
    expect((await health('hongdae', 'door-lobby', 'gangnam.manager@demo.local')).status).toBe(403);
    expect((await health('gangnam', 'env-1', 'vendor@demo.local')).status).toBe(200);
    expect((await health('gangnam', 'door-lobby', 'vendor@demo.local')).status).toBe(404);
    for (const u of OTHER_USERS) expect([u.email, (await health('gangnam', 'env-1', u.email)).status]).toEqual([u.email, 404]);
    expect((await health('gangnam', 'ghost-1')).status).toBe(404);
    expect((await health('nowhere', 'env-1')).status).toBe(404);
  });

  it('refuses malformed ids with a message that says which', async () => {
    const bad = await health('gangnam', 'Bad..Id!');
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/deviceId must match/);
    expect((await health('GANGNAM', 'env-1')).status).toBe(400);
  });

  it('records every online device offline when the whole site goes offline, and online again when it is back', async () => {
    const status = t.cloud.ctx.status;
    await status.tick(Date.now() + t.config.linkTimeoutMs + 1_000);
    const down = await eventually(async () => {
      const b = (await health('gangnam', 'door-lobby')).body;
      return states(b).join() === 'online,offline' ? b : undefined;
    }, 5_000, 'site offline recorded');
    expect(down.health).toBe('offline');
    await report('gangnam', [door, env, hvac]);
    await eventually(async () => states((await health('gangnam', 'door-lobby')).body).join() === 'online,offline,online', 5_000, 'site back recorded');
    expect((await health('gangnam', 'door-lobby')).body.health).toBe('online');
  });
});

describe('availability spans', () => {
  it('clips the window, leaves the current span open and counts only the time known', () => {
    const tr = (at: number, online: boolean) => ({ deviceId: 'd', at, online });
    expect(spansOf([], 0, 100)).toEqual({ availability: [], uptimePct: null });
    expect(spansOf([tr(-50, true), tr(25, false), tr(75, true)], 0, 100)).toEqual({
      availability: [{ from: 0, to: 25, state: 'online' }, { from: 25, to: 75, state: 'offline' }, { from: 75, state: 'online' }],
      uptimePct: 50,
    });
    expect(spansOf([tr(50, false)], 0, 100).uptimePct).toBe(0);
  });
});
