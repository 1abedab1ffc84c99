import WebSocket from 'ws';
import { cloudToEdgeSchema, EDGE_LINK_PATH, MAX_WS_MESSAGE_BYTES, type CloudToEdge, type EdgeToCloud } from '@cr/shared';
import { Backoff } from './backoff';
import type { Logger, BurstLog } from '../log';

export interface LinkHandlers {
  hello(): EdgeToCloud;
  heartbeat(): EdgeToCloud;
  /** a validated message from the cloud */
  onMessage(msg: CloudToEdge, link: EdgeLink): void;
  /** the link closed (or failed to open) */
  onDown(): void;
  onMalformed(detail: string): void;
}

export interface LinkOptions {
  cloudUrl: string;
  /** the edge token for the next connection (the cloud renews it over the link) */
  token: () => string;
  heartbeatMs: number;
  reconnectMinMs: number;
  reconnectMaxMs: number;
}

/** `http(s)://host` → `ws(s)://host` */
export function wsBase(httpUrl: string): string {
  return httpUrl.replace(/^http/, 'ws').replace(/\/+$/, '');
}

/**
 * The edge's control link to the cloud (shared/src/protocol/edge-link.ts): connects with the edge
 * token, says hello, sends heartbeats, validates every message, and reconnects with backoff and
 * jitter for as long as it is enabled.
 */
export class EdgeLink {
  private ws?: WebSocket;
  private enabled = true;
  private reconnectTimer?: NodeJS.Timeout;
  private heartbeatTimer?: NodeJS.Timeout;
  private readonly backoff: Backoff;
  /** true between an accepted `welcome` and close */
  welcomed = false;
  /** counts connection attempts, so work finishing after its connection closed can tell */
  connection = 0;

  constructor(
    private readonly opts: LinkOptions,
    private readonly handlers: LinkHandlers,
    private readonly log: Logger,
    private readonly burst: BurstLog,
  ) {
    this.backoff = new Backoff(opts.reconnectMinMs, opts.reconnectMaxMs);
  }

  start(): void {
    this.enabled = true;
    this.connect();
  }

  get connected(): boolean {
    return this.welcomed && this.ws?.readyState === WebSocket.OPEN;
  }

  send(msg: EdgeToCloud): boolean {
    return this.sendText(JSON.stringify(msg));
  }

  /** Sends an already serialised message (event batches are assembled from their stored JSON). */
  sendText(text: string): boolean {
    if (this.ws?.readyState !== WebSocket.OPEN) return false;
    this.ws.send(text);
    return true;
  }

  /** Marks the link usable (after an accepted `welcome` on connection `connection`) and resets the backoff. */
  markWelcomed(connection: number): boolean {
    if (connection !== this.connection || this.ws?.readyState !== WebSocket.OPEN) return false;
    this.welcomed = true;
    this.backoff.reset();
    return true;
  }

  private connect(): void {
    if (!this.enabled) return;
    const url = `${wsBase(this.opts.cloudUrl)}${EDGE_LINK_PATH}`;
    const ws = new WebSocket(url, { headers: { authorization: `Bearer ${this.opts.token()}` }, maxPayload: MAX_WS_MESSAGE_BYTES, handshakeTimeout: 10_000 });
    this.ws = ws;
    this.connection++;
    ws.on('open', () => {
      this.send(this.handlers.hello());
      this.heartbeatTimer = setInterval(() => this.send(this.handlers.heartbeat()), this.opts.heartbeatMs);
    });
    ws.on('message', (data) => this.receive(data.toString()));
    ws.on('error', (err) => this.burst.warn('cloud link', `error: ${err.message}`));
    ws.on('unexpected-response', (_req, res) => this.burst.warn('cloud link', `refused with HTTP ${res.statusCode}`));
    ws.on('close', (code) => this.closed(ws, code));
  }

  private receive(text: string): void {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      return this.handlers.onMalformed('cloud message is not JSON');
    }
    const msg = cloudToEdgeSchema.safeParse(json);
    if (!msg.success) return this.handlers.onMalformed(`cloud message: ${msg.error.issues[0]?.message ?? 'invalid'}`);
    try {
      this.handlers.onMessage(msg.data, this);
    } catch (err) {
      this.log.error(`handling cloud ${msg.data.type}: ${(err as Error).message}`);
    }
  }

  private closed(ws: WebSocket, code: number): void {
    if (this.ws !== ws) return;
    const wasUp = this.welcomed;
    this.welcomed = false;
    this.ws = undefined;
    if (this.heartbeatTimer) clearInterval(this.heartbeatTimer);
    if (wasUp) this.log.warn(`cloud link closed (${code})`, { code });
    if (code === 4401 || code === 4403) this.burst.warn('cloud link', `cloud refused the edge token (${code})`);
    this.handlers.onDown();
    if (!this.enabled) return;
    const delay = this.backoff.next();
    this.reconnectTimer = setTimeout(() => this.connect(), delay);
  }

  /** Drops the connection and reconnects after backoff (e.g. after a permission version gap). */
  reconnect(): void {
    this.ws?.close(1000, 'resync');
  }

  /** Cuts the link and keeps it down until `start()` (shutdown, or a test cutting the link). */
  stop(): void {
    this.enabled = false;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    const ws = this.ws;
    if (ws) {
      ws.terminate();
      this.closed(ws, 1000);
    }
  }
}
