/**
 * The edge's own share of a backlog drain (not a test): an outbox of N buffered events uploaded
 * through the Uploader over a real loopback WebSocket to a peer that acknowledges each batch at once
 * without storing it. Shows how fast the edge can read, send and delete when the cloud is not the
 * limit, for each upload window. Run: npx tsx edge/bench/drain-bench.ts [--events N]
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import WebSocket, { WebSocketServer } from 'ws';
import { openDb } from '../src/store/db';
import { GroupCommit } from '@cr/store-kit';
import { Outbox } from '../src/store/outbox';
import { Uploader } from '../src/uplink/uploader';

const { values } = parseArgs({ options: { events: { type: 'string', default: '200000' } } });
const EVENTS = Number(values.events);

async function prefilled(): Promise<{ outbox: Outbox; commits: GroupCommit; close: () => void }> {
  const db = openDb(mkdtempSync(join(tmpdir(), 'edge-bench-drain-')));
  const commits = new GroupCommit(db);
  const outbox = new Outbox(db, EVENTS * 2, commits);
  for (let from = 0; from < EVENTS; from += 20_000) {
    const chunk = Array.from({ length: Math.min(20_000, EVENTS - from) }, (_, i) => {
      const n = from + i;
      return outbox.append({ id: randomUUID(), type: 'access.granted', ts: Date.now(), deviceId: 'reader-lobby', data: { reason: 'granted', memberId: `member-${n % 100}`, doorId: 'door-lobby', zoneId: 'lobby', credentialType: 'card', requestId: `r-${n}` } });
    });
    await Promise.all(chunk);
  }
  return { outbox, commits, close: () => db.close() };
}

/** A peer that answers every `events` message with its ack, reading only the batch id. */
async function acker(): Promise<{ url: string; close: () => void }> {
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1', maxPayload: 2 * 1024 * 1024 });
  wss.on('connection', (ws) =>
    ws.on('message', (data: Buffer) => {
      const batchId = /"batchId":"([^"]+)"/.exec(data.toString('utf8', 0, 120))?.[1];
      if (batchId) ws.send(JSON.stringify({ type: 'events.ack', batchId, stored: 0, duplicates: 0 }));
    }),
  );
  await new Promise((r) => wss.once('listening', r));
  return { url: `ws://127.0.0.1:${(wss.address() as { port: number }).port}`, close: () => wss.close() };
}

async function drain(window: number, batchSize: number) {
  const { outbox, commits, close } = await prefilled();
  const peer = await acker();
  const ws = new WebSocket(peer.url);
  await new Promise((r) => ws.once('open', r));
  let uploaded = 0;
  let finished!: () => void;
  const done = new Promise<void>((r) => (finished = r));
  const uploader = new Uploader(outbox, { batchSize, window, ackTimeoutMs: 60_000 }, (n) => {
    uploaded += n;
    if (uploaded >= EVENTS) finished();
  });
  ws.on('message', (data: Buffer) => uploader.onAck((JSON.parse(data.toString()) as { batchId: string }).batchId));
  const t0 = performance.now();
  uploader.attach((text) => (ws.send(text), true));
  await done;
  const seconds = (performance.now() - t0) / 1000;
  commits.flush();
  ws.close();
  peer.close();
  close();
  return { window, batchSize, events: EVENTS, seconds: Math.round(seconds * 100) / 100, eventsPerSec: Math.round(EVENTS / seconds), commits: commits.commits };
}

async function main(): Promise<void> {
  const results = [await drain(1, 500), await drain(1, 1000), await drain(4, 1000)];
  process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
  process.exit(0);
}

void main();
