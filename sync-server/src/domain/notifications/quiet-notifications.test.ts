import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acknowledgeAlert, alertId, markAlertCause, raiseAlert, siteDocName, type AlertRaise } from '@cr/shared';
import { eventually, OTHER_USERS, seedOtherTenant, startTestCloud, type TestCloud } from '../../testing/test-cloud';
import { startWebhookReceiver, type WebhookReceiver } from '../../testing/webhook-receiver';
import { FAST_DELIVERY } from '../../testing/fast-delivery';

let t: TestCloud;
let admin: string;
let manager: string;
const hooks: WebhookReceiver[] = [];
beforeAll(async () => {
  t = await startTestCloud({ tuning: { notifications: FAST_DELIVERY } });
  admin = await t.token('admin@demo.local');
  manager = await t.token('gangnam.manager@demo.local');
});
afterAll(async () => {
  await t.close();
  await Promise.all(hooks.map((h) => h.close()));
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const alertIdsOf = (hook: WebhookReceiver) => hook.requests.filter((r) => r.answer === 200).map((r) => (JSON.parse(r.raw) as { alertId: string }).alertId);

async function hookFor(siteId: string): Promise<WebhookReceiver> {
  const hook = await startWebhookReceiver();
  hooks.push(hook);
  const ch = await t.api('POST', '/api/v1/notifications/channels', { token: admin, body: { kind: 'webhook', url: hook.url, secret: 's3cret' } });
  const { id } = (await ch.json()) as { id: string };
  expect((await t.api('POST', '/api/v1/notifications/rules', { token: admin, body: { channelId: id, siteIds: [siteId] } })).status).toBe(201);
  return hook;
}

function raise(siteId: string, deviceId: string, type: AlertRaise['type'], severity: AlertRaise['severity'], raisedAt = Date.now()): Promise<AlertRaise> {
  const alert: AlertRaise = { id: alertId(siteId, deviceId, type, raisedAt), siteId, type, severity, raisedAt, deviceId, source: 'edge' };
  return t.cloud.ctx.docs.mutate(siteDocName('demo', siteId), (doc) => (raiseAlert(doc, alert), alert));
}

async function silence(token: string, body: Record<string, unknown>): Promise<Response> {
  return t.api('POST', '/api/v1/notifications/silences', { token, body });
}

describe('silences and maintenance windows', () => {
  it('hold back the site’s notifications while active; an alert still open when one ends is notified then, one seen meanwhile never', async () => {
    const hook = await hookFor('gangnam');
    const res = await silence(manager, { siteId: 'gangnam', endsAt: Date.now() + 60 * 60_000, reason: 'lobby door replaced' });
    expect(res.status).toBe(201);
    const { id } = (await res.json()) as { id: string };
    const listed = (await (await t.api('GET', '/api/v1/notifications/silences', { token: admin })).json()) as Array<Record<string, unknown>>;
    expect(listed.find((s) => s.id === id)).toMatchObject({ siteId: 'gangnam', reason: 'lobby door replaced', author: { name: 'Gangnam Manager' } });

    const stillOpen = await raise('gangnam', 'door-lobby', 'door.forced', 'critical');
    const seen = await raise('gangnam', 'door-side', 'door.held-open', 'major');
    await sleep(600);
    expect(hook.requests).toEqual([]);
    // The console still has both: a silence quiets channels only.
    await t.cloud.ctx.docs.mutate(siteDocName('demo', 'gangnam'), (doc) => acknowledgeAlert(doc, seen.id, { by: 'HQ Operator', at: Date.now(), where: 'hq' }));

    expect((await t.api('DELETE', `/api/v1/notifications/silences/${id}`, { token: manager })).status).toBe(204);
    expect((await t.api('DELETE', `/api/v1/notifications/silences/${id}`, { token: manager })).status).toBe(409);
    await eventually(() => hook.requests.length >= 1, 5_000, 'held-back notification sent');
    await sleep(400);
    expect(alertIdsOf(hook)).toEqual([stillOpen.id]);
    const audit = (await (await t.api('GET', '/api/v1/audit?siteId=gangnam&limit=50', { token: manager })).json()) as Array<{ action: string }>;
    const actions = audit.map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['notifications.silence.create', 'notifications.silence.end']));
  });

  it('a silence of one device or of some alert types leaves the rest of the site notified', async () => {
    const hook = await hookFor('hongdae');
    const until = Date.now() + 30 * 60_000;
    expect((await silence(admin, { siteId: 'hongdae', deviceId: 'door-lobby', endsAt: until, reason: 'lock serviced' })).status).toBe(201);
    expect((await silence(admin, { siteId: 'hongdae', types: ['env.co2-high'], endsAt: until, reason: 'ventilation works' })).status).toBe(201);
    await raise('hongdae', 'door-lobby', 'door.forced', 'critical');
    await raise('hongdae', 'env-1', 'env.co2-high', 'major');
    const told = await raise('hongdae', 'door-back', 'door.forced', 'critical');
    await eventually(() => hook.requests.length >= 1, 5_000, 'unsilenced alert sent');
    await sleep(500);
    expect(alertIdsOf(hook)).toEqual([told.id]);
  });

  it('a maintenance window quiets only from its start', async () => {
    const hook = await hookFor('yeouido');
    const startsAt = Date.now() + 10 * 60_000;
    expect((await silence(admin, { siteId: 'yeouido', startsAt, endsAt: startsAt + 60 * 60_000, reason: 'fire panel inspection' })).status).toBe(201);
    const told = await raise('yeouido', 'door-lobby', 'door.forced', 'critical');
    await eventually(() => hook.requests.length >= 1, 5_000, 'alert before the window sent');
    expect(alertIdsOf(hook)).toEqual([told.id]);
  });

  it('refuses what no operator should be able to set, and vendors and other sites’ managers', async () => {
    const vendor = await t.token('vendor@demo.local');
    const base = { siteId: 'gangnam', endsAt: Date.now() + 60_000, reason: 'x' };
    const cases: Array<[string, Record<string, unknown>, number]> = [
      ['ends before now', { ...base, endsAt: Date.now() - 1 }, 400],
      ['ends before its start', { ...base, startsAt: Date.now() + 120_000 }, 400],
      ['more than 30 days', { ...base, endsAt: Date.now() + 31 * 24 * 3_600_000 }, 400],
      ['blank reason', { ...base, reason: '   ' }, 400],
      ['unknown type', { ...base, types: ['door.whatever'] }, 400],
      ['extra field', { ...base, silenceFire: true }, 400],
      ['unknown site', { ...base, siteId: 'nowhere' }, 404],
    ];
    for (const [name, body, status] of cases) expect([name, (await silence(admin, body)).status]).toEqual([name, status]);
    expect((await silence(manager, { ...base, siteId: 'hongdae' })).status).toBe(403);
    expect((await silence(vendor, base)).status).toBe(403);
    expect((await t.api('GET', '/api/v1/notifications/silences', { token: vendor })).status).toBe(403);
    const theirs = (await (await silence(admin, { ...base, siteId: 'hongdae' })).json()) as { id: string };
    // A manager of another site neither sees nor ends it.
    const managerList = (await (await t.api('GET', '/api/v1/notifications/silences', { token: manager })).json()) as Array<{ siteId: string }>;
    expect(managerList.every((s) => s.siteId === 'gangnam')).toBe(true);
    expect((await t.api('DELETE', `/api/v1/notifications/silences/${theirs.id}`, { token: manager })).status).toBe(404);
    // Another tenant's admin can neither silence a demo site, nor see, nor end the demo's silences.
    await seedOtherTenant(t.cloud);
    const stranger = await t.token(OTHER_USERS.find((u) => u.role === 'tenant-admin')!.email);
    expect((await silence(stranger, base)).status).toBe(404);
    expect(await (await t.api('GET', '/api/v1/notifications/silences', { token: stranger })).json()).toEqual([]);
    expect((await t.api('DELETE', `/api/v1/notifications/silences/${theirs.id}`, { token: stranger })).status).toBe(404);
    expect((await t.api('GET', '/api/v1/notifications/silences', { token: admin }).then((r) => r.json()) as Array<{ id: string }>).some((x) => x.id === theirs.id)).toBe(true);
  });
});

describe('inhibition and grouping', () => {
  beforeAll(async () => {
    for (const [id, name] of [['jamsil', 'Jamsil'], ['seongsu', 'Seongsu']])
      expect((await t.api('POST', '/api/v1/sites', { token: admin, body: { id, name, lat: 37.5, lng: 127.05, timezone: 'Asia/Seoul' } })).status).toBe(201);
  });

  it('a site that went offline sends one message, not one per device that dropped with it', async () => {
    const hook = await hookFor('jamsil');
    const outageAt = Date.now() - 50_000;
    // The edge comes back and uploads what it saw while the link was down: 50 devices offline.
    const offline: AlertRaise = { id: alertId('jamsil', 'cloud', 'site.offline', outageAt), siteId: 'jamsil', type: 'site.offline', severity: 'major', raisedAt: outageAt, source: 'cloud' };
    await t.cloud.ctx.docs.mutate(siteDocName('demo', 'jamsil'), (doc) => raiseAlert(doc, offline));
    await eventually(() => hook.requests.length >= 1, 5_000, 'site.offline sent');
    for (let i = 0; i < 50; i++) await raise('jamsil', `sensor-${i}`, 'device.offline', 'minor', outageAt - 5_000 + i * 100);
    await t.cloud.ctx.docs.mutate(siteDocName('demo', 'jamsil'), (doc) => markAlertCause(doc, offline.id, { state: 'cleared', by: 'cloud', at: Date.now(), reason: 'edge link back' }));
    await sleep(800);
    expect(alertIdsOf(hook)).toEqual([offline.id]);
    const log = (await (await t.api('GET', `/api/v1/alerts/${encodeURIComponent(alertId('jamsil', 'sensor-7', 'device.offline', outageAt - 5_000 + 700))}/deliveries`, { token: admin })).json()) as Array<{ status: string; lastError?: string }>;
    expect(log).toEqual([expect.objectContaining({ status: 'cancelled', lastError: expect.stringMatching(/site was offline/) })]);
  });

  it('a burst of devices going offline while the site stays online is one message', async () => {
    const hook = await hookFor('seongsu');
    // Raised half a minute ago (past the grouping wait): 20 sensors within 19 s, and a door fault.
    const start = Date.now() - 55_000;
    for (let i = 0; i < 20; i++) await raise('seongsu', `pir-${i}`, 'device.offline', 'minor', start + i * 1_000);
    const fault = await raise('seongsu', 'door-lobby', 'device.fault', 'major', start + 5_000);
    await eventually(() => hook.requests.length >= 2, 5_000, 'the burst and the fault sent');
    await sleep(600);
    expect(alertIdsOf(hook).sort()).toEqual([alertId('seongsu', 'pir-0', 'device.offline', start), fault.id].sort());
  });
});
