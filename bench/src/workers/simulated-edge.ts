import WebSocket from 'ws';
import { EDGE_LINK_PATH, type CloudToEdge, type SiteEvent } from '@cr/shared';
import { nowMs } from '../harness/wait';

/** As the real edge's uploader by default (edge `--batch-size`, `--upload-window`). */
const BATCH = 1000;
const WINDOW = 4;

/**
 * One site speaking the edge link protocol: events queue as they happen and are uploaded as the
 * real edge's uploader does: up to WINDOW batches of at most BATCH events ahead of their acknowledgements.
 * Keeps, for each event acknowledged, how long it waited from happening to being stored.
 */
export class SimulatedEdge {
  private queue: Array<{ event: SiteEvent; at: number }> = [];
  private readonly inFlight = new Map<string, { sentAt: number; events: Array<{ at: number }> }>();
  private batches = 0;
  stored = 0;
  /** [acknowledged at, batch sent → ack ms] */
  readonly ackLatencies: Array<[number, number]> = [];
  /** [acknowledged at, event happened → stored ms], one per event */
  readonly storedLatencies: Array<[number, number]> = [];

  private constructor(
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

  /** Events that just happened at the site (already in the real edge's outbox). */
  record(events: SiteEvent[]): void {
    const at = nowMs();
    for (const event of events) this.queue.push({ event, at });
    this.upload();
  }

  get backlog(): number {
    return this.queue.length;
  }

  /** events queued or sent and not yet acknowledged */
  get unacknowledged(): number {
    let n = this.queue.length;
    for (const f of this.inFlight.values()) n += f.events.length;
    return n;
  }

  private upload(): void {
    while (this.inFlight.size < WINDOW && this.queue.length > 0 && this.ws.readyState === WebSocket.OPEN) {
      const items = this.queue.splice(0, BATCH);
      const id = `b${++this.batches}-${items.length}`;
      this.inFlight.set(id, { sentAt: nowMs(), events: items });
      this.ws.send(JSON.stringify({ type: 'events', batchId: id, events: items.map((i) => i.event) }));
    }
  }

  private onMessage(msg: CloudToEdge): void {
    const flight = msg.type === 'events.ack' ? this.inFlight.get(msg.batchId) : undefined;
    if (!flight || msg.type !== 'events.ack') return;
    const at = nowMs();
    this.ackLatencies.push([at, at - flight.sentAt]);
    for (const e of flight.events) this.storedLatencies.push([at, at - e.at]);
    this.stored += msg.stored;
    this.inFlight.delete(msg.batchId);
    this.upload();
  }

  close(): void {
    this.ws.close();
  }
}

/** `count` access grants at a site's readers, as the ingest load has always sent. */
export function accessGrants(seq: { n: number }, count: number, now = Date.now()): SiteEvent[] {
  const out: SiteEvent[] = [];
  for (let i = 0; i < count; i++) {
    const n = seq.n++;
    const zone = ['lobby', 'lounge', 'meeting', 'office'][n % 4]!;
    out.push({ id: crypto.randomUUID(), type: 'access.granted', ts: now, deviceId: `reader-${zone}`, data: { reason: 'granted', memberId: `member-${String((n % 100) + 1).padStart(4, '0')}`, doorId: `door-${zone}`, zoneId: zone, credentialType: 'card' } });
  }
  return out;
}
