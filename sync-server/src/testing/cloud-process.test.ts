import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadOrCreateSecret } from '../domain/secrets';
import { loadOrCreateSigningKeys } from '../domain/signing-keys';
import { createTestDatabase, TEST_PG_URL } from '../store/postgres/test-database';
import { startCloudProcess, type CloudProcess } from './cloud-process';
import { plainGet } from './plain-get';
import { serviceGate } from './services';
import { startTcpBalancer, type TcpBalancer } from './tcp-balancer';

const pgGate = serviceGate('PostgreSQL', TEST_PG_URL);

/** The files under `--data` that every instance sharing one store must hold alike. */
const SHARED_SECRET_FILES = ['signing-key.json', 'master-key.secret', 'audit-chain.secret', 'event-hash.secret'];

/** How many access lines of `GET /health` a process logged. */
const healthHits = (p: CloudProcess): number => p.lines.filter((l) => l.includes('"path":"/health"')).length;

const answers = async (url: string): Promise<boolean> =>
  plainGet(`${url}/health`, 2_000).then(
    (r) => r.status === 200,
    () => false,
  );

describe('cloud process', () => {
  const dirs: string[] = [];
  const procs: CloudProcess[] = [];
  const tmp = (prefix: string): string => {
    const d = mkdtempSync(join(tmpdir(), prefix));
    dirs.push(d);
    return d;
  };

  afterEach(async () => {
    await Promise.all(procs.splice(0).map((p) => p.kill9()));
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('serves a real (demo-less) SQLite cloud on a free port, and comes back on it after kill -9', async () => {
    const cloud = await startCloudProcess({ dataDir: tmp('cloud-proc-'), name: 'cloud sqlite' });
    procs.push(cloud);
    expect(cloud.port).toBeGreaterThan(0);
    expect(cloud.url).toBe(`http://127.0.0.1:${cloud.port}`);
    expect(cloud.lines).toContain(`cloud listening on ${cloud.url}`);
    const health = await plainGet(`${cloud.url}/health`);
    expect(health).toEqual({ status: 200, body: JSON.stringify({ status: 'ok' }) });

    await cloud.kill9();
    expect(cloud.service.child.signalCode).toBe('SIGKILL');
    expect(await answers(cloud.url)).toBe(false);

    const port = cloud.port;
    await cloud.restart();
    expect(cloud.port).toBe(port);
    expect((await plainGet(`${cloud.url}/health`)).status).toBe(200);
    expect(cloud.lines.filter((l) => l.startsWith('cloud listening on '))).toHaveLength(2);

    await cloud.stop();
    expect(await cloud.service.exited).toBe(0);
  }, 60_000);

  it('says why when the cloud does not start', async () => {
    await expect(
      startCloudProcess({ dataDir: tmp('cloud-proc-'), flags: ['--no-such-flag'], name: 'cloud bad' }),
    ).rejects.toThrow(/cloud bad exited \(2\) before it was ready[\s\S]*no-such-flag/);
  }, 30_000);
});

describe.skipIf(!pgGate.available())('two cloud processes on one PostgreSQL store behind a balancer', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let seed: string;
  const dataDirs: string[] = [];
  let clouds: CloudProcess[] = [];
  let lb: TcpBalancer;

  beforeAll(async () => {
    db = await createTestDatabase('cr_cluster');
    // The secrets are made once and copied to each instance's own data directory, as a deployment
    // provisions them: started at the same moment on an empty shared directory, each instance
    // would write its own signing key.
    seed = mkdtempSync(join(tmpdir(), 'cloud-secrets-'));
    await loadOrCreateSigningKeys(seed);
    for (const name of ['master-key', 'audit-chain', 'event-hash']) loadOrCreateSecret(seed, name);
    for (let i = 0; i < 2; i++) {
      const dir = mkdtempSync(join(tmpdir(), `cloud-node${i}-`));
      for (const f of SHARED_SECRET_FILES) cpSync(join(seed, f), join(dir, f));
      dataDirs.push(dir);
    }
    // Both at the same moment, on a database no instance migrated yet.
    clouds = await Promise.all(
      dataDirs.map((dir, i) =>
        startCloudProcess({ dataDir: dir, flags: ['--store', db.url], name: `cloud ${'ab'[i]}` }),
      ),
    );
    lb = await startTcpBalancer(clouds.map((c) => c.url));
  }, 90_000);

  afterAll(async () => {
    await lb?.close();
    await Promise.all(clouds.map((c) => c.kill9()));
    await db?.drop();
    for (const d of [seed, ...dataDirs]) if (d) rmSync(d, { recursive: true, force: true });
  });

  it('both start, keep the provisioned secrets and answer through the balancer', async () => {
    for (const dir of dataDirs)
      for (const f of SHARED_SECRET_FILES)
        expect(readFileSync(join(dir, f), 'utf8'), `${dir}/${f}`).toBe(readFileSync(join(seed, f), 'utf8'));
    const results = await Promise.all(Array.from({ length: 40 }, () => plainGet(`${lb.url}/health`)));
    expect(results.every((r) => r.status === 200)).toBe(true);
    expect(lb.connections().map((s) => s.total)).toEqual([20, 20]);
    await expect.poll(() => clouds.map(healthHits)).toEqual([20, 20]);
  });

  it('keeps answering through the balancer while one instance is dead, and uses it again once back', async () => {
    const [a, b] = clouds as [CloudProcess, CloudProcess];
    const before = [healthHits(a), healthHits(b)];
    await a.kill9();
    const during = await Promise.all(Array.from({ length: 20 }, () => plainGet(`${lb.url}/health`)));
    expect(during.every((r) => r.status === 200)).toBe(true);
    await expect.poll(() => healthHits(b) - before[1]!).toBe(20);
    expect(healthHits(a)).toBe(before[0]);

    await a.restart();
    for (let i = 0; i < 10; i++) expect((await plainGet(`${lb.url}/health`)).status).toBe(200);
    await expect.poll(() => healthHits(a) - before[0]!).toBe(5);
  }, 60_000);
});
