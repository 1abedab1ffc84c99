import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acknowledgeAlert, alertId, raiseAlert, siteDocName, type AlertRaise } from '@cr/shared';
import { eventually, startTestCloud, type TestCloud } from '../../testing/test-cloud';
import { startWebhookReceiver, type WebhookReceiver } from '../../testing/webhook-receiver';
import { FAST_DELIVERY } from '../../testing/fast-delivery';

let t: TestCloud;
let admin: string;
const hooks: WebhookReceiver[] = [];
beforeAll(async () => {
  t = await startTestCloud({ tuning: { notifications: FAST_DELIVERY } });
  admin = await t.token('admin@demo.local');
});
afterAll(async () => {
  await t.close();
  await Promise.all(hooks.map((h) => h.close()));
});

const told = (hook: WebhookReceiver) => hook.requests.map((r) => (JSON.parse(r.raw) as { alertId: string }).alertId);

async function tier(rule: Record<string, unknown>): Promise<WebhookReceiver> {
  const hook = await startWebhookReceiver();
  hooks.push(hook);
  const ch = await t.api('POST', '/api/v1/notifications/channels', { token: admin, body: { kind: 'webhook', url: hook.url, secret: 'tier-secret' } });
  const { id } = (await ch.json()) as { id: string };
  const res = await t.api('POST', '/api/v1/notifications/rules', { token: admin, body: { channelId: id, siteIds: ['gangnam'], ...rule } });
  expect(res.status).toBe(201);
  return hook;
}

describe('escalation tiers', () => {
  it('the site manager is told at once; HQ only about the alarm nobody acknowledged within the minute', async () => {
    const manager = await tier({});
    const hq = await tier({ escalateAfterMin: 1, escalationOnly: true });
    // Raised 58 s ago (inside the new rules' one-minute lookback): the minute runs out in 2 s.
    const raisedAt = Date.now() - 58_000;
    const raise = (deviceId: string): AlertRaise => ({ id: alertId('gangnam', deviceId, 'door.forced', raisedAt), siteId: 'gangnam', type: 'door.forced', severity: 'critical', raisedAt, deviceId, source: 'edge' });
    const ignored = raise('door-lobby');
    const handled = raise('door-side');
    await t.cloud.ctx.docs.mutate(siteDocName('demo', 'gangnam'), (doc) => {
      raiseAlert(doc, ignored);
      raiseAlert(doc, handled);
    });
    await eventually(() => manager.requests.length >= 2, 5_000, 'manager told of both');
    expect(hq.requests).toEqual([]);
    await t.cloud.ctx.docs.mutate(siteDocName('demo', 'gangnam'), (doc) => acknowledgeAlert(doc, handled.id, { by: 'Gangnam Manager', at: Date.now(), where: 'gangnam' }));
    await eventually(() => hq.requests.length >= 1, 8_000, 'HQ told of the unacknowledged one');
    await new Promise((r) => setTimeout(r, 500));
    expect(told(hq)).toEqual([ignored.id]);
    expect(told(manager).sort()).toEqual([ignored.id, handled.id].sort());
    const rules = (await (await t.api('GET', '/api/v1/notifications/rules', { token: admin })).json()) as Array<{ escalationOnly?: boolean }>;
    expect(rules.filter((r) => r.escalationOnly)).toHaveLength(1);
  });

  it('refuses an escalation-only tier with no time to escalate after', async () => {
    const ch = await t.api('POST', '/api/v1/notifications/channels', { token: admin, body: { kind: 'webhook', url: 'https://hooks.example/x', secret: 's' } });
    const { id } = (await ch.json()) as { id: string };
    const res = await t.api('POST', '/api/v1/notifications/rules', { token: admin, body: { channelId: id, escalationOnly: true } });
    expect(res.status).toBe(400);
    expect(await res.text()).toMatch(/escalateAfterMin/);
  });
});
