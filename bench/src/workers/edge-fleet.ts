import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import WebSocket from 'ws';

import { EDGE_LINK_PATH, SiteDoc, siteDocName, tenantDocName, type CloudToEdge, type SiteEvent } from '@cr/shared';
import { connectProvider, whenSynced } from '../harness/providers';
import { finish, ready, runMain, workerFlags } from '../harness/worker-io';
import { nowMs, sleep } from '../harness/wait';
import { summarize } from '../stats';

/** Largest batch a simulated edge sends, as the real edge's default `--batch-size`. */
const BATCH = 500;

/**
 * One simulated site speaking the edge link protocol: events accrue at `rate`/s and are uploaded
 * as the real edge's uploader does, one batch in flight, the next when the previous is acknowledged.
 */
class SimulatedEdge {
  private queue: SiteEvent[] = [];
  private inFlight?: { id: string; sentAt: number; size: number };
  private seq = 0;
  stored = 0;
  readonly ackLatencies: Array<[number, number]> = [];

  constructor(
    readonly siteId: string,
    private readonly ws: WebSocket,
  ) {
    ws.on('message', (data) => this.onMessage(JSON.parse(data.toString()) as CloudToEdge));
  }

  static async connect(cloudUrl: string, siteId: string, token: string): Promise<SimulatedEdge> {
    const ws = new WebSocket(`${cloudUrl.replace(/^http/, 'ws')}${EDGE_LINK_PATH}`, { headers: { authorization: `Bearer ${token}` } });
    const edge = new SimulatedEdge(siteId, ws);
    await new Promise<void>((resolve, reject) => {
      ws.once('error', reject);
      ws.once('close', (code, reason) => reject(new Error(`link of ${siteId} closed ${code} ${reason.toString()}`)));
      ws.on('message', (data) => (JSON.parse(data.toString()) as CloudToEdge).type === 'welcome' && resolve());
      ws.once('open', () => ws.send(JSON.stringify({ type: 'hello', siteId, permissionsVersion: 0, mode: 'normal', outboxDepth: 0, version: 'bench', ts: Date.now() })));
    });
    return edge;
  }

  generate(count: number): void {
    const now = Date.now();
    for (let i = 0; i < count; i++) {
      const n = this.seq++;
      const zone = ['lobby', 'lounge', 'meeting', 'office'][n % 4]!;
      this.queue.push({ id: randomUUID(), type: 'access.granted', ts: now, deviceId: `reader-${zone}`, data: { reason: 'granted', memberId: `member-${String((n % 100) + 1).padStart(4, '0')}`, doorId: `door-${zone}`, zoneId: zone, credentialType: 'card' } });
    }
    this.upload();
  }

  get backlog(): number {
    return this.queue.length;
  }

  private upload(): void {
    if (this.inFlight || this.queue.length === 0 || this.ws.readyState !== WebSocket.OPEN) return;
    const events = this.queue.splice(0, BATCH);
    this.inFlight = { id: `b${this.seq}-${events.length}`, sentAt: nowMs(), size: events.length };
    this.ws.send(JSON.stringify({ type: 'events', batchId: this.inFlight.id, events }));
  }

  private onMessage(msg: CloudToEdge): void {
    if (msg.type !== 'events.ack' || msg.batchId !== this.inFlight?.id) return;
    const at = nowMs();
    this.ackLatencies.push([at, at - this.inFlight.sentAt]);
    this.stored += msg.stored;
    this.inFlight = undefined;
    this.upload();
  }

  close(): void {
    this.ws.close();
  }
}

/** The site documents the edges keep in sync, and consoles watching the tenant's overview. */
async function openDocs(url: string, tokens: Record<string, string>, consoles: number, consoleToken: string) {
  const sites = await Promise.all(Object.entries(tokens).map(async ([siteId, token]) => ({ siteId, provider: connectProvider(url, siteDocName('demo', siteId), token) })));
  const watchers = Array.from({ length: consoles }, () => connectProvider(url, tenantDocName('demo'), consoleToken));
  await Promise.all([...sites.map((s) => whenSynced(s.provider)), ...watchers.map(whenSynced)]);
  return { sites, watchers };
}

runMain(async () => {
  const f = workerFlags(['url', 'tokens', 'rate', 'seconds', 'warmup', 'idle', 'consoles', 'console-token', 'docs']);
  const tokens = JSON.parse(readFileSync(f.tokens, 'utf8')) as Record<string, string>;
  const rate = Number(f.rate);
  const docs = f.docs === '1' ? await openDocs(f.url, tokens, Number(f.consoles), f['console-token']) : undefined;
  const edges = await Promise.all(Object.entries(tokens).map(([siteId, token]) => SimulatedEdge.connect(f.url, siteId, token)));
  ready(`${edges.length} edges linked${docs ? `, ${docs.sites.length} site docs and ${docs.watchers.length} consoles synced` : ''}`);
  await sleep(Number(f.idle) * 1000);
  console.log('PHASE load');
  const warmupEnd = nowMs() + Number(f.warmup) * 1000;
  const end = warmupEnd + Number(f.seconds) * 1000;
  let storedAtWarmup = 0;
  let tick = 0;
  const started = nowMs();
  while (nowMs() < end) {
    // Events accrue every 100 ms per site; the first tick after warm-up marks the measured window.
    for (const e of edges) e.generate(rate / 10);
    if (docs && tick % 10 === 0) for (const [i, s] of docs.sites.entries()) new SiteDoc(s.provider.doc).setOccupancy('lobby', (tick / 10 + i) % 9, Date.now());
    if (storedAtWarmup === 0 && nowMs() >= warmupEnd) storedAtWarmup = edges.reduce((s, e) => s + e.stored, 0) || 1;
    tick++;
    await sleep(Math.max(0, started + tick * 100 - nowMs()));
  }
  const stored = edges.reduce((s, e) => s + e.stored, 0);
  const window = Number(f.seconds);
  const latencies = edges.flatMap((e) => e.ackLatencies.filter(([at]) => at >= warmupEnd).map(([, ms]) => ms));
  console.log('PHASE done');
  const result = {
    sites: edges.length,
    offeredPerSec: rate * edges.length,
    storedPerSec: (stored - storedAtWarmup) / window,
    ackLatency: summarize(latencies),
    backlogAtEnd: edges.reduce((s, e) => s + e.backlog, 0),
    storedTotal: stored,
  };
  for (const e of edges) e.close();
  for (const d of docs?.sites ?? []) d.provider.destroy();
  for (const w of docs?.watchers ?? []) w.destroy();
  finish(result);
});
export type FleetResult = { sites: number; offeredPerSec: number; storedPerSec: number; ackLatency: ReturnType<typeof summarize>; backlogAtEnd: number; storedTotal: number };
