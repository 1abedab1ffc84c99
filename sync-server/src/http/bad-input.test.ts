import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as encoding from 'lib0/encoding';
import WebSocket from 'ws';
import { MAX_HTTP_BODY_BYTES, signToken, generateSigningKeys, siteDocName } from '@cr/shared';
import { startTestCloud, seedOtherTenant, type TestCloud } from '../testing/test-cloud';

let t: TestCloud;
let url: string;
beforeAll(async () => {
  t = await startTestCloud({ tuning: { maxDocBytes: 200_000 } });
  await seedOtherTenant(t.cloud);
  url = (await t.cloud.listen(0)).url;
  mkdirSync(join(t.dataDir, 'ui', 'assets'), { recursive: true });
  writeFileSync(join(t.dataDir, 'ui', 'index.html'), '<!doctype html><title>console</title>');
  writeFileSync(join(t.dataDir, 'ui', 'assets', 'app.js'), 'console.log(1)');
});
afterAll(() => t.close());

const hq = () => t.token('hq@demo.local');

async function expiredToken(): Promise<string> {
  const keys = await import('../domain/signing-keys').then((m) => m.loadOrCreateSigningKeys(t.dataDir));
  return signToken(
    { typ: 'access', sub: 'hq', role: 'hq-operator', tenantId: 'demo', siteIds: [], iat: 1, exp: 2, jti: 'x' },
    keys.privateKey,
  );
}

async function foreignKeyToken(): Promise<string> {
  const keys = await generateSigningKeys();
  return signToken(
    { typ: 'access', sub: 'hq', role: 'hq-operator', tenantId: 'demo', siteIds: [], iat: 1, exp: 4e9, jti: 'x' },
    keys.privateKey,
  );
}

describe('bad HTTP input', () => {
  const cases: Array<[string, () => Promise<Response>, number]> = [
    ['malformed JSON', async () => t.api('POST', '/api/v1/auth/login', { raw: '{"email":' }), 400],
    ['wrong types', async () => t.api('POST', '/api/v1/auth/login', { body: { email: 5, password: ['x'] } }), 400],
    [
      'unknown fields',
      async () =>
        t.api('POST', '/api/v1/auth/login', {
          body: { email: 'hq@demo.local', password: 'demo-pass-1234', admin: true },
        }),
      400,
    ],
    [
      'a huge body',
      async () =>
        t.api('POST', '/api/v1/auth/login', {
          raw: JSON.stringify({ email: 'a'.repeat(MAX_HTTP_BODY_BYTES + 10), password: 'x' }),
        }),
      413,
    ],
    [
      'SQL in a path id',
      async () => t.api('GET', `/api/v1/sites/${encodeURIComponent("gangnam' OR '1'='1")}`, { token: await hq() }),
      400,
    ],
    [
      'SQL in a query',
      async () =>
        t.api('GET', `/api/v1/sites/gangnam/events?type=${encodeURIComponent("x'; DROP TABLE events;--")}`, {
          token: await hq(),
        }),
      400,
    ],
    [
      'SQL in a login',
      async () => t.api('POST', '/api/v1/auth/login', { body: { email: "' OR 1=1 --", password: "' OR 1=1 --" } }),
      401,
    ],
    [
      'a forged token',
      async () => t.api('GET', '/api/v1/sites', { token: 'eyJhbGciOiJub25lIn0.eyJ0eXAiOiJhY2Nlc3MifQ.' }),
      401,
    ],
    [
      'a token signed by another key',
      async () => t.api('GET', '/api/v1/sites', { token: await foreignKeyToken() }),
      401,
    ],
    ['an expired token', async () => t.api('GET', '/api/v1/sites', { token: await expiredToken() }), 401],
    [
      'another tenant’s token on our site',
      async () => t.api('GET', '/api/v1/sites/gangnam/events', { token: await t.token('hq@acme.test') }),
      404,
    ],
    ['a bad cursor', async () => t.api('GET', '/api/v1/sites/gangnam/events?cursor=%%%', { token: await hq() }), 400],
    ['a negative limit', async () => t.api('GET', '/api/v1/sites/gangnam/events?limit=-5', { token: await hq() }), 400],
    [
      'an unknown door action',
      async () =>
        t.api('POST', '/api/v1/sites/gangnam/doors/door-lobby/commands', {
          token: await hq(),
          body: { action: 'explode', reason: 'x' },
        }),
      400,
    ],
    [
      'a door that is not a door',
      async () =>
        t.api('POST', '/api/v1/sites/gangnam/doors/camera-office/commands', {
          token: await hq(),
          body: { action: 'unlock', reason: 'x' },
        }),
      404,
    ],
    [
      'a member with a bad grant',
      async () =>
        t.api('PUT', '/api/v1/members/m1', {
          token: await t.token('admin@demo.local'),
          body: {
            active: true,
            credentials: [],
            grants: [{ zoneIds: [] }],
            secureMode: false,
            offlineWhitelist: false,
          },
        }),
      400,
    ],
    ['a non-UUID command id', async () => t.api('GET', '/api/v1/commands/1%20OR%201', { token: await hq() }), 400],
    ['an unknown route', async () => t.api('GET', '/api/v1/nothing', { token: await hq() }), 404],
    ['path traversal into the console folder', async () => t.api('GET', '/..%2f..%2fcloud.db'), 200],
  ];

  it.each(cases)('answers %s with a clear status', async (_name, call, status) => {
    const res = await call();
    expect(res.status).toBe(status);
    if (status >= 400) {
      const body = (await res.json()) as { error: string; message: string };
      expect(body.error).toEqual(expect.any(String));
      expect(body.message.length).toBeGreaterThan(3);
    }
  });

  it('serves the console with SPA fallback and never files outside it', async () => {
    const deep = await t.api('GET', '/sites/gangnam/plan');
    expect(await deep.text()).toContain('<title>console</title>');
    expect(await (await t.api('GET', '/assets/app.js')).text()).toBe('console.log(1)');
    expect(await (await t.api('GET', '/..%2f..%2fcloud.db')).text()).toContain('<title>console</title>');
    expect((await t.api('GET', '/health')).status).toBe(200);
  });

  it('still works after all that, with the events table intact', async () => {
    expect((await t.api('GET', '/api/v1/sites/gangnam/events', { token: await hq() })).status).toBe(200);
  });
});

function rawSync(doc: string, token: string): Promise<WebSocket> {
  const ws = new WebSocket(`${url.replace('http', 'ws')}/sync/${doc}?token=${token}`);
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

const closed = (ws: WebSocket) =>
  new Promise<{ code: number; reason: string }>((r) =>
    ws.once('close', (code, reason) => r({ code, reason: reason.toString() })),
  );

function updateFrame(update: Uint8Array): Uint8Array {
  const enc = encoding.createEncoder();
  encoding.writeVarUint(enc, 0);
  encoding.writeVarUint(enc, 2);
  encoding.writeVarUint8Array(enc, update);
  return encoding.toUint8Array(enc);
}

describe('bad sync frames', () => {
  const doc = siteDocName('demo', 'gangnam');
  const rows = () =>
    (t.cloud.ctx.sqlite!.db.prepare('SELECT COUNT(*) AS n FROM doc_updates WHERE doc_name = ?').get(doc) as { n: number }).n;

  it.each([
    ['an unknown message type', Uint8Array.from([9, 1, 2])],
    ['a truncated sync message', Uint8Array.from([0])],
    ['a garbage update', updateFrame(Uint8Array.from([200, 1, 7, 7, 7, 7, 255, 255, 3]))],
  ])('closes the socket on %s without writing anything', async (_n, frame) => {
    const before = rows();
    const ws = await rawSync(doc, await hq());
    ws.send(frame);
    const c = await closed(ws);
    expect(c.code).toBe(1003);
    expect(rows()).toBe(before);
  });

  it('closes text frames and oversized messages', async () => {
    const ws = await rawSync(doc, await hq());
    ws.send('hello');
    expect((await closed(ws)).code).toBe(1003);
    const big = await rawSync(doc, await hq());
    big.send(new Uint8Array(1024 * 1024 + 10));
    expect((await closed(big)).code).toBe(1009);
  });

  it('refuses updates that would grow a document past its limit', async () => {
    const Y = await import('yjs');
    const local = new Y.Doc();
    local.getMap('notes').set('big', 'x'.repeat(300_000));
    const before = rows();
    const ws = await rawSync(doc, await hq());
    ws.send(updateFrame(Y.encodeStateAsUpdate(local)));
    expect((await closed(ws)).code).toBe(1009);
    expect(rows()).toBe(before);
  });

  it('closes an edge link that sends a binary frame flood', async () => {
    const ws = new WebSocket(`${url.replace('http', 'ws')}/edge/v1/link`, {
      headers: { authorization: `Bearer ${t.cloud.demoEdgeTokens.gangnam}` },
    });
    await new Promise((r) => ws.once('open', r));
    for (let i = 0; i < 25; i++) ws.send(Buffer.from([1, 2, 3]));
    expect((await closed(ws)).code).toBe(1008);
  });
});
