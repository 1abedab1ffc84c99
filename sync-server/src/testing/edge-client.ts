import WebSocket from 'ws';
import { EDGE_LINK_PATH, type CloudToEdge, type EdgeToCloud, type ReportedDevice, type SiteMode } from '@cr/shared';

/** A minimal edge speaking the link protocol, for tests and the benchmark. */
export class TestEdge {
  readonly received: CloudToEdge[] = [];
  closed: { code: number; reason: string } | undefined;
  private waiters: Array<() => void> = [];

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      this.received.push(JSON.parse(data.toString()) as CloudToEdge);
      for (const w of this.waiters.splice(0)) w();
    });
    ws.on('close', (code, reason) => {
      this.closed = { code, reason: reason.toString() };
      for (const w of this.waiters.splice(0)) w();
    });
  }

  static connect(baseUrl: string, token: string, via: 'header' | 'query' = 'header'): Promise<TestEdge> {
    const url = `${baseUrl.replace(/^http/, 'ws')}${EDGE_LINK_PATH}${via === 'query' ? `?token=${encodeURIComponent(token)}` : ''}`;
    const ws = new WebSocket(url, via === 'header' ? { headers: { authorization: `Bearer ${token}` } } : {});
    const edge = new TestEdge(ws);
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(edge));
      ws.once('error', reject);
    });
  }

  send(msg: EdgeToCloud | Record<string, unknown>): void {
    this.ws.send(JSON.stringify(msg));
  }

  hello(siteId: string, permissionsVersion = 0, state: { mode?: SiteMode; fireActive?: boolean } = {}): void {
    this.send({
      type: 'hello',
      siteId,
      permissionsVersion,
      mode: state.mode ?? 'normal',
      fireActive: state.fireActive,
      outboxDepth: 0,
      version: 'test',
      ts: Date.now(),
    });
  }

  /** The site's whole device list, as a gateway reports it after its welcome and on every change. */
  devices(devices: ReportedDevice[]): void {
    this.send({ type: 'devices', devices, ts: Date.now() });
  }

  heartbeat(state: { mode?: SiteMode; fireActive?: boolean; ts?: number } = {}): void {
    this.send({ type: 'heartbeat', mode: state.mode ?? 'normal', fireActive: state.fireActive, outboxDepth: 0, ts: state.ts ?? Date.now() });
  }

  /** The whole permission update that starts at or after index `from`, its parts joined (parts are sent back to back). */
  async permissions(from = 0, timeoutMs = 5000): Promise<Extract<CloudToEdge, { type: 'permissions' }>> {
    const first = await this.next('permissions', () => true, timeoutMs, from);
    const count = first.chunk?.count ?? 1;
    const start = this.received.indexOf(first);
    const parts = [first];
    while (parts.length < count) parts.push(await this.next('permissions', (m) => m.chunk?.index === parts.length, timeoutMs, start + 1));
    return { ...first, chunk: undefined, upserts: parts.flatMap((p) => p.upserts), removals: parts.flatMap((p) => p.removals) };
  }

  /** Waits for the first received message (after index `from`) matching `pred`. */
  async next<T extends CloudToEdge['type']>(
    type: T,
    pred: (m: Extract<CloudToEdge, { type: T }>) => boolean = () => true,
    timeoutMs = 5000,
    from = 0,
  ): Promise<Extract<CloudToEdge, { type: T }>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const hit = this.received
        .slice(from)
        .find((m) => m.type === type && pred(m as Extract<CloudToEdge, { type: T }>));
      if (hit) return hit as Extract<CloudToEdge, { type: T }>;
      if (this.closed)
        throw new Error(`link closed ${this.closed.code} ${this.closed.reason} while waiting for ${type}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${type}`);
      await new Promise<void>((r) => {
        const timer = setTimeout(r, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          r();
        });
      });
    }
  }

  whenClosed(): Promise<{ code: number; reason: string }> {
    if (this.closed) return Promise.resolve(this.closed);
    return new Promise((r) => this.ws.once('close', (code, reason) => r({ code, reason: reason.toString() })));
  }

  close(): void {
    this.ws.close();
  }
}
