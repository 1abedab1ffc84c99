import Database from 'better-sqlite3';
import { join } from 'node:path';
import { demoEdgeToken } from '@cr/demo/cloud-client';
import { LinkProxy } from '@cr/demo/link-proxy';
import { edgeHealth } from '../harness/linked-edge';
import { metricValue } from '../harness/mqtt';
import { runWorker, startCloud, startEdge } from '../harness/services';
import { tempDir } from '../harness/temp';
import { nowMs, sleep, waitFor } from '../harness/wait';
import { atMost, info, type Scenario } from '../scenario';
import { round } from '../stats';

const SITE = 'gangnam';
const EVENTS = 1_000_000;

/** Reads the cloud's event table read-only, as an auditor would: rows and distinct ids of the site. */
function countStored(cloudDir: string): { rows: number; distinct: number } {
  const db = new Database(join(cloudDir, 'cloud.db'), { readonly: true, fileMustExist: true });
  try {
    const q = `SELECT COUNT(*) AS rows, COUNT(DISTINCT id) AS distinct_ids FROM events WHERE tenant_id = 'demo' AND site_id = ?`;
    const r = db.prepare(q).get(SITE) as { rows: number; distinct_ids: number };
    return { rows: r.rows, distinct: r.distinct_ids };
  } finally {
    db.close();
  }
}

export const backlog: Scenario = {
  name: 'backlog',
  title: 'an edge offline with 1,000,000 buffered events reconnects',
  async run() {
    const scenarioStart = Date.now();
    const dir = tempDir('backlog');
    const cloud = await startCloud(join(dir, 'cloud'));
    const url = new URL(cloud.url);
    const proxy = new LinkProxy(url.hostname, Number(url.port));
    await proxy.listen();
    proxy.cut();
    const prefill = await runWorker<{ depth: number; ms: number }>('prefill', 'prefill-outbox.ts', ['--data', join(dir, 'edge'), '--events', String(EVENTS)], 110_000);
    const edge = await startEdge(SITE, join(dir, 'edge'), { cloudUrl: proxy.url, token: await demoEdgeToken(cloud.url, SITE) }, ['--reconnect-min-ms', '100', '--reconnect-max-ms', '500']);
    try {
      const before = await edgeHealth(edge);
      if (before.outboxDepth !== EVENTS) throw new Error(`edge started with ${before.outboxDepth} buffered events, expected ${EVENTS}`);
      const restored = nowMs();
      proxy.restore();
      const metrics = async (): Promise<string> => (await fetch(`${cloud.url}/metrics`)).text();
      // Bounded so the scenario ends within its 2 minutes: a slower drain is reported with how far it got.
      const budgetMs = Math.max(20_000, 115_000 - (Date.now() - scenarioStart));
      let storedNow = 0;
      while (storedNow < EVENTS && nowMs() - restored < budgetMs) {
        storedNow = metricValue(await metrics(), 'cloud_events_stored_total');
        if (storedNow < EVENTS) await sleep(100);
      }
      const drainedMs = nowMs() - restored;
      const ran = `outbox of a real edge prefilled with ${EVENTS.toLocaleString('en-US')} events (80 % access decisions, 20 % motion) through the edge's own store module (openDb + Outbox.append with its group commit, ${round(prefill.ms / 1000)} s); the edge started behind a cut link proxy, then the link was restored (edge reconnect backoff 100…500 ms, default batch size); clock stops when the cloud's stored-events counter reaches ${EVENTS.toLocaleString('en-US')}; then the cloud's SQLite file was counted read-only`;
      if (storedNow < EVENTS) {
        const rate = storedNow / (drainedMs / 1000);
        return {
          ran: `${ran}; the drain was stopped at the scenario's time budget after ${round(drainedMs / 1000)} s with ${storedNow.toLocaleString('en-US')} of ${EVENTS.toLocaleString('en-US')} stored`,
          figures: [
            atMost('time to store all after reconnect', round(EVENTS / rate), 's', 60, { note: `extrapolated: ${storedNow.toLocaleString('en-US')} stored in ${round(drainedMs / 1000)} s` }),
            info('drain rate', Math.round(rate), 'events/s'),
          ],
          details: { prefillMs: prefill.ms, drainedMs, storedNow },
        };
      }
      const text = await metrics();
      const duplicates = metricValue(text, 'cloud_events_duplicate_total');
      const stored = countStored(join(dir, 'cloud'));
      if (stored.rows !== EVENTS || stored.distinct !== EVENTS) throw new Error(`cloud holds ${stored.rows} rows (${stored.distinct} distinct ids), expected ${EVENTS} exactly once`);
      const after = await waitFor('edge outbox empty', async () => ((await edgeHealth(edge)).outboxDepth === 0 ? true : undefined), 10_000, 100);
      const rate = EVENTS / (drainedMs / 1000);
      return {
        ran,
        figures: [
          atMost('time to store all after reconnect', round(drainedMs / 1000), 's', 60),
          info('drain rate', Math.round(rate), 'events/s'),
          info('rows stored in the cloud', stored.rows, 'events', { note: `${stored.distinct} distinct ids: exactly once${after ? ', edge outbox empty' : ''}` }),
          info('re-sent events the cloud recognised', duplicates, 'events'),
        ],
        details: { prefillMs: prefill.ms, drainedMs, stored, duplicates },
      };
    } finally {
      await edge.stop();
      await proxy.close();
      await cloud.stop();
    }
  },
};
