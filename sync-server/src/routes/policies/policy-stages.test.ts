import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedOtherTenant, startTestCloud, type TestCloud } from '../../testing/test-cloud';

/**
 * Staged rollouts, A/B groups and dry runs through the API (app.request), the edges' reports fed
 * to the service as the edge link does. The real edges are in site-policy.integration.test.ts.
 */
let t: TestCloud;
let admin: string;
let policyId: string;

type Json = Record<string, unknown>;
type Group = { version: number; siteIds: string[]; figures: { swipes: number; deniedSwipes: number; deniedRate: number } };
const call = async (method: string, path: string, token: string, body?: unknown) => {
  const res = await t.api(method, path, { token, body });
  return { status: res.status, body: (await res.json()) as Json };
};
const ok = async <T = Json>(method: string, path: string, token: string, body?: unknown, status = 200): Promise<T> => {
  const r = await call(method, path, token, body);
  expect(r.status, JSON.stringify(r.body)).toBe(status);
  return r.body as T;
};
const sitePolicy = async (siteId: string) => t.api('GET', `/api/v1/sites/${siteId}/policy`, { token: admin });
const report = (siteId: string, version: number, error?: string) =>
  t.cloud.ctx.policies.onReport('demo', siteId, error ? { type: 'policy.refused', policyId, version, error } : { type: 'policy.applied', policyId, version });
const stagedRollout = (version: number, stages: Json) => call('POST', `/api/v1/policies/${policyId}/rollouts`, admin, { version, siteIds: ['gangnam', 'hongdae'], stages });
const rolloutsOf = () => ok<Json[]>('GET', `/api/v1/policies/${policyId}/rollouts`, admin);

beforeAll(async () => {
  t = await startTestCloud();
  await seedOtherTenant(t.cloud);
  admin = await t.token('admin@demo.local');
  ({ id: policyId } = await ok<{ id: string }>('POST', '/api/v1/policies', admin, { name: 'Office hours', body: { openingHours: {} } }, 201));
  await ok('POST', `/api/v1/policies/${policyId}/versions`, admin, { body: { openingHours: { sun: [] } } }, 201);
  await ok('POST', `/api/v1/policies/${policyId}/versions`, admin, { body: { openingHours: { sat: [] } } }, 201);
  await ok('PUT', '/api/v1/members/m-day', admin, {
    name: 'Day Member', active: true, secureMode: false, offlineWhitelist: false, afterHours: false,
    credentials: [{ type: 'card', value: 'card-day-x' }], grants: [{ zoneIds: ['lobby'] }],
  });
}, 60_000);
afterAll(() => t?.close());

describe('staged rollouts', () => {
  it('refuses malformed stages with the field named', async () => {
    const cases: Array<[Json, string]> = [
      [{ firstSiteIds: ['yeouido'], waitSec: 0 }, 'stages.firstSiteIds'],
      [{ firstSiteIds: [], waitSec: 0 }, 'stages.firstSiteIds'],
      [{ firstSiteIds: ['gangnam'], waitSec: 86_401 }, 'stages.waitSec'],
      [{ firstSiteIds: ['gangnam'], waitSec: -1 }, 'stages.waitSec'],
      [{ firstSiteIds: ['gangnam'] }, 'stages.waitSec'],
      [{ firstSiteIds: ['gangnam'], waitSec: 0, stopWhen: { maxDeniedRate: 1.5 } }, 'stages.stopWhen.maxDeniedRate'],
      [{ firstSiteIds: ['gangnam'], waitSec: 0, stopWhen: { maxFailures: 1 } }, 'stages.stopWhen'],
    ];
    for (const [stages, field] of cases) {
      const r = await stagedRollout(2, stages);
      expect(r.status, JSON.stringify(stages)).toBe(400);
      expect(r.body.message).toContain(field);
    }
    expect((await sitePolicy('gangnam')).status).toBe(404); // nothing was assigned
    expect(await rolloutsOf()).toEqual([]);
  });

  it('assigns the first sites only, and the rest once they applied (waitSec 0)', async () => {
    const r = await stagedRollout(2, { firstSiteIds: ['gangnam'], waitSec: 0 });
    expect(r.status).toBe(202);
    expect(r.body).toMatchObject({ policyId, version: 2, state: 'first-stage', rolloutId: expect.any(String), sites: [expect.objectContaining({ siteId: 'gangnam', version: 2 })] });
    expect(r.body.sites as unknown[]).toHaveLength(1);
    expect((await sitePolicy('hongdae')).status).toBe(404);
    const [listed] = await rolloutsOf();
    expect(listed).toMatchObject({ rolloutId: r.body.rolloutId, state: 'first-stage', firstSiteIds: ['gangnam'], restSiteIds: ['hongdae'], waitSec: 0, stopWhen: { maxFailedApplies: 0, maxDeniedRate: 0.3, maxNewAlerts: 5 }, createdBy: expect.any(String), signals: { failedApplies: 0 } });

    await report('gangnam', 2);
    expect((await rolloutsOf())[0]).toMatchObject({ state: 'completed' });
    expect(await (await sitePolicy('hongdae')).json()).toMatchObject({ policyId, version: 2 });
  });

  it('stops when a first site refuses the version, and never assigns the rest', async () => {
    await ok('POST', `/api/v1/policies/${policyId}/rollouts`, admin, { version: 1, siteIds: ['hongdae'] }, 202);
    const r = await stagedRollout(3, { firstSiteIds: ['gangnam'], waitSec: 0 });
    await report('gangnam', 3, 'body.openingHours.sat: unreadable');
    const [latest] = await rolloutsOf();
    expect(latest).toMatchObject({ rolloutId: r.body.rolloutId, state: 'stopped', signals: { failedApplies: 1 }, reason: expect.stringContaining('gangnam (body.openingHours.sat: unreadable) refused v3') });
    await t.cloud.ctx.policies.staged.tick();
    expect(await (await sitePolicy('hongdae')).json()).toMatchObject({ version: 1 });
  });

  it('a person stops a waiting rollout; a rollback to its first site cancels one', async () => {
    const waiting = await stagedRollout(2, { firstSiteIds: ['gangnam'], waitSec: 3600 });
    await report('gangnam', 2);
    const listed = (await rolloutsOf())[0]!;
    expect(listed).toMatchObject({ state: 'waiting', nextStageAt: expect.any(Number) });
    const manager = await t.token('gangnam.manager@demo.local');
    const stopPath = `/api/v1/policies/${policyId}/rollouts/${waiting.body.rolloutId as string}/stop`;
    expect((await call('POST', stopPath, manager)).status).toBe(403);
    expect(await ok('POST', stopPath, admin)).toMatchObject({ rolloutId: waiting.body.rolloutId, state: 'cancelled', reason: expect.stringContaining('stopped by') });
    expect((await call('POST', `/api/v1/policies/${policyId}/rollouts/${randomUUID()}/stop`, admin)).status).toBe(404);
    expect(await (await sitePolicy('hongdae')).json()).toMatchObject({ version: 1 });

    const next = await stagedRollout(2, { firstSiteIds: ['gangnam'], waitSec: 3600 });
    await ok('POST', `/api/v1/policies/${policyId}/rollouts`, admin, { version: 1, siteIds: ['gangnam'] }, 202);
    expect((await rolloutsOf())[0]).toMatchObject({ rolloutId: next.body.rolloutId, state: 'cancelled', reason: expect.stringContaining('were given v1') });
    const audit = await ok<Array<{ action: string }>>('GET', '/api/v1/audit?limit=200', admin);
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['policy.rollout.staged', 'policy.rollout.stop', 'policy.rollout.stopped']));
  });
});

describe('who may do what', () => {
  it('managers may not start rollouts, vendors read nothing, another tenant finds no policy', async () => {
    const manager = await t.token('gangnam.manager@demo.local');
    const vendor = await t.token('vendor@demo.local');
    const other = await t.token('admin@acme.test');
    expect((await call('POST', `/api/v1/policies/${policyId}/rollouts`, manager, { version: 2, siteIds: ['gangnam'], stages: { firstSiteIds: ['gangnam'], waitSec: 0 } })).status).toBe(403);
    const dry = { version: 1, siteId: 'gangnam', at: '2026-12-11T23:00:00+09:00' };
    for (const [method, path, body] of [
      ['GET', `/api/v1/policies/${policyId}/rollouts`, undefined],
      ['GET', `/api/v1/policies/${policyId}/groups?days=7`, undefined],
      ['POST', `/api/v1/policies/${policyId}/dry-run`, dry],
    ] as const) {
      const v = await call(method, path, vendor, body);
      expect(v.status, path).toBe(403);
      expect(v.body).not.toHaveProperty('0');
      expect((await call(method, path, other, body)).status, path).toBe(404);
    }
    expect((await call('POST', `/api/v1/policies/${policyId}/rollouts/${randomUUID()}/stop`, other)).status).toBe(404);
  });
});

describe('A/B groups', () => {
  it('groups the sites by assigned version with their swipes and denials; a manager sees only their site', async () => {
    await ok('POST', `/api/v1/policies/${policyId}/rollouts`, admin, { version: 2, siteIds: ['gangnam'] }, 202);
    await ok('POST', `/api/v1/policies/${policyId}/rollouts`, admin, { version: 1, siteIds: ['hongdae'] }, 202);
    const before = await ok<Group[]>('GET', `/api/v1/policies/${policyId}/groups?days=7`, admin);
    expect(before.map((g) => [g.version, g.siteIds])).toEqual([[1, ['hongdae']], [2, ['gangnam']]]);
    const now = Date.now();
    const swipe = (type: string) => ({ id: randomUUID(), type, ts: now - 1000, deviceId: 'reader-1' });
    await t.cloud.ctx.stores.events.insertBatch('demo', 'gangnam', [swipe('access.granted'), swipe('access.granted'), swipe('access.granted'), swipe('access.denied')]);
    const after = await ok<Group[]>('GET', `/api/v1/policies/${policyId}/groups?days=1`, admin);
    const v2 = after.find((g) => g.version === 2)!;
    const v2Before = before.find((g) => g.version === 2)!;
    expect(v2.figures.swipes - v2Before.figures.swipes).toBe(4);
    expect(v2.figures.deniedSwipes - v2Before.figures.deniedSwipes).toBe(1);
    expect(v2.figures.deniedRate).toBeCloseTo(v2.figures.deniedSwipes / v2.figures.swipes, 3);
    expect(after.find((g) => g.version === 1)!.figures).toMatchObject({ swipes: before.find((g) => g.version === 1)!.figures.swipes });
    expect(v2.figures).not.toHaveProperty('energyKwh');
    const manager = await t.token('gangnam.manager@demo.local');
    expect((await ok<Group[]>('GET', `/api/v1/policies/${policyId}/groups`, manager)).map((g) => g.siteIds)).toEqual([['gangnam']]);
    for (const days of ['0', '91', 'x']) expect((await call('GET', `/api/v1/policies/${policyId}/groups?days=${days}`, admin)).status).toBe(400);
  });
});

describe('dry run', () => {
  const closedFriNight = {
    openingHours: { fri: [['09:00', '18:00']] },
    scenarios: [
      { id: 'lights-off', trigger: { kind: 'time', at: '23:00', days: [5] }, conditions: [{ kind: 'site-closed' }], actions: [{ kind: 'device', deviceId: 'light-1', action: 'off' }] },
      { id: 'morning', trigger: { kind: 'time', at: '07:00' }, actions: [{ kind: 'notify', message: 'open' }] },
      { id: 'empty', trigger: { kind: 'zone-empty', zoneId: 'lounge', forMin: 30 }, actions: [{ kind: 'mode', mode: 'secure' }] },
    ],
  };
  const dryRun = (token: string, body: unknown) => call('POST', `/api/v1/policies/${policyId}/dry-run`, token, body);

  it('decides each member at each zone with the candidate hours, and says which scenarios fire', async () => {
    const r = await ok('POST', `/api/v1/policies/${policyId}/dry-run`, admin, { body: closedFriNight, siteId: 'gangnam', at: '2026-12-11T23:00:00+09:00' });
    expect(r).toMatchObject({ siteId: 'gangnam', at: '2026-12-11T23:00:00+09:00', siteOpen: false });
    const decisions = r.decisions as Array<{ memberId: string; memberName?: string; zoneId: string; result: string; reason: string }>;
    expect(decisions).toContainEqual({ memberId: 'm-day', memberName: 'Day Member', zoneId: 'lobby', result: 'denied', reason: 'site-closed' });
    // m-day's grants cover the lobby only; at noon the lobby opens and the office stays shut.
    const noon = await ok('POST', `/api/v1/policies/${policyId}/dry-run`, admin, { body: closedFriNight, siteId: 'gangnam', at: '2026-12-11T12:00:00+09:00' });
    const dayAtNoon = (noon.decisions as typeof decisions).filter((d) => d.memberId === 'm-day');
    expect(dayAtNoon.find((d) => d.zoneId === 'lobby')).toMatchObject({ result: 'granted', reason: 'granted' });
    expect(dayAtNoon.find((d) => d.zoneId === 'office')).toMatchObject({ result: 'denied', reason: 'no-grant' });
    expect(noon.siteOpen).toBe(true);
    const zones = new Set(decisions.map((d) => d.zoneId));
    expect(zones).toEqual(new Set(['lobby', 'lounge', 'meeting', 'office']));
    expect(decisions.some((d) => d.result === 'granted' && d.memberId !== 'm-day')).toBe(true); // after-hours members
    const scenarios = r.scenarios as Array<{ scenarioId: string; fires: boolean; why: string; actions: unknown[] }>;
    expect(scenarios.find((s) => s.scenarioId === 'lights-off')).toMatchObject({ fires: true, actions: [{ kind: 'device', deviceId: 'light-1', action: 'off' }] });
    expect(scenarios.find((s) => s.scenarioId === 'morning')).toMatchObject({ fires: false, why: expect.stringContaining('not at Fri 23:00') });
    expect(scenarios.find((s) => s.scenarioId === 'empty')).toMatchObject({ fires: false, why: 'when zone lounge has been empty for 30 min' });
    expect((noon.scenarios as typeof scenarios).find((s) => s.scenarioId === 'lights-off')!.fires).toBe(false);
  });

  it('runs a stored version, and refuses bad requests', async () => {
    const v3 = await ok('POST', `/api/v1/policies/${policyId}/dry-run`, admin, { version: 3, siteId: 'gangnam', at: '2026-12-12T12:00:00+09:00' });
    expect(v3.siteOpen).toBe(false); // v3 closes Saturdays
    const bad = await dryRun(admin, { body: { openingHours: { mon: [['9:00', '18:00']] } }, siteId: 'gangnam', at: '2026-12-11T23:00:00+09:00' });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toContain('body.openingHours.mon.0.0');
    const both = await dryRun(admin, { version: 1, body: {}, siteId: 'gangnam', at: '2026-12-11T23:00:00+09:00' });
    expect(both.status).toBe(400);
    expect(both.body.message).toContain('exactly one of version and body');
    expect((await dryRun(admin, { siteId: 'gangnam', at: '2026-12-11T23:00:00+09:00' })).status).toBe(400);
    expect((await dryRun(admin, { version: 1, siteId: 'gangnam', at: '2026-12-11 23:00' })).status).toBe(400);
    expect((await dryRun(admin, { version: 99, siteId: 'gangnam', at: '2026-12-11T23:00:00+09:00' })).status).toBe(404);
    expect((await dryRun(admin, { version: 1, siteId: 'acme-hq', at: '2026-12-11T23:00:00+09:00' })).status).toBe(404);
    const manager = await t.token('gangnam.manager@demo.local');
    expect((await dryRun(manager, { version: 1, siteId: 'hongdae', at: '2026-12-11T23:00:00+09:00' })).status).toBe(403);
    expect((await dryRun(manager, { version: 1, siteId: 'gangnam', at: '2026-12-11T23:00:00+09:00' })).status).toBe(200);
    const hq = await t.token('hq@demo.local');
    expect((await dryRun(hq, { version: 1, siteId: 'hongdae', at: '2026-12-11T23:00:00+09:00' })).status).toBe(200);
  });
});
