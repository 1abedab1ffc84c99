import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SiteDoc, siteDocName, type SiteEvent } from '@cr/shared';
import { runInit } from '../init-command';
import { createTestDatabase, TEST_PG_URL } from '../store/postgres/test-database';
import { serviceGate } from '../testing/services';
import { startCloudProcess, type CloudProcess } from '../testing/cloud-process';
import { startTcpBalancer, type TcpBalancer } from '../testing/tcp-balancer';
import { startRedisServer } from '../testing/redis-server';
import { TEST_NATS_URL } from '../testing/nats-server';
import { TestEdge } from '../testing/edge-client';
import { connectProvider, whenSynced } from '../testing/sync-clients';
import { BUILT_CLOUD, BUILT_EDGE, buildServices } from '../testing/built-services';
import { edgeHealth, startEdgeProcess } from '../testing/edge-process';
import mqtt from 'mqtt';
import { deviceTopic } from '@cr/shared';

/**
 * CONTRACT §10 on real processes: three cloud instances on one PostgreSQL database, a private
 * Redis (restarted mid-test) and the local NATS JetStream, behind a TCP balancer. Instances are
 * killed with -9 during an edge's upload and during console edits, and restarted one by one. The
 * instances (and the real edge) run from built JavaScript, as production runs them.
 */
const gates = [serviceGate('PostgreSQL', TEST_PG_URL), serviceGate('NATS', TEST_NATS_URL)];
const ADMIN = 'ops@cluster.test';
const PASSWORD = 'cluster-admin-password-1';
const SITE = 'seongsu';
const HQ = 'hq@cluster.test';

async function post(url: string, body: unknown, bearer?: string): Promise<Record<string, unknown>> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(bearer ? { authorization: `Bearer ${bearer}` } : {}) },
    body: JSON.stringify(body),
  });
  return (await res.json()) as Record<string, unknown>;
}

describe.runIf(gates.every((g) => g.available()))('three cloud instances behind a balancer (CONTRACT §10)', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let redis: Awaited<ReturnType<typeof startRedisServer>>;
  let data: string;
  let clouds: CloudProcess[] = [];
  let lb: TcpBalancer;
  let token: string;
  let edgeToken: string;
  let hq: string;
  let cluster: string;

  const api = async (base: string, method: string, path: string, body?: unknown, as = token) => {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: { authorization: `Bearer ${as}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    return { status: res.status, body: (await res.json().catch(() => undefined)) as Record<string, unknown> };
  };

  beforeAll(async () => {
    buildServices();
    db = await createTestDatabase('cr_cluster');
    redis = await startRedisServer();
    data = mkdtempSync(join(tmpdir(), 'cluster-'));
    cluster = `t${randomBytes(4).toString('hex')}`;
    const io = { out: () => undefined, err: (l: string) => console.error(l) };
    const code = await runInit(
      ['--data', data, '--store', db.url, '--tenant', 'acme', '--tenant-name', 'Acme', '--admin', ADMIN],
      { CR_ADMIN_PASSWORD: PASSWORD },
      io,
    );
    expect(code).toBe(0);
    const flags = ['--store', db.url, '--bus', redis.url, '--stream', TEST_NATS_URL, '--cluster', cluster, '--link-timeout-ms', '3000'];
    clouds = await Promise.all(['a', 'b', 'c'].map((n) => startCloudProcess({ dataDir: data, flags, name: `cloud ${n}`, entry: BUILT_CLOUD })));
    lb = await startTcpBalancer(clouds.map((c) => c.url));
    const login = await fetch(`${lb.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: ADMIN, password: PASSWORD }),
    });
    token = ((await login.json()) as { accessToken: string }).accessToken;
    expect((await api(lb.url, 'POST', '/api/v1/sites', { id: SITE, name: 'Seongsu', lat: 37.54, lng: 127.05, timezone: 'Asia/Seoul' })).status).toBe(201);
    expect((await api(lb.url, 'PUT', `/api/v1/sites/${SITE}/zones/lobby`, { name: 'Lobby' })).status).toBe(200);
    edgeToken = (await api(lb.url, 'POST', `/api/v1/sites/${SITE}/edge-tokens`)).body.token as string;
    // The HQ operator edits consoles and commands doors; an account an admin made sets its own password first.
    const made = await api(lb.url, 'POST', '/api/v1/users', { email: HQ, name: 'HQ shift', role: 'hq-operator', password: PASSWORD });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    const first = await post(`${lb.url}/api/v1/auth/login`, { email: HQ, password: PASSWORD });
    const own = await post(`${lb.url}/api/v1/auth/password`, { currentPassword: PASSWORD, newPassword: `${PASSWORD}-own` }, first.accessToken as string);
    hq = own.accessToken as string;
    expect(hq).toBeTruthy();
  }, 120_000);

  afterAll(async () => {
    await lb?.close();
    await Promise.all(clouds.map((c) => c.kill9().catch(() => undefined)));
    await redis?.stop();
    await db?.drop();
    rmSync(data, { recursive: true, force: true });
  }, 60_000);

  /** The instance whose claim on the site's edge link is in Redis. */
  const linkHolder = async (): Promise<CloudProcess> => {
    const r = new Redis(redis.url);
    try {
      const owner = await r.get(`${cluster}:link:acme/${SITE}`);
      for (const c of clouds) if ((await fetch(`${c.url}/health`)).headers.get('x-instance') === owner) return c;
      throw new Error(`no instance holds the link (claim: ${owner})`);
    } finally {
      r.disconnect();
    }
  };

  /** Every stored event of `type` at the site, through the balancer, page by page. */
  const storedIds = async (type: string): Promise<string[]> => {
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await api(lb.url, 'GET', `/api/v1/sites/${SITE}/events?type=${type}&limit=500${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...(page.body.items as Array<{ id: string }>).map((e) => e.id));
      cursor = page.body.nextCursor as string | undefined;
    } while (cursor);
    return seen;
  };

  const connectEdge = async (): Promise<TestEdge> => {
    const edge = await TestEdge.connect(lb.url, edgeToken);
    edge.hello(SITE);
    await edge.next('welcome', () => true, 10_000);
    return edge;
  };

  it('stores every event of an edge exactly once although the instance it uploads to is killed -9', async () => {
    const batches = Array.from({ length: 30 }, (_, b) => ({
      batchId: `b${b}`,
      events: Array.from({ length: 20 }, (): SiteEvent => ({ id: randomUUID(), type: 'door.opened', ts: Date.now(), deviceId: 'door-lobby' })),
    }));
    let edge = await connectEdge();
    let acked = 0;
    let killed = false;
    let holder: CloudProcess | undefined;
    // The edge's outbox: a batch is re-sent (on a new link) until it is acknowledged.
    while (acked < batches.length) {
      const batch = batches[acked]!;
      edge.send({ type: 'events', ...batch });
      try {
        await edge.next('events.ack', (m) => m.batchId === batch.batchId, 5_000);
        acked++;
      } catch {
        edge.close();
        edge = await connectEdge();
        continue;
      }
      if (acked === 10 && !killed) {
        killed = true;
        // Kill the instance that holds the link, right after it acknowledged, mid-stream; the
        // edge comes back through the balancer to another one.
        holder = await linkHolder();
        await holder.kill9();
        // Re-send the last acknowledged batch too, as an edge that lost the ack would.
        acked--;
      }
    }
    edge.close();
    expect(holder).toBeDefined();
    await holder!.restart();
    const ids = new Set(batches.flatMap((b) => b.events.map((e) => e.id)));
    const stored = await eventuallyAll(async () => {
      const seen = await storedIds('door.opened');
      return seen.length >= ids.size ? seen : undefined;
    }, 30_000);
    expect(stored).toHaveLength(ids.size);
    expect(new Set(stored)).toEqual(ids);
  }, 180_000);

  it('brings a console edit made on one instance to consoles on the others within a second, across a kill -9 and a Redis restart', async () => {
    const name = siteDocName('acme', SITE);
    const [a, b, c] = clouds as [CloudProcess, CloudProcess, CloudProcess];
    const pa = connectProvider(a.url, name, hq);
    const pb = connectProvider(b.url, name, hq);
    const pc = connectProvider(c.url, name, hq);
    await Promise.all([whenSynced(pa), whenSynced(pb), whenSynced(pc)]);
    const shows = (p: typeof pa, zoneName: string) => new SiteDoc(p.doc).zones().some((z) => z.name === zoneName);
    // A tenant admin renames the zone through one instance; consoles on the others show it.
    const rename = async (via: CloudProcess, to: Array<typeof pa>, zoneName: string, withinMs: number) => {
      const started = Date.now();
      expect((await api(via.url, 'PUT', `/api/v1/sites/${SITE}/zones/lobby`, { name: zoneName })).status).toBe(200);
      await eventuallyAll(() => to.every((p) => shows(p, zoneName)) || undefined, withinMs);
      return Date.now() - started;
    };
    expect(await rename(a, [pb, pc], 'Lobby 1', 1_000)).toBeLessThan(1_000);
    // Redis restarts empty: the instances catch up from the store, and fan-out works again.
    await redis.kill9();
    expect((await api(b.url, 'PUT', `/api/v1/sites/${SITE}/zones/lobby`, { name: 'Lobby 2' })).status).toBe(200);
    await redis.restart();
    await eventuallyAll(() => [pa, pc].every((p) => shows(p, 'Lobby 2')) || undefined, 10_000);
    expect(await rename(c, [pa, pb], 'Lobby 3', 1_000)).toBeLessThan(1_000);
    // An instance killed during edits: the others keep converging, and it serves the same state after its restart.
    await b.kill9();
    expect(await rename(a, [pc], 'Lobby 4', 1_000)).toBeLessThan(1_000);
    await b.restart();
    const pb2 = connectProvider(b.url, name, hq);
    await whenSynced(pb2);
    expect(shows(pb2, 'Lobby 4')).toBe(true);
    for (const p of [pa, pb, pc, pb2]) p.destroy();
  }, 120_000);

  it('delivers a door command through any instance to the edge wherever its link ends, also after Redis restarted', async () => {
    const edge = await connectEdge();
    edge.devices([{ id: 'door-lobby', kind: 'door', name: 'Lobby door', zoneId: 'lobby', online: true, approval: 'approved' }]);
    // The gateway writes its devices into the site document, as a real edge does over its sync link.
    const gateway = connectProvider(lb.url, siteDocName('acme', SITE), edgeToken);
    await whenSynced(gateway);
    new SiteDoc(gateway.doc).upsertDevice({ id: 'door-lobby', kind: 'door', name: 'Lobby door', zoneId: 'lobby' });
    await new Promise((r) => setTimeout(r, 1_000));
    gateway.destroy();
    const issue = async (via: CloudProcess) => {
      const r = await api(via.url, 'POST', `/api/v1/sites/${SITE}/doors/door-lobby/commands`, { action: 'unlock', reason: 'visitor at the door' }, hq);
      expect(r.status, JSON.stringify(r.body)).toBe(202);
      const got = await edge.next('command', (m) => m.command.id === r.body.id, 5_000);
      expect(got.command.id).toBe(r.body.id);
    };
    for (const c of clouds) await issue(c);
    await redis.kill9();
    await redis.restart();
    // Links are claimed again once the bus is back.
    await new Promise((r) => setTimeout(r, 2_000));
    for (const c of clouds) await issue(c);
    edge.close();
  }, 60_000);

  it('loses nothing in a rolling restart of every instance: a real edge keeps uploading, a console keeps its document and only reconnects', async () => {
    const edgeData = mkdtempSync(join(tmpdir(), 'cluster-edge-'));
    const edge = await startEdgeProcess({ siteId: SITE, cloudUrl: lb.url, token: edgeToken, dataDir: edgeData, entry: BUILT_EDGE, flags: ['--reconnect-min-ms', '100', '--reconnect-max-ms', '1000'] });
    const device = await mqtt.connectAsync(edge.mqttUrl, { clientId: `pir-${randomUUID()}`, reconnectPeriod: 0 });
    const console_ = connectProvider(lb.url, siteDocName('acme', SITE), hq);
    const statuses: string[] = [];
    console_.on('status', (e: { status: string }) => statuses.push(e.status));
    try {
      await whenSynced(console_);
      await eventuallyAll(async () => ((await edgeHealth(edge)).cloud === 'connected' ? true : undefined), 15_000);
      const published: string[] = [];
      let rolling = true;
      // A motion sensor reports 50 times a second for as long as the restart takes.
      const pump = (async () => {
        while (rolling) {
          const id = randomUUID();
          await device.publishAsync(deviceTopic(SITE, 'pir-lobby', 'events'), JSON.stringify({ id, type: 'motion', ts: Date.now() }), { qos: 1 });
          published.push(id);
          await new Promise((r) => setTimeout(r, 20));
        }
      })();
      // An admin keeps renaming the zone through the balancer; a request cut by a stopping instance is sent again.
      let renames = 0;
      const editor = (async () => {
        while (rolling) {
          const r = await api(lb.url, 'PUT', `/api/v1/sites/${SITE}/zones/lobby`, { name: `Rolling ${renames + 1}` }).catch(() => ({ status: 0 }));
          if (r.status === 200) renames++;
          await new Promise((r) => setTimeout(r, 200));
        }
      })();
      for (const c of clouds) {
        await c.stop();
        await c.restart();
        await new Promise((r) => setTimeout(r, 1_500));
      }
      rolling = false;
      await Promise.all([pump, editor]);
      expect(renames).toBeGreaterThan(10);
      const last = `Rolling ${renames}`;
      // The console that stayed open shows the last name; so does a fresh console on every instance.
      await eventuallyAll(() => new SiteDoc(console_.doc).zones().some((z) => z.name === last) || undefined, 10_000);
      for (const c of clouds) {
        const fresh = connectProvider(c.url, siteDocName('acme', SITE), hq);
        await whenSynced(fresh);
        expect(new SiteDoc(fresh.doc).zones().find((z) => z.id === 'lobby')?.name).toBe(last);
        fresh.destroy();
      }
      expect(console_.wsconnected).toBe(true);
      // Every event the sensor's gateway accepted is stored exactly once.
      const stored = await eventuallyAll(async () => {
        const ids = await storedIds('motion');
        return published.every((id) => ids.includes(id)) ? ids : undefined;
      }, 30_000);
      const mine = stored.filter((id) => published.includes(id));
      expect(mine).toHaveLength(published.length);
      expect(new Set(mine).size).toBe(published.length);
      expect(published.length).toBeGreaterThan(200);
      expect((await edgeHealth(edge)).outboxDepth).toBe(0);
    } finally {
      console_.destroy();
      await device.endAsync(true);
      await edge.service.stop();
      rmSync(edgeData, { recursive: true, force: true });
    }
  }, 180_000);
});

async function eventuallyAll<T>(check: () => T | undefined | Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
