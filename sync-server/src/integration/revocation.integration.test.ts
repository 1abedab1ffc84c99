import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startTestCloud, type TestCloud } from '../testing/test-cloud';
import { edgeHealth, startEdgeProcess, type EdgeProcess } from '../testing/edge-process';

/**
 * A real edge process against a real cloud: a LAN token works at the site's edge while the person is
 * in good standing, and stops within 5 s of an admin disabling them — also after the edge restarts
 * with no cloud to ask.
 */
const SITE = 'gangnam';
let t: TestCloud;
let cloudUrl: string;
let edgeDir: string;
let edge: EdgeProcess | undefined;
let cloudClosed = false;

const failWithLogs = (err: unknown): never => {
  throw new Error(`${(err as Error).message}\n--- edge output ---\n${edge?.lines.slice(-40).join('\n') ?? ''}`);
};

async function bootEdge(cloud: string, token: string): Promise<void> {
  edge = await startEdgeProcess({
    siteId: SITE,
    cloudUrl: cloud,
    token,
    dataDir: edgeDir,
    flags: ['--reconnect-min-ms', '100', '--reconnect-max-ms', '500'],
  });
}

async function lanToken(email: string): Promise<string> {
  const res = await t.api('POST', '/api/v1/auth/lan-token', { token: await t.token(email) });
  expect(res.status).toBe(200);
  return ((await res.json()) as { token: string }).token;
}

/** The edge's LAN API: the site view (mode, devices, doors). */
const siteAtEdge = (token: string) =>
  fetch(`${edge!.httpUrl}/api/v1/site`, { headers: { authorization: `Bearer ${token}` } });

beforeAll(async () => {
  t = await startTestCloud();
  cloudUrl = (await t.cloud.listen(0)).url;
  edgeDir = mkdtempSync(join(tmpdir(), 'edge-revoke-'));
  await bootEdge(cloudUrl, t.cloud.demoEdgeTokens[SITE]!).catch(failWithLogs);
  await eventually(async () => (await edgeHealth(edge!)).cloud === 'connected', 15_000, 'edge linked').catch(
    failWithLogs,
  );
}, 60_000);

afterAll(async () => {
  await edge?.service.stop();
  if (!cloudClosed) await t?.close();
  if (edgeDir) rmSync(edgeDir, { recursive: true, force: true });
});

describe('revoked LAN tokens at the edge', () => {
  it('a disabled person’s LAN token is refused at the edge within 5 s, and still after a restart without the cloud', async () => {
    const manager = await lanToken('gangnam.manager@demo.local');
    const hq = await lanToken('hq@demo.local');
    await eventually(async () => (await siteAtEdge(manager)).status === 200, 10_000, 'LAN token accepted').catch(
      failWithLogs,
    );
    // The console's API token is not a LAN token.
    expect((await siteAtEdge(await t.token('gangnam.manager@demo.local'))).status).toBe(401);

    const managerId = (await t.cloud.ctx.users.byEmail('gangnam.manager@demo.local'))!.id;
    const admin = await t.token('admin@demo.local');
    const disabledAt = Date.now();
    expect((await t.api('DELETE', `/api/v1/users/${managerId}`, { token: admin })).status).toBe(204);
    const refused = await eventually(
      async () => {
        const res = await siteAtEdge(manager);
        return res.status === 401 ? res : undefined;
      },
      5_000,
      'LAN token refused',
    ).catch(failWithLogs);
    expect(Date.now() - disabledAt).toBeLessThan(5_000);
    const body = await refused.text();
    expect(body).not.toMatch(/door|devices|mode/);
    expect((await siteAtEdge(hq)).status).toBe(200);

    // The list is kept on the edge's disk: a restart with no reachable cloud still refuses the token.
    await edge!.service.stop();
    await t.close();
    cloudClosed = true;
    await bootEdge('http://127.0.0.1:9', t.cloud.demoEdgeTokens[SITE]!).catch(failWithLogs);
    expect((await edgeHealth(edge!)).cloud).toBe('disconnected');
    expect((await siteAtEdge(manager)).status).toBe(401);
    expect((await siteAtEdge(hq)).status).toBe(200);
  }, 60_000);
});
