import { connect, createServer, type Socket } from 'node:net';

/** One cloud instance behind the balancer. */
export interface Backend {
  host: string;
  port: number;
}

/** Backends as addresses or as URLs (`http://127.0.0.1:8080`, `ws://…`). */
export type BackendList = ReadonlyArray<Backend> | ReadonlyArray<string>;

/** What the balancer did with one backend since it was started. */
export interface BackendStats {
  host: string;
  port: number;
  /** connections piped to it in all */
  total: number;
  /** connections piped to it now */
  open: number;
  /** connection attempts it refused or let time out */
  refused: number;
}

/**
 * A TCP load balancer in front of several cloud instances, as a deployment has one: each new
 * connection goes to the next backend in turn, skipping backends that refuse; bytes flow both ways
 * untouched (HTTP, WebSocket upgrades), and when either end closes the other is closed too, so
 * the clients of an instance that dies lose their connection and come back through the balancer.
 */
export interface TcpBalancer {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  readonly port: number;
  /** replaces the backends for new connections; open connections stay where they are */
  setBackends(list: BackendList): void;
  /** per backend of the current list, in order */
  connections(): BackendStats[];
  /** stops listening and closes every open connection */
  close(): Promise<void>;
}

export interface TcpBalancerOptions {
  /** a backend that has not accepted within this time counts as refusing (default 2000 ms) */
  connectTimeoutMs?: number;
  /** after one end closed, the other is given this long to flush before it is destroyed (default 1000 ms) */
  drainMs?: number;
}

const DEFAULT_PORTS: Record<string, number> = { 'http:': 80, 'ws:': 80, 'https:': 443, 'wss:': 443 };

/** Reads `{host, port}` or a URL into an address. */
export function toBackend(b: Backend | string): Backend {
  if (typeof b !== 'string') return { host: b.host, port: b.port };
  const u = new URL(b);
  const port = Number(u.port) || DEFAULT_PORTS[u.protocol];
  if (!port) throw new Error(`no port in backend URL ${b}`);
  return { host: u.hostname.replace(/^\[|\]$/g, ''), port };
}

/** Listens on 127.0.0.1 (a free port) and spreads connections round-robin over `backends`. */
export async function startTcpBalancer(backends: BackendList, opts: TcpBalancerOptions = {}): Promise<TcpBalancer> {
  const connectTimeoutMs = opts.connectTimeoutMs ?? 2_000;
  const drainMs = opts.drainMs ?? 1_000;
  let stats: BackendStats[] = [];
  const setBackends = (list: BackendList): void => {
    const previous = stats;
    stats = list.map((b) => {
      const { host, port } = toBackend(b);
      // A backend kept across a change keeps its counts.
      return previous.find((s) => s.host === host && s.port === port) ?? { host, port, total: 0, open: 0, refused: 0 };
    });
  };
  setBackends(backends);
  let next = 0;
  const sockets = new Set<Socket>();
  let closing = false;

  const track = (s: Socket): void => {
    sockets.add(s);
    s.once('close', () => sockets.delete(s));
  };

  /** Connects to the first backend from `start` on that accepts; undefined when none does. */
  const dial = async (
    order: BackendStats[],
    client: Socket,
  ): Promise<{ upstream: Socket; backend: BackendStats } | undefined> => {
    for (const backend of order) {
      if (client.destroyed || closing) return undefined;
      const upstream = await attempt(backend);
      if (upstream) return { upstream, backend };
      backend.refused++;
    }
    return undefined;
  };

  const attempt = (b: BackendStats): Promise<Socket | undefined> =>
    new Promise((resolve) => {
      const s = connect({ host: b.host, port: b.port });
      track(s);
      const timer = setTimeout(() => fail(), connectTimeoutMs);
      const fail = (): void => {
        clearTimeout(timer);
        s.destroy();
        resolve(undefined);
      };
      s.once('error', fail);
      s.once('connect', () => {
        clearTimeout(timer);
        s.off('error', fail);
        resolve(s);
      });
    });

  /** Pipes both ways; an error on one end destroys the other, a close ends it and destroys it after `drainMs`. */
  const join = (client: Socket, upstream: Socket, backend: BackendStats): void => {
    backend.total++;
    backend.open++;
    upstream.once('close', () => backend.open--);
    for (const [a, b] of [
      [client, upstream],
      [upstream, client],
    ] as const) {
      a.on('error', () => b.destroy());
      a.once('close', () => {
        if (b.destroyed) return;
        b.end();
        setTimeout(() => b.destroy(), drainMs).unref();
      });
      a.pipe(b);
    }
    client.resume();
  };

  const server = createServer({ pauseOnConnect: true }, (client) => {
    track(client);
    // Until the backend answers, an error or a reset only ends this client.
    client.on('error', () => client.destroy());
    if (closing || stats.length === 0) return void client.destroy();
    const start = next++ % stats.length;
    const order = [...stats.slice(start), ...stats.slice(0, start)];
    dial(order, client)
      .then((found) => {
        if (!found) return void client.destroy();
        if (client.destroyed || closing) {
          found.upstream.destroy();
          return;
        }
        join(client, found.upstream, found.backend);
      })
      .catch(() => client.destroy());
  });
  server.on('error', () => undefined);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    setBackends,
    connections: () => stats.map((s) => ({ ...s })),
    async close() {
      closing = true;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const s of sockets) s.destroy();
      sockets.clear();
      await closed;
    },
  };
}
