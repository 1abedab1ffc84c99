import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { acknowledgeAlert, alertId, listAlerts, raiseAlert, siteDocName } from '@cr/shared';
import { createTestDatabase, TEST_PG_URL } from '../../store/postgres/test-database';
import { serviceGate } from '../../testing/services';
import { dropKeys, redisGate, TEST_REDIS_URL } from '../../testing/cloud-instances';
import { eventually, startTestCloud, type TestCloud } from '../../testing/test-cloud';
import { connectProvider, whenSynced } from '../../testing/sync-clients';

const GANGNAM = siteDocName('demo', 'gangnam');
const pgGate = serviceGate('PostgreSQL', TEST_PG_URL);

async function acks(
  cloud: TestCloud,
  alert: string,
): Promise<Array<{ actor: string; details?: Record<string, unknown> }>> {
  const res = await cloud.api('GET', '/api/v1/audit?siteId=gangnam&limit=1000', {
    token: await cloud.token('hq@demo.local'),
  });
  return (
    (await res.json()) as Array<{ actor: string; action: string; target: string; details?: Record<string, unknown> }>
  ).filter((r) => r.target === alert && r.action === 'alert.ack');
}

describe.runIf(pgGate.available() && redisGate.available())(
  'alert actions in the audit log, on PostgreSQL with two instances',
  () => {
    it('records an ack once, credited to the signed-in user by the instance that received it, never again by the instance that applied it from the bus or on a restart', async () => {
      const db = await createTestDatabase('cr_alert_audit');
      const dataDir = mkdtempSync(join(tmpdir(), 'alert-audit-cluster-'));
      const config = { storeUrl: db.url, busUrl: TEST_REDIS_URL, cluster: `t${randomBytes(4).toString('hex')}` };
      const clouds: TestCloud[] = [];
      try {
        clouds.push(await startTestCloud({ dataDir, config }));
        clouds.push(await startTestCloud({ dataDir, config }));
        const [a, b] = clouds as [TestCloud, TestCloud];
        const at = Date.now() - 30_000;
        const alert = {
          id: alertId('gangnam', 'door-lobby', 'door.forced', at),
          siteId: 'gangnam',
          type: 'door.forced',
          severity: 'major',
          raisedAt: at,
          deviceId: 'door-lobby',
          source: 'edge',
        } as const;
        // A console on each instance: the alert raised through a appears on b, and b's operator acknowledges it.
        const onA = connectProvider((await a.cloud.listen(0)).url, GANGNAM, await a.token('hq@demo.local'));
        const onB = connectProvider(
          (await b.cloud.listen(0)).url,
          GANGNAM,
          await b.token('gangnam.manager@demo.local'),
        );
        await Promise.all([whenSynced(onA), whenSynced(onB)]);
        raiseAlert(onA.doc, alert);
        await eventually(async () => listAlerts(onB.doc).some((x) => x.id === alert.id), 5_000, 'alert on b');
        acknowledgeAlert(onB.doc, alert.id, { by: 'Gangnam Manager', at: Date.now(), where: 'hq' });
        await eventually(
          async () => listAlerts(onA.doc).find((x) => x.id === alert.id)?.state === 'acknowledged',
          5_000,
          'ack on a',
        );
        const recorded = await eventually(
          async () => {
            const r = await acks(a, alert.id);
            return r.length > 0 ? r : undefined;
          },
          5_000,
          'ack recorded',
        );
        // Let both instances settle, then a restart of both scans the stored document again.
        await new Promise((r) => setTimeout(r, 500));
        onA.destroy();
        onB.destroy();
        for (const c of clouds.splice(0)) await c.close();
        const again = await startTestCloud({ dataDir, config });
        clouds.push(again);
        await again.cloud.ctx.docs.open(GANGNAM);
        await new Promise((r) => setTimeout(r, 500));
        const after = await acks(again, alert.id);
        expect(recorded.map((r) => r.actor)).toEqual(['gangnam.manager']);
        expect(after.map((r) => [r.actor, r.details?.via])).toEqual([['gangnam.manager', 'sync']]);
      } finally {
        for (const c of clouds) await c.close();
        await dropKeys(TEST_REDIS_URL, config.cluster);
        await db.drop();
        rmSync(dataDir, { recursive: true, force: true });
      }
    }, 60_000);
  },
);
