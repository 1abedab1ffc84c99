import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startTestCloud, type TestCloud } from '../testing/test-cloud';
import { edgeHealth, startEdgeProcess, type EdgeProcess } from '../testing/edge-process';

/**
 * A real edge process against a real cloud: a LAN token names the sites it was issued for, and a
 * gateway takes only tokens naming its own site, whatever the role. An HQ operator's LAN token
 * issued before a site existed does not open that site's doors, offline or not.
 */
const SITE = { id: 'seongsu', name: '성수점 Seongsu', lat: 37.5446, lng: 127.0557, timezone: 'Asia/Seoul' };
let t: TestCloud;
let edgeDir: string;
let edge: EdgeProcess | undefined;

const failWithLogs = (err: unknown): never => {
  throw new Error(`${(err as Error).message}\n--- edge output ---\n${edge?.lines.slice(-40).join('\n') ?? ''}`);
};

async function lanToken(email: string): Promise<{ token: string; siteIds: string[] }> {
  const res = await t.api('POST', '/api/v1/auth/lan-token', { token: await t.token(email) });
  expect(res.status).toBe(200);
  const { token } = (await res.json()) as { token: string };
  const claims = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as { siteIds: string[] };
  return { token, siteIds: claims.siteIds };
}

const atEdge = (token: string, path = '/api/v1/site', init: RequestInit = {}) =>
  fetch(`${edge!.httpUrl}${path}`, { ...init, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' } });

beforeAll(async () => {
  t = await startTestCloud();
  edgeDir = mkdtempSync(join(tmpdir(), 'edge-lan-scope-'));
}, 60_000);

afterAll(async () => {
  await edge?.service.stop();
  await t?.close();
  if (edgeDir) rmSync(edgeDir, { recursive: true, force: true });
});

describe('LAN tokens name their sites', () => {
  it('refuses at a new site’s edge an HQ operator’s LAN token issued before the site was created', { timeout: 60_000 }, async () => {
    const early = await lanToken('hq@demo.local');
    expect(early.siteIds.sort()).toEqual(['gangnam', 'hongdae', 'yeouido']);
    expect((await lanToken('gangnam.manager@demo.local')).siteIds).toEqual(['gangnam']);

    const admin = await t.token('admin@demo.local');
    expect((await t.api('POST', '/api/v1/sites', { token: admin, body: SITE })).status).toBe(201);
    expect((await t.api('PUT', `/api/v1/sites/${SITE.id}/zones/lobby`, { token: admin, body: { name: 'Lobby' } })).status).toBe(200);
    const issued = await t.api('POST', `/api/v1/sites/${SITE.id}/edge-tokens`, { token: admin });
    expect(issued.status).toBe(201);
    const cloudUrl = (await t.cloud.listen(0)).url;
    edge = await startEdgeProcess({
      siteId: SITE.id,
      cloudUrl,
      token: ((await issued.json()) as { token: string }).token,
      dataDir: edgeDir,
    }).catch(failWithLogs);
    await eventually(async () => (await edgeHealth(edge!)).cloud === 'connected', 20_000, 'edge linked').catch(failWithLogs);

    const late = await lanToken('hq@demo.local');
    expect(late.siteIds).toContain(SITE.id);
    await eventually(async () => (await atEdge(late.token)).status === 200, 10_000, 'fresh HQ token accepted').catch(failWithLogs);

    // The early token is genuine, unexpired and unrevoked: only its site list keeps it out.
    const refused = await atEdge(early.token);
    expect(refused.status).toBe(403);
    expect(await refused.json()).toEqual({ error: 'site not in your scope' });
    const mode = await atEdge(early.token, `/api/v1/sites/${SITE.id}/mode`, {
      method: 'POST',
      body: JSON.stringify({ mode: 'emergency-unlock', reason: 'old token' }),
    });
    expect(mode.status).toBe(403);
    expect((await edgeHealth(edge)).mode).toBe('normal');
  });
});
