import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { startTcpBalancer, toBackend, type TcpBalancer } from './tcp-balancer';
import { plainGet } from './plain-get';

interface Named {
  name: string;
  server: Server;
  url: string;
  /** server-side sockets currently open */
  sockets: Set<Socket>;
}

/** An HTTP server that answers every request with its own name. */
async function named(name: string): Promise<Named> {
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    if (req.url === '/hold') return; // never answered: a long-lived connection
    res.writeHead(200, { 'content-type': 'text/plain' }).end(name);
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.once('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { name, server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, sockets };
}

async function shut(n: Named): Promise<void> {
  n.server.closeAllConnections();
  await new Promise<void>((r) => n.server.close(() => r()));
}

const get = (url: string, path = '/') => plainGet(`${url}${path}`);

describe('tcp balancer', () => {
  let backends: Named[] = [];
  let lb: TcpBalancer | undefined;

  afterEach(async () => {
    await lb?.close();
    lb = undefined;
    await Promise.all(backends.map((b) => (b.server.listening ? shut(b) : undefined)));
    backends = [];
  });

  it('reads backends given as URLs or addresses', () => {
    expect(toBackend('http://127.0.0.1:8080')).toEqual({ host: '127.0.0.1', port: 8080 });
    expect(toBackend('ws://localhost')).toEqual({ host: 'localhost', port: 80 });
    expect(toBackend({ host: '::1', port: 1 })).toEqual({ host: '::1', port: 1 });
  });

  it('spreads new connections over every backend in turn', async () => {
    backends = await Promise.all(['a', 'b', 'c'].map(named));
    lb = await startTcpBalancer(backends.map((b) => b.url));
    expect(lb.url).toBe(`http://127.0.0.1:${lb.port}`);
    const seen: string[] = [];
    for (let i = 0; i < 9; i++) {
      const res = await get(lb.url);
      expect(res.status).toBe(200);
      seen.push(res.body);
    }
    expect(seen.filter((n) => n === 'a')).toHaveLength(3);
    expect(seen.filter((n) => n === 'b')).toHaveLength(3);
    expect(seen.filter((n) => n === 'c')).toHaveLength(3);
    expect(lb.connections().map((s) => s.total)).toEqual([3, 3, 3]);
  });

  it('skips a backend that refuses: every request still succeeds', async () => {
    backends = await Promise.all(['a', 'b', 'c'].map(named));
    lb = await startTcpBalancer(backends.map((b) => b.url));
    await shut(backends[1]!);
    const seen = await Promise.all(Array.from({ length: 30 }, () => get(lb!.url)));
    expect(seen.every((r) => r.status === 200)).toBe(true);
    expect(new Set(seen.map((r) => r.body))).toEqual(new Set(['a', 'c']));
    const [a, b, c] = lb.connections();
    expect(b!.total).toBe(0);
    expect(b!.refused).toBeGreaterThan(0);
    expect(a!.total + c!.total).toBe(30);
  });

  it('drops the client when no backend answers', async () => {
    backends = [await named('a')];
    lb = await startTcpBalancer([backends[0]!.url]);
    await shut(backends[0]!);
    await expect(get(lb.url)).rejects.toThrow();
    lb.setBackends([]);
    await expect(get(lb.url)).rejects.toThrow();
  });

  it('takes a new backend list for new connections', async () => {
    backends = await Promise.all(['a', 'b'].map(named));
    lb = await startTcpBalancer([backends[0]!.url]);
    expect((await get(lb.url)).body).toBe('a');
    lb.setBackends([toBackend(backends[1]!.url)]);
    expect((await get(lb.url)).body).toBe('b');
    expect(lb.connections()).toHaveLength(1);
  });

  it('cuts a long-lived connection when its backend drops it', async () => {
    backends = [await named('a')];
    lb = await startTcpBalancer([backends[0]!.url]);
    const client = connect(lb.port, '127.0.0.1');
    const closed = new Promise<void>((r) => client.once('close', () => r()));
    client.on('error', () => undefined);
    client.write('GET /hold HTTP/1.1\r\nHost: x\r\n\r\n');
    await expect.poll(() => backends[0]!.sockets.size).toBe(1);
    expect(lb.connections()[0]!.open).toBe(1);
    const t0 = Date.now();
    for (const s of backends[0]!.sockets) s.destroy();
    await closed;
    expect(Date.now() - t0).toBeLessThan(1_000);
    await expect.poll(() => lb!.connections()[0]!.open).toBe(0);
  });

  it('closes every open connection when it closes', async () => {
    backends = [await named('a')];
    lb = await startTcpBalancer([backends[0]!.url]);
    const client = connect(lb.port, '127.0.0.1');
    client.on('error', () => undefined);
    const closed = new Promise<void>((r) => client.once('close', () => r()));
    client.write('GET /hold HTTP/1.1\r\nHost: x\r\n\r\n');
    await expect.poll(() => backends[0]!.sockets.size).toBe(1);
    await lb.close();
    lb = undefined;
    await closed;
    await expect.poll(() => backends[0]!.sockets.size).toBe(0);
  });

  it('keeps serving after clients that send random bytes and reset', async () => {
    backends = await Promise.all(['a', 'b'].map(named));
    lb = await startTcpBalancer(backends.map((b) => b.url));
    const port = lb.port;
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ maxLength: 2_048 }),
        fc.constantFrom('reset', 'end', 'destroy', 'wait') as fc.Arbitrary<'reset' | 'end' | 'destroy' | 'wait'>,
        fc.nat({ max: 5 }),
        async (bytes, how, delayMs) => {
          const s = connect(port, '127.0.0.1');
          s.on('error', () => undefined);
          s.resume(); // reads (and drops) whatever comes back, as a real client would
          // The backend may answer garbage with 400 and hang up before this client is done.
          const closed = new Promise<void>((r) => s.once('close', () => r()));
          await new Promise<void>((r) => s.once('connect', () => r()));
          if (bytes.length > 0) s.write(bytes);
          await new Promise((r) => setTimeout(r, delayMs));
          if (how === 'reset') s.resetAndDestroy();
          else if (how === 'end') s.end();
          else if (how === 'destroy') s.destroy();
          else {
            s.end();
            await closed;
          }
        },
      ),
      { seed: 20_240_611, numRuns: 120 },
    );
    const res = await get(lb.url);
    expect(res.status).toBe(200);
    expect(['a', 'b']).toContain(res.body);
    await expect.poll(() => lb!.connections().reduce((n, s) => n + s.open, 0)).toBe(0);
  });
});
