import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DAY_MS } from '@cr/shared';
import { startTestCloud, type TestCloud } from '../testing/test-cloud';
import { runRetention } from './background-jobs';

let t: TestCloud;
beforeAll(async () => {
  t = await startTestCloud({ demo: true, config: { retentionDays: 90 } });
});
afterAll(() => t.close());

it('deletes access events older than the retention period and keeps the rest', async () => {
  const now = Date.now();
  const ev = (type: string, ageDays: number) => ({ id: randomUUID(), type, ts: now - ageDays * DAY_MS });
  await t.cloud.ctx.ingest.store('demo', 'gangnam', [
    ev('access.granted', 91),
    ev('access.denied', 120),
    ev('access.granted', 89),
    ev('door.forced', 200),
  ]);
  expect(runRetention(t.cloud.ctx, now)).toBe(2);
  const left = (t.cloud.ctx.db.prepare('SELECT type FROM events ORDER BY type').all() as Array<{ type: string }>).map(
    (r) => r.type,
  );
  expect(left).toEqual(['access.granted', 'door.forced']);
});
