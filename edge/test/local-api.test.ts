import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import { generateSigningKeys, SiteDoc, siteDocName, signToken } from '@cr/shared';
import { startScenario, type Scenario } from './support/scenario';
import { waitFor } from './support/wait';

const post = (url: string, token: string | undefined, body: unknown) =>
  fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
const get = (url: string, token?: string) => fetch(url, { headers: token ? { authorization: `Bearer ${token}` } : {} });

describe('local door API and local sync on the site LAN', () => {
  let s: Scenario;
  afterEach(() => s.close());

  it('opens a door for a site manager with the cloud unreachable, verifying the token offline', async () => {
    s = await startScenario();
    const { doorId } = await s.devices.doorWithReader('lobby');
    await waitFor(() => s.edge.ctx.registry.get(doorId), 'door registered');
    s.edge.uplink!.setEnabled(false);
    const manager = await s.cloud.userToken('site-manager', [s.siteId]);
    const url = `${s.edge.httpUrl}/api/v1/sites/${s.siteId}/doors/${doorId}/commands`;
    const res = await post(url, manager, { action: 'unlock', reason: 'delivery' });
    expect(res.status).toBe(202);
    const { id } = (await res.json()) as { id: string };
    const status = await waitFor(async () => {
      const r = (await (await get(`${s.edge.httpUrl}/api/v1/commands/${id}`, manager)).json()) as { status: string };
      return r.status === 'executed' ? r : undefined;
    }, 'command executed');
    expect(status).toMatchObject({ status: 'executed', source: 'local' });
    expect(s.devices.commandsFor(doorId).map((c) => c.action)).toEqual(['unlock']);
  });

  it('refuses a vendor, a manager of another site, and a bad body', async () => {
    s = await startScenario();
    const url = `${s.edge.httpUrl}/api/v1/sites/${s.siteId}/doors/door-x/commands`;
    expect(
      (await post(url, await s.cloud.userToken('vendor', [s.siteId]), { action: 'unlock', reason: 'x' })).status,
    ).toBe(403);
    expect(
      (await post(url, await s.cloud.userToken('site-manager', ['elsewhere']), { action: 'unlock', reason: 'x' }))
        .status,
    ).toBe(403);
    expect((await post(url, await s.cloud.userToken('hq-operator'), { action: 'explode', reason: 'x' })).status).toBe(
      400,
    );
    expect(s.devices.commands).toEqual([]);
  });

  it('serves the site document to a LAN laptop and merges its edits', async () => {
    s = await startScenario();
    await s.devices.config({ id: 'env-1', kind: 'env', name: 'Climate', zoneId: 'lounge' });
    await waitFor(() => new SiteDoc(s.edge.doc).device('env-1'), 'device in edge doc');
    const token = await s.cloud.userToken('site-manager', [s.siteId]);
    const laptop = new Y.Doc();
    const provider = new WebsocketProvider(
      `${s.edge.httpUrl.replace('http', 'ws')}/sync`,
      siteDocName('demo', s.siteId),
      laptop,
      {
        params: { token },
        WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
        disableBc: true,
      },
    );
    try {
      await waitFor(() => new SiteDoc(laptop).device('env-1'), 'device on the laptop');
      new SiteDoc(laptop).setDevicePosition('env-1', { x: 1, y: 2 }, 'manager', Date.now());
      await waitFor(() => new SiteDoc(s.edge.doc).device('env-1')?.position?.x === 1, 'laptop edit at the edge');
      // …and on to the cloud over the edge's own sync.
      await waitFor(() => new SiteDoc(s.cloud.doc).device('env-1')?.position?.x === 1, 'laptop edit in the cloud');
    } finally {
      provider.destroy();
    }
  });

  it('closes the local sync for a vendor token and for an hq token that does not name this site', async () => {
    s = await startScenario();
    const closeCode = async (token: string) => {
      const ws = new WebSocket(`${s.edge.httpUrl.replace('http', 'ws')}/sync/${siteDocName('demo', s.siteId)}?token=${token}`);
      return new Promise<number>((resolve) => ws.on('close', (c) => resolve(c)));
    };
    expect(await closeCode(await s.cloud.userToken('vendor', [s.siteId]))).toBe(4403);
    expect(await closeCode(await s.cloud.userToken('hq-operator', ['elsewhere']))).toBe(4403);
  });

  it('issues a LAN command under the person’s account id, with their name for the door and the audit trail', async () => {
    s = await startScenario();
    const { doorId } = await s.devices.doorWithReader('lobby');
    await waitFor(() => s.edge.ctx.registry.get(doorId), 'door registered');
    s.edge.uplink!.setEnabled(false);
    const manager = await s.cloud.userToken('site-manager', [s.siteId]);
    const res = await post(`${s.edge.httpUrl}/api/v1/sites/${s.siteId}/doors/${doorId}/commands`, manager, { action: 'unlock', reason: 'delivery' });
    expect(res.status).toBe(202);
    const [sent] = await waitFor(() => (s.devices.commandsFor(doorId).length > 0 ? s.devices.commandsFor(doorId) : undefined), 'door told');
    expect(sent!.reason).toBe('delivery (by site-manager@test)');
    const executed = await waitFor(
      () => s.edge.outbox.nextBatch(100)?.events.find((e) => e.type === 'command.executed'),
      'command.executed recorded',
    );
    expect(executed.data).toMatchObject({ issuedBy: 'u-site-manager', issuerName: 'site-manager@test', issuerRole: 'site-manager', source: 'local' });
  });
});

describe('malformed and unauthorized requests to the LAN API', () => {
  let s: Scenario;
  let hq: string;
  beforeAll(async () => {
    s = await startScenario();
    hq = await s.cloud.userToken('hq-operator');
  });
  afterAll(() => s.close());

  const now = () => Math.floor(Date.now() / 1000);
  const claims = (over: Record<string, unknown> = {}) => ({
    typ: 'access' as const,
    sub: 'u-x',
    role: 'hq-operator' as const,
    tenantId: 'demo',
    siteIds: [],
    iat: now(),
    exp: now() + 600,
    jti: 'x',
    ...over,
  });
  const door = () => `${s.edge.httpUrl}/api/v1/sites/${s.siteId}/doors/door-x/commands`;
  const mode = () => `${s.edge.httpUrl}/api/v1/sites/${s.siteId}/mode`;
  const send = (
    url: string,
    init: { token?: string | null; type?: string | null; body?: BodyInit; method?: string } = {},
  ) =>
    fetch(url, {
      method: init.method ?? 'POST',
      headers: {
        ...(init.type === null ? {} : { 'content-type': init.type ?? 'application/json' }),
        ...(init.token === null ? {} : { authorization: `Bearer ${init.token ?? hq}` }),
      },
      body: init.body,
      ...(init.body instanceof ReadableStream ? { duplex: 'half' } : {}),
    } as RequestInit);
  const endless = () =>
    new ReadableStream({
      pull(c) {
        c.enqueue(new TextEncoder().encode(' '.repeat(4096)));
      },
    });
  const ok = JSON.stringify({ action: 'unlock', reason: 'x' });

  const cases: Array<[string, () => Promise<Response>, number, string | RegExp]> = [
    ['malformed JSON', () => send(door(), { body: '{"action":' }), 400, 'body is not JSON'],
    ['an empty JSON body', () => send(door(), { body: '' }), 400, 'body is not JSON'],
    ['a JSON array', () => send(door(), { body: '[]' }), 400, /^invalid body: /],
    [
      'an unknown action',
      () => send(door(), { body: JSON.stringify({ action: 'explode', reason: 'x' }) }),
      400,
      /^invalid body: action /,
    ],
    [
      'a pulse longer than allowed',
      () => send(door(), { body: JSON.stringify({ action: 'pulse-unlock', reason: 'x', durationMs: 1e9 }) }),
      400,
      /^invalid body: durationMs /,
    ],
    [
      'a mode without a reason',
      () => send(mode(), { body: JSON.stringify({ mode: 'lockdown' }) }),
      400,
      /^invalid body: reason /,
    ],
    [
      'a body over 16 KiB',
      () => send(door(), { body: JSON.stringify({ action: 'unlock', reason: 'x'.repeat(17_000) }) }),
      413,
      'body larger than 16384 bytes',
    ],
    ['an endless chunked body', () => send(door(), { body: endless() }), 413, 'body larger than 16384 bytes'],
    ['a text/plain body', () => send(door(), { type: 'text/plain', body: ok }), 415, 'body must be application/json'],
    [
      'a body without a content type',
      () => send(door(), { type: null, body: ok }),
      415,
      'body must be application/json',
    ],
    [
      'a door id outside the id pattern',
      () => send(`${s.edge.httpUrl}/api/v1/sites/${s.siteId}/doors/Door%20X/commands`, { body: ok }),
      400,
      /^invalid path: doorId /,
    ],
    [
      'a site id outside the id pattern',
      () => send(`${s.edge.httpUrl}/api/v1/sites/NOT_AN_ID/mode`, { body: ok }),
      400,
      /^invalid path: siteId /,
    ],
    [
      'a malformed percent-escape in a door id',
      () => send(`${s.edge.httpUrl}/api/v1/sites/${s.siteId}/doors/%ZZ/commands`, { body: ok }),
      400,
      'malformed percent-escape in path',
    ],
    [
      'a truncated UTF-8 escape in a command id',
      () => send(`${s.edge.httpUrl}/api/v1/commands/%E0%A4%A`, { method: 'GET' }),
      400,
      'malformed percent-escape in path',
    ],
    [
      'a command id outside the pattern',
      () => send(`${s.edge.httpUrl}/api/v1/commands/a%20b`, { method: 'GET' }),
      400,
      /^invalid path: id /,
    ],
    [
      'another site of the tenant',
      () =>
        send(`${s.edge.httpUrl}/api/v1/sites/elsewhere/mode`, {
          body: JSON.stringify({ mode: 'lockdown', reason: 'x' }),
        }),
      404,
      'no such site on this edge',
    ],
    [
      'an unknown command',
      () => send(`${s.edge.httpUrl}/api/v1/commands/${randomUUID()}`, { method: 'GET' }),
      404,
      'no such command on this edge',
    ],
    ['an unknown route', () => send(`${s.edge.httpUrl}/api/v1/nothing`, { method: 'GET' }), 404, 'not found'],
    ['a wrong method', () => send(mode(), { method: 'GET' }), 404, 'not found'],
    [
      'test controls on an edge without them',
      () => send(`${s.edge.httpUrl}/api/v1/link`, { token: null, body: '{"connected":false}' }),
      404,
      'not found',
    ],
    ['no token', () => send(door(), { token: null, body: ok }), 401, 'missing bearer token'],
    [
      'no token and a bad body (auth first: no schema hints)',
      () => send(door(), { token: null, body: '{' }),
      401,
      'missing bearer token',
    ],
    [
      'a token only in the query string',
      async () => send(`${door()}?token=${hq}`, { token: null, body: ok }),
      401,
      'missing bearer token',
    ],
    ['a garbage token', () => send(door(), { token: 'garbage', body: ok }), 401, 'malformed token'],
    [
      'a token signed by another key',
      async () =>
        send(door(), { token: await signToken(claims(), (await generateSigningKeys()).privateKey), body: ok }),
      401,
      'bad signature',
    ],
    [
      'an expired token',
      async () =>
        send(door(), { token: await s.cloud.sign(claims({ iat: now() - 7200, exp: now() - 3600 })), body: ok }),
      401,
      'token expired',
    ],
    [
      'a token of another tenant',
      async () => send(door(), { token: await s.cloud.sign(claims({ tenantId: 'other' })), body: ok }),
      403,
      'token not valid for this site',
    ],
    [
      'an edge token',
      async () => send(door(), { token: await s.cloud.edgeToken(s.siteId), body: ok }),
      401,
      'token not meant for this service',
    ],
    [
      'a vendor',
      async () => send(door(), { token: await s.cloud.userToken('vendor', [s.siteId]), body: ok }),
      403,
      'vendors have no access to the site LAN API',
    ],
    [
      'a manager of another site',
      async () => send(door(), { token: await s.cloud.userToken('site-manager', ['elsewhere']), body: ok }),
      403,
      'site not in your scope',
    ],
  ];

  it.each(cases)('answers %s with the exact status and JSON error', async (_name, request, status, error) => {
    const res = await request();
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(await res.json()).toEqual({ error: typeof error === 'string' ? error : expect.stringMatching(error) });
  });

  it('executed none of them, and still serves a valid request', async () => {
    expect(s.devices.commands).toEqual([]);
    expect(s.edge.ctx.modes.mode).toBe('normal');
    const res = await send(mode(), { body: JSON.stringify({ mode: 'secure', reason: 'night' }) });
    expect(res.status).toBe(202);
    await waitFor(() => s.edge.ctx.modes.mode === 'secure', 'mode applied');
  });

  it('answers a CORS preflight on any path with the CORS headers and no body', async () => {
    const res = await fetch(door(), { method: 'OPTIONS' });
    expect(res.status).toBe(204);
    const cors: Record<string, string> = {};
    res.headers.forEach((value, name) => name.startsWith('access-control-') && (cors[name] = value));
    expect(cors).toEqual({
      'access-control-allow-origin': '*',
      'access-control-allow-methods': 'GET, POST, OPTIONS',
      'access-control-allow-headers': 'authorization, content-type',
      'access-control-max-age': '600',
    });
    expect(await res.text()).toBe('');
  });
});

describe('who sees the site on the LAN', () => {
  let s: Scenario;
  let doorId: string;
  let commandId: string;
  beforeAll(async () => {
    s = await startScenario();
    ({ doorId } = await s.devices.doorWithReader('lobby'));
    await waitFor(() => s.edge.ctx.registry.get(doorId), 'door registered');
    const res = await post(
      `${s.edge.httpUrl}/api/v1/sites/${s.siteId}/doors/${doorId}/commands`,
      await s.cloud.userToken('hq-operator'),
      { action: 'lock', reason: 'audit' },
    );
    commandId = ((await res.json()) as { id: string }).id;
  });
  afterAll(() => s.close());

  const outsiders: Array<[string, () => Promise<string>, string]> = [
    [
      'a site manager of another site',
      () => s.cloud.userToken('site-manager', ['elsewhere']),
      'site not in your scope',
    ],
    [
      'a vendor of this site',
      () => s.cloud.userToken('vendor', [s.siteId]),
      'vendors have no access to the site LAN API',
    ],
    [
      // authorize() lets HQ reach every site of the tenant; offline, only the token's list can say which.
      'an hq operator whose token was issued before this site existed',
      () => s.cloud.userToken('hq-operator', ['gangnam', 'hongdae']),
      'site not in your scope',
    ],
  ];

  it.each(outsiders)(
    'refuses %s the site view and command status, with no site data in the body',
    async (_who, token, error) => {
      for (const path of ['/api/v1/site', `/api/v1/commands/${commandId}`]) {
        const res = await get(`${s.edge.httpUrl}${path}`, await token());
        expect(res.status).toBe(403);
        const text = await res.text();
        expect(JSON.parse(text)).toEqual({ error });
        for (const secret of [s.siteId, doorId, 'lobby', commandId, 'lock']) expect(text).not.toContain(secret);
      }
    },
  );

  it.each([
    ['an hq operator', () => s.cloud.userToken('hq-operator')],
    ['the site manager', () => s.cloud.userToken('site-manager', [s.siteId])],
  ])('shows %s the site and the command', async (_who, token) => {
    const site = await get(`${s.edge.httpUrl}/api/v1/site`, await token());
    expect(site.status).toBe(200);
    const view = (await site.json()) as { id: string; mode: string; devices: Array<{ id: string }> };
    expect(view).toMatchObject({ id: s.siteId, tenantId: 'demo', mode: 'normal' });
    expect(view.devices.map((d) => d.id)).toContain(doorId);
    const cmd = await get(`${s.edge.httpUrl}/api/v1/commands/${commandId}`, await token());
    expect(cmd.status).toBe(200);
    expect(await cmd.json()).toMatchObject({
      id: commandId,
      siteId: s.siteId,
      source: 'local',
      target: { kind: 'door', doorId, action: 'lock' },
    });
  });
});
