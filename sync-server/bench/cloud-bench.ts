/**
 * Quick local measurement (not a test): events ingested per second over the edge link with
 * de-duplication, and resident memory with 200 site documents loaded.
 * Run: npx tsx sync-server/bench/cloud-bench.ts
 */
import { randomUUID } from 'node:crypto';
import { DEMO_SITES, siteDocName } from '@cr/shared';
import { startTestCloud } from '../src/testing/test-cloud';
import { TestEdge } from '../src/testing/edge-client';
import { createSite } from '../src/domain/site-directory';

const BATCHES = 60;
const BATCH = 1000;

async function ingest(): Promise<Record<string, number>> {
  const t = await startTestCloud();
  const { url } = await t.cloud.listen(0);
  const edge = await TestEdge.connect(url, t.cloud.demoEdgeTokens.gangnam!);
  edge.hello('gangnam');
  await edge.next('welcome');
  const batches = Array.from({ length: BATCHES }, (_, b) =>
    Array.from({ length: BATCH }, (_, i) => ({
      id: randomUUID(),
      type: i % 7 ? 'access.granted' : 'access.denied',
      ts: Date.now() - b * 1000 - i,
      deviceId: 'reader-lobby',
      data: { memberId: 'member-0001', credential: { type: 'card', value: `card-${i % 100}` } },
    })),
  );
  const started = performance.now();
  let sent = 0;
  for (let b = 0; b < BATCHES; b++) {
    edge.send({ type: 'events', batchId: `b${b}`, events: batches[b]! });
    sent += BATCH;
    // Every fourth batch is re-sent, as after a lost ack.
    if (b % 4 === 3) {
      edge.send({ type: 'events', batchId: `b${b}-again`, events: batches[b]! });
      sent += BATCH;
    }
  }
  const last = await edge.next(
    'events.ack',
    (m) => m.batchId === `b${BATCHES - 1}-again` || m.batchId === `b${BATCHES - 1}`,
    120_000,
  );
  void last;
  const secs = (performance.now() - started) / 1000;
  const stored = (t.cloud.ctx.db.prepare('SELECT COUNT(*) AS n FROM events').get() as { n: number }).n;
  edge.close();
  await t.close();
  return {
    eventsSent: sent,
    eventsStored: stored,
    seconds: Math.round(secs * 100) / 100,
    eventsPerSecond: Math.round(sent / secs),
  };
}

async function memory(): Promise<Record<string, number>> {
  const t = await startTestCloud({ demo: true });
  const plan = DEMO_SITES[0]!;
  for (let i = 0; i < 200; i++) {
    createSite(
      t.cloud.ctx.tenants,
      t.cloud.ctx.docs,
      { tenantId: 'demo', id: `site-${i}`, name: `Site ${i}`, lat: 37.5, lng: 127, timezone: 'Asia/Seoul' },
      plan,
    );
  }
  t.cloud.ctx.docs.sweepIdle(Date.now() + 3_600_000);
  global.gc?.();
  const before = process.memoryUsage();
  for (let i = 0; i < 200; i++) t.cloud.ctx.docs.open(siteDocName('demo', `site-${i}`));
  global.gc?.();
  const after = process.memoryUsage();
  const loaded = t.cloud.ctx.docs.loadedCount;
  await t.close();
  const mib = (n: number) => Math.round((n / 1048576) * 10) / 10;
  return {
    docsLoaded: loaded,
    devicesPerDoc: plan.devices.length,
    rssMiB: mib(after.rss),
    heapUsedMiB: mib(after.heapUsed),
    heapDeltaMiB: mib(after.heapUsed - before.heapUsed),
  };
}

const result = { ingest: await ingest(), memory: await memory(), node: process.version };
console.log(JSON.stringify(result, null, 2));
