import { randomUUID } from 'node:crypto';
import type { SiteEvent } from '@cr/shared';
import { openDb } from '@cr/edge/src/store/db';
import { Outbox } from '@cr/edge/src/store/outbox';
import { GroupCommit } from '@cr/store-kit';
import { finish, ready, runMain, workerFlags } from '../harness/worker-io';

/**
 * Fills an edge's outbox through the edge's own store module (openDb + Outbox.append, group
 * commits of 20,000 events), as if the
 * site had badged and reported offline for hours: access decisions and device events, in order.
 */
/** Event `i` of the offline period: four access decisions, then a motion event. */
function bufferedEvent(i: number, start: number): SiteEvent {
  const zone = ['lobby', 'lounge', 'meeting', 'office'][i % 4]!;
  const ts = start + i * 10;
  if (i % 5 === 4) return { id: randomUUID(), type: 'motion', ts, deviceId: `pir-${zone}`, data: { zoneId: zone } };
  const memberId = `member-${String((i % 100) + 1).padStart(4, '0')}`;
  return { id: randomUUID(), type: 'access.granted', ts, deviceId: `reader-${zone}`, data: { reason: 'granted', memberId, doorId: `door-${zone}`, zoneId: zone, credentialType: 'card', requestId: `r-${i}` } };
}

runMain(async () => {
  const flags = workerFlags(['data', 'events']);
  const total = Number(flags.events);
  ready();
  const started = performance.now();
  const db = openDb(flags.data);
  const outbox = new Outbox(db, Math.max(total, 48 * 3600 * 100), new GroupCommit(db));
  const start = Date.now() - total * 10;
  const CHUNK = 20_000;
  for (let from = 0; from < total; from += CHUNK) {
    const appends: Array<Promise<string>> = [];
    for (let i = from; i < Math.min(total, from + CHUNK); i++) appends.push(outbox.append(bufferedEvent(i, start)));
    // Appends queued in one tick share one transaction (the edge's group commit).
    const refused = (await Promise.all(appends)).filter((r) => r !== 'stored').length;
    if (refused > 0) throw new Error(`outbox refused ${refused} events`);
  }
  const depth = outbox.depth;
  db.close();
  finish({ depth, ms: performance.now() - started });
});
