import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertId, raiseAlert, siteDocName, type AlertRaise } from '@cr/shared';
import { eventually, startTestCloud, type TestCloud } from '../../testing/test-cloud';
import { startWebhookReceiver, type WebhookAnswer, type WebhookReceiver } from '../../testing/webhook-receiver';
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

const SECRET = 'whsec-test-1234';

async function routeTo(url: string, rule: Record<string, unknown>): Promise<string> {
  const ch = await t.api('POST', '/api/v1/notifications/channels', { token: admin, body: { kind: 'webhook', url, secret: SECRET } });
  expect(ch.status).toBe(201);
  const { id } = (await ch.json()) as { id: string };
  const r = await t.api('POST', '/api/v1/notifications/rules', { token: admin, body: { channelId: id, ...rule } });
  expect(r.status).toBe(201);
  return id;
}

function raise(siteId: string, deviceId: string, type: AlertRaise['type'], severity: AlertRaise['severity']): Promise<AlertRaise> {
  const raisedAt = Date.now();
  const alert: AlertRaise = { id: alertId(siteId, deviceId, type, raisedAt), siteId, type, severity, raisedAt, deviceId, source: 'edge' };
  return t.cloud.ctx.docs.mutate(siteDocName('demo', siteId), (doc) => (raiseAlert(doc, alert), alert));
}

describe('webhook delivery (CONTRACT §7)', () => {
  // Each case routes its own category, so the other case's alert never reaches its endpoint.
  it.each<[string, WebhookAnswer, 'security' | 'safety']>([
    ['no answer within the timeout', 'hang', 'security'],
    ['a reset connection', 'reset', 'safety'],
  ])('retries a 500 and %s, then is accepted once, with one Idempotency-Key and a valid signature', async (_name, second, category) => {
    const hook = await startWebhookReceiver([500, second]);
    hooks.push(hook);
    await routeTo(`${hook.url}/alerts`, { siteIds: ['gangnam'], categories: [category], minSeverity: 'critical' });
    const [device, type] = category === 'security' ? (['door-lobby', 'door.forced'] as const) : (['fire-panel', 'fire.alarm'] as const);
    const alert = await raise('gangnam', device, type, 'critical');
    // Neither another site, nor another category, nor a lesser severity (a major tamper) matches this rule.
    await raise('hongdae', device, type, 'critical');
    await raise('gangnam', 'env-1', 'device.offline', 'minor');
    await raise('gangnam', 'door-side', category === 'security' ? 'tamper' : 'door.held-open', 'major');

    await eventually(() => hook.requests.some((r) => r.answer === 200), 10_000, 'accepted delivery');
    const log = await eventually(async () => {
      const res = await t.api('GET', `/api/v1/alerts/${encodeURIComponent(alert.id)}/deliveries`, { token: admin });
      const list = (await res.json()) as Array<{ status: string; attempts: Array<{ statusCode?: number; error?: string }> }>;
      return list[0]?.status === 'delivered' ? list : undefined;
    }, 5_000, 'delivery logged');

    expect(hook.requests.map((r) => r.answer)).toEqual([500, second, 200]);
    const keys = new Set(hook.requests.map((r) => r.headers['idempotency-key']));
    expect(keys.size).toBe(1);
    for (const r of hook.requests) {
      expect(r.method).toBe('POST');
      expect(r.path).toBe('/alerts');
      expect(r.headers['content-type']).toBe('application/json');
      const expected = `sha256=${createHmac('sha256', SECRET).update(r.raw).digest('hex')}`;
      expect(r.headers['x-signature']).toBe(expected);
      expect(Object.keys(JSON.parse(r.raw) as object)).toEqual(['alertId', 'siteId', 'type', 'severity', 'state', 'raisedAt']);
      expect(JSON.parse(r.raw)).toEqual({
        alertId: alert.id,
        siteId: 'gangnam',
        type,
        severity: 'critical',
        state: 'open',
        raisedAt: alert.raisedAt,
      });
    }
    expect(log).toHaveLength(1);
    expect(log[0]).toMatchObject({ id: [...keys][0], event: 'raised', channel: { kind: 'webhook' } });
    expect(log[0]!.attempts.map((a) => a.statusCode ?? 'none')).toEqual([500, 'none', 200]);
    expect(log[0]!.attempts[1]!.error).toMatch(second === 'hang' ? /no answer within 300 ms/ : /./);
    // Later document changes enqueue nothing again: one logical notification, one accepted request.
    await raise('gangnam', 'env-2', 'device.offline', 'minor');
    await new Promise((r) => setTimeout(r, 300));
    expect(hook.requests.filter((r) => r.answer === 200)).toHaveLength(1);
  });

  it('never notifies alerts raised before the rule existed (beyond its one-minute lookback)', async () => {
    const hook = await startWebhookReceiver();
    hooks.push(hook);
    const raisedAt = Date.now() - 10 * 60_000;
    const old: AlertRaise = { id: alertId('yeouido', 'door-lobby', 'door.forced', raisedAt), siteId: 'yeouido', type: 'door.forced', severity: 'critical', raisedAt, source: 'edge' };
    await t.cloud.ctx.docs.mutate(siteDocName('demo', 'yeouido'), (doc) => raiseAlert(doc, old));
    await routeTo(hook.url, { siteIds: ['yeouido'] });
    const fresh = await raise('yeouido', 'door-back', 'door.forced', 'critical');
    await eventually(() => hook.requests.length >= 1, 5_000, 'fresh alert delivered');
    await new Promise((r) => setTimeout(r, 200));
    expect(hook.requests.map((r) => (JSON.parse(r.raw) as { alertId: string }).alertId)).toEqual([fresh.id]);
  });
});
