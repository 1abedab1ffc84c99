import { test, expect } from '../fixtures/test';
import { getJson, login, postJson, waitUntil } from '@cr/demo';
import { DEMO_SITES } from '@cr/shared';
import { MqttWatch } from '../fixtures/mqtt-watch';

const DOORS = DEMO_SITES[0]!.devices.filter((d) => d.kind === 'door').map((d) => d.id);

interface Command {
  id: string;
  status: string;
  error?: string;
}

async function finalStatus(cloudUrl: string, token: string, id: string): Promise<Command> {
  return waitUntil(async () => {
    const c = await getJson<Command>(`${cloudUrl}/api/v1/commands/${id}`, token);
    return ['pending', 'sent'].includes(c.status) ? undefined : c;
  }, `command ${id} to finish`);
}

test('fire: doors unlock within a second with the link cut; no lock until an authorized reset; all audited', async ({ system }) => {
  const site = system.sites.get('gangnam')!;
  const watch = await MqttWatch.open(site.mqttUrl!, 'cr/gangnam/devices/+/cmd');
  const hq = await login(system.cloudUrl, 'hq@demo.local');
  site.proxy.cut();

  const alarmAt = Date.now();
  await system.simulate('gangnam', 'fire');
  const unlocked = await waitUntil(() => {
    const doors = new Set(watch.json<{ action: string }>('/cmd', alarmAt).filter((m) => m.body.action === 'unlock').map((m) => m.topic.split('/')[3]));
    return DOORS.every((d) => doors.has(d)) ? watch.json<{ action: string }>('/cmd', alarmAt) : undefined;
  }, 'unlock sent to every door', 5_000, 20);
  const last = Math.max(...unlocked.filter((m) => m.body.action === 'unlock').map((m) => m.at));
  expect(last - alarmAt).toBeLessThan(1000);

  site.proxy.restore();
  await waitUntil(async () => (await getJson<{ cloud: string }>(`${site.httpUrl}/health`)).cloud === 'connected', 'link back');

  // A remote lock is refused while the fire state stands.
  const lock = await postJson<Command>(`${system.cloudUrl}/api/v1/sites/gangnam/doors/door-lobby/commands`, { action: 'lock', reason: 'try to lock during fire' }, hq);
  expect(lock.status).toBe(202);
  const refused = await finalStatus(system.cloudUrl, hq, lock.body.id);
  expect(refused.status).toBe('rejected');
  expect(refused.error ?? '').toMatch(/fire/i);
  expect(watch.json<{ action: string; id: string }>('door-lobby/cmd').some((m) => m.body.action === 'lock')).toBe(false);

  // A vendor cannot reset; HQ can, then the lock goes through.
  const vendor = await login(system.cloudUrl, 'vendor@demo.local');
  expect((await postJson(`${system.cloudUrl}/api/v1/sites/gangnam/mode`, { mode: 'normal', reason: 'reset' }, vendor)).status).toBe(403);
  await system.simulate('gangnam', 'fire/clear');
  const reset = await postJson<Command>(`${system.cloudUrl}/api/v1/sites/gangnam/mode`, { mode: 'normal', reason: 'fire brigade cleared the building' }, hq);
  expect((await finalStatus(system.cloudUrl, hq, reset.body.id)).status).toBe('executed');
  const lock2 = await postJson<Command>(`${system.cloudUrl}/api/v1/sites/gangnam/doors/door-lobby/commands`, { action: 'lock', reason: 'after reset' }, hq);
  expect((await finalStatus(system.cloudUrl, hq, lock2.body.id)).status).toBe('executed');

  // The whole sequence is in the audit log.
  const audit = await waitUntil(async () => {
    const rows = await getJson<Array<{ action: string; result: string; target: string }>>(`${system.cloudUrl}/api/v1/audit?siteId=gangnam`, hq);
    const text = JSON.stringify(rows);
    return /fire/.test(text) && /rejected/.test(text) && /executed/.test(text) ? rows : undefined;
  }, 'fire, refused lock, reset and lock in the audit log', 20_000);
  const actions = audit.map((r) => `${r.action}:${r.result}`).join(' ');
  expect(actions).toMatch(/rejected/);
  expect(actions).toMatch(/mode/);
  await watch.close();
});
