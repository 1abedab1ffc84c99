import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { alertId, raiseAlert, siteDocName, type AlertRaise } from '@cr/shared';
import { eventually, startTestCloud, type TestCloud } from '../../testing/test-cloud';
import { FAST_DELIVERY } from '../../testing/fast-delivery';
import { startWebhookReceiver } from '../../testing/webhook-receiver';
import { createTestDatabase } from '../../store/postgres/test-database';

const dataDir = mkdtempSync(join(tmpdir(), 'cloud-notify-restart-'));
const clouds: TestCloud[] = [];
afterAll(async () => {
  for (const c of clouds) await c.close().catch(() => undefined);
  rmSync(dataDir, { recursive: true, force: true });
});

// Retries a second apart: the cloud is stopped between the first attempt and the second.
const tuning = { notifications: { ...FAST_DELIVERY, retry: { baseDelayMs: 1_000, maxDelayMs: 1_000, jitter: 0, retryForMs: 60_000 } } };

it('loses nothing when the cloud restarts in the middle of retries: the same notification arrives after it', async () => {
  const hook = await startWebhookReceiver([], 500);
  // CR_TEST_STORE=postgres: both clouds on one database of this test's own (the outbox is shared state).
  const pg = process.env.CR_TEST_STORE === 'postgres' ? await createTestDatabase('cr_restart') : undefined;
  const config = pg ? { storeUrl: pg.url } : {};
  try {
    const first = await startTestCloud({ dataDir, tuning, config });
    clouds.push(first);
    const admin = await first.token('admin@demo.local');
    const ch = await first.api('POST', '/api/v1/notifications/channels', { token: admin, body: { kind: 'webhook', url: hook.url, secret: 'restart-secret' } });
    const { id: channelId } = (await ch.json()) as { id: string };
    expect((await first.api('POST', '/api/v1/notifications/rules', { token: admin, body: { channelId } })).status).toBe(201);
    const raisedAt = Date.now();
    const alert: AlertRaise = { id: alertId('gangnam', 'door-lobby', 'door.forced', raisedAt), siteId: 'gangnam', type: 'door.forced', severity: 'critical', raisedAt, source: 'edge' };
    await first.cloud.ctx.docs.mutate(siteDocName('demo', 'gangnam'), (doc) => raiseAlert(doc, alert));
    await eventually(() => hook.requests.length === 1, 5_000, 'first attempt');
    await first.close();
    const key = hook.requests[0]!.headers['idempotency-key'];
    expect(key).toBeTruthy();

    hook.fallback = 200;
    const second = await startTestCloud({ dataDir, tuning, config });
    clouds.push(second);
    await eventually(() => hook.requests.some((r) => r.answer === 200), 10_000, 'delivered after the restart');
    expect(hook.requests.map((r) => r.headers['idempotency-key'])).toEqual(hook.requests.map(() => key));
    expect(hook.requests.filter((r) => r.answer === 200)).toHaveLength(1);
    expect(hook.requests[1]!.raw).toBe(hook.requests[0]!.raw);
    const log = await eventually(async () => {
      const res = await second.api('GET', `/api/v1/notifications/deliveries?alertId=${encodeURIComponent(alert.id)}`, {
        token: await second.token('hq@demo.local'),
      });
      const list = (await res.json()) as Array<{ status: string; attempts: Array<{ statusCode?: number }> }>;
      return list[0]?.status === 'delivered' ? list : undefined;
    }, 5_000, 'delivery logged');
    expect(log).toHaveLength(1);
    expect(log[0]!.attempts.map((a) => a.statusCode)).toEqual([500, 200]);
  } finally {
    for (const c of clouds.splice(0)) await c.close().catch(() => undefined);
    await hook.close();
    await pg?.drop();
  }
});
