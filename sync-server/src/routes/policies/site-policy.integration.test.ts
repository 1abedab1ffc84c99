import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAY_MS, DEMO_PASSWORD, localTime } from '@cr/shared';
import { eventually, startTestCloud, type TestCloud } from '../../testing/test-cloud';
import { edgeHealth, startEdgeProcess, type EdgeProcess } from '../../testing/edge-process';
import { MqttDevices } from '../../testing/mqtt-devices';
import { CloudApi } from '../../onboard/cloud-api';

/**
 * Site policies end to end (CONTRACT.md §9): a real cloud, a real edge process and MQTT readers.
 * Every check is what a person sees at the door or in the API.
 */
const SITE = 'mangwon';
let t: TestCloud;
let url: string;
let dir: string;
let edge: EdgeProcess;
let devices: MqttDevices;
let admin: CloudApi;
let policyId: string;
const sitePolicy = `/api/v1/sites/${SITE}/policy`;
const seoulDate = (ts: number) => localTime(ts, 'Asia/Seoul').date;
// Today and tomorrow (Seoul): the test cannot cross into an open day at midnight.
const closedNow = { openingHours: { closedDates: [seoulDate(Date.now()), seoulDate(Date.now() + DAY_MS)] } };
const openAllWeek = { openingHours: {} };

const member = (id: string, card: string, afterHours: boolean) => ({
  name: id,
  active: true,
  secureMode: false,
  offlineWhitelist: false,
  afterHours,
  credentials: [{ type: 'card', value: card }],
  grants: [{ zoneIds: ['lobby'] }],
});
const swipeDay = () => devices.swipe('reader-1', 'card-day');
const swipeNight = () => devices.swipe('reader-1', 'card-late');
const applied = async (version: number) =>
  eventually(async () => expect(await admin.expect([200], 'GET', sitePolicy)).toMatchObject({ policyId, version, appliedVersion: version, status: 'applied' }), 5_000);
const rollout = (version: number) => admin.expect([202], 'POST', `/api/v1/policies/${policyId}/rollouts`, { version, siteIds: [SITE] });

beforeAll(async () => {
  t = await startTestCloud();
  url = (await t.cloud.listen(0)).url;
  dir = mkdtempSync(join(tmpdir(), 'policy-'));
  admin = await CloudApi.login(url, 'admin@demo.local', DEMO_PASSWORD);
  await admin.expect([201], 'POST', '/api/v1/sites', { id: SITE, name: '망원 Mangwon', lat: 37.556, lng: 126.901, timezone: 'Asia/Seoul' });
  await admin.expect([200], 'PUT', `/api/v1/sites/${SITE}/zones/lobby`, { name: '로비' });
  await admin.expect([200, 201], 'PUT', '/api/v1/members/m-day', member('m-day', 'card-day', false));
  await admin.expect([200, 201], 'PUT', '/api/v1/members/m-late', member('m-late', 'card-late', true));
  const { token } = await admin.expect<{ token: string }>([201], 'POST', `/api/v1/sites/${SITE}/edge-tokens`);
  edge = await startEdgeProcess({ siteId: SITE, cloudUrl: url, token, dataDir: dir, flags: ['--test-controls'] });
  devices = await MqttDevices.connect(edge.mqttUrl, SITE);
  await devices.announce({ id: 'door-1', kind: 'door', name: 'Door 1', zoneId: 'lobby' });
  await devices.announce({ id: 'reader-1', kind: 'reader', name: 'Reader 1', zoneId: 'lobby', doorId: 'door-1' });
  await eventually(async () => expect(await swipeDay()).toMatchObject({ granted: true, reason: 'granted' }), 20_000);
}, 90_000);
afterAll(async () => {
  await devices?.close();
  await edge?.service.stop();
  await t?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('site policies at the door', { timeout: 40_000 }, () => {
  it('refuses an invalid body with the field path, and lets only tenant admins write', async () => {
    const bad = await admin.call<{ message: string }>('POST', '/api/v1/policies', { name: 'Broken', body: { openingHours: { mon: [['9:00', '18:00']] } } });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toContain('body.openingHours.mon.0.0');
    const hq = await CloudApi.login(url, 'hq@demo.local', DEMO_PASSWORD);
    expect((await hq.call('POST', '/api/v1/policies', { name: 'x', body: {} })).status).toBe(403);
  });

  it('a policy that closes today denies a member without afterHours (site-closed) and lets one with it in', async () => {
    ({ id: policyId } = await admin.expect<{ id: string; version: number }>([201], 'POST', '/api/v1/policies', { name: 'Closed today', body: closedNow }));
    await rollout(1);
    await applied(1);
    expect(await swipeDay()).toMatchObject({ granted: false, reason: 'site-closed' });
    expect(await swipeNight()).toMatchObject({ granted: true, reason: 'granted' });
    expect((await fetch(`${edge.httpUrl}/health`).then((r) => r.json())) as object).toMatchObject({ policyVersion: 1 });
  });

  it('applies a new version within 5 s, and a rollback restores the earlier behaviour', async () => {
    expect(await admin.expect([201], 'POST', `/api/v1/policies/${policyId}/versions`, { body: openAllWeek })).toEqual({ version: 2 });
    await rollout(2);
    await applied(2);
    expect(await swipeDay()).toMatchObject({ granted: true, reason: 'granted' });
    const diff = await admin.expect<{ changes: Array<{ text: string }> }>([200], 'GET', `/api/v1/policies/${policyId}/diff?from=1&to=2`);
    expect(diff.changes.map((c) => c.text)).toEqual([expect.stringContaining('openingHours.closedDates: removed')]);

    await rollout(1);
    await applied(1);
    expect(await swipeDay()).toMatchObject({ granted: false, reason: 'site-closed' });
  });

  it('keeps enforcing the last version with the cloud gone', async () => {
    await fetch(`${edge.httpUrl}/api/v1/link`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ connected: false }) });
    await eventually(async () => expect((await edgeHealth(edge)).cloud).toBe('disconnected'));
    expect(await swipeDay()).toMatchObject({ granted: false, reason: 'site-closed' });
    expect(await swipeNight()).toMatchObject({ granted: true });
    await fetch(`${edge.httpUrl}/api/v1/link`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ connected: true }) });
    await eventually(async () => expect((await edgeHealth(edge)).cloud).toBe('connected'), 15_000);
  });

  it('an edge refuses a version it cannot read, reports why, and keeps the valid one', async () => {
    // Written past the API's validation, as a version stored under an older, looser schema would be.
    const version = await t.cloud.ctx.stores.policies.addVersion('demo', policyId, { openingHours: { mon: 'always' } }, 'legacy');
    expect(version).toBe(3);
    await rollout(3);
    await eventually(async () => {
      const status = await admin.expect<Array<{ siteId: string; status: string; error?: string; appliedVersion?: number }>>([200], 'GET', `/api/v1/policies/${policyId}/rollout-status`);
      expect(status).toEqual([expect.objectContaining({ siteId: SITE, status: 'failed', appliedVersion: 1, error: expect.stringContaining('body.openingHours.mon') })]);
      return true;
    }, 5_000);
    expect(await admin.expect([200], 'GET', sitePolicy)).toMatchObject({ version: 3, status: 'failed' });
    expect(await swipeDay()).toMatchObject({ granted: false, reason: 'site-closed' });
  });

  it('vendors may not read site policies', async () => {
    const vendor = await CloudApi.login(url, 'vendor@demo.local', DEMO_PASSWORD);
    expect((await vendor.call('GET', '/api/v1/policies')).status).toBe(403);
    expect((await admin.call('GET', '/api/v1/policies/00000000-0000-4000-8000-000000000000')).status).toBe(404);
  });
});
