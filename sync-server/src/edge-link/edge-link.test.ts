import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { TenantDoc, findUnresolved, listAlerts, resolveAlert, siteDocName, tenantDocName } from '@cr/shared';
import { eventually, startTestCloud, type TestCloud } from '../testing/test-cloud';
import { TestEdge } from '../testing/edge-client';

let t: TestCloud;
let url: string;
const edges: TestEdge[] = [];
const connect = async (site = 'gangnam', via: 'header' | 'query' = 'header') => {
  const e = await TestEdge.connect(url, t.cloud.demoEdgeTokens[site]!, via);
  edges.push(e);
  return e;
};

beforeAll(async () => {
  t = await startTestCloud({ config: { linkTimeoutMs: 400, commandTtlMs: 800 } });
  url = (await t.cloud.listen(0)).url;
});
afterEach(() => {
  for (const e of edges.splice(0)) e.close();
});
afterAll(() => t.close());

const accessEvent = (credential = 'card-0001') => ({
  id: randomUUID(),
  type: 'access.granted',
  ts: Date.now(),
  deviceId: 'reader-lobby',
  data: { memberId: 'member-0001', credential: { type: 'card', value: credential } },
});

describe('edge link', () => {
  it('answers hello with welcome (public key) and a permission snapshot', async () => {
    const edge = await connect('gangnam', 'query');
    edge.hello('gangnam');
    const welcome = await edge.next('welcome');
    expect(welcome).toMatchObject({ siteId: 'gangnam', tenantId: 'demo', publicKey: { kty: 'OKP', crv: 'Ed25519' } });
    const perms = await edge.next('permissions');
    expect(perms.kind).toBe('snapshot');
    expect(perms.upserts.map((m) => m.id)).toContain('member-night');
    expect(perms.upserts).toHaveLength(101);
  });

  it('stores a batch once even when re-sent after a lost ack, with credentials hashed', async () => {
    const edge = await connect();
    edge.hello('gangnam');
    await edge.next('welcome');
    const events = [
      accessEvent('card-0042'),
      accessEvent(),
      { id: randomUUID(), type: 'door.forced', ts: Date.now(), deviceId: 'door-lobby' },
    ];
    edge.send({ type: 'events', batchId: 'b1', events });
    expect(await edge.next('events.ack', (m) => m.batchId === 'b1')).toMatchObject({ stored: 3, duplicates: 0 });
    edge.send({ type: 'events', batchId: 'b1', events });
    edge.send({ type: 'events', batchId: 'b2', events: [...events, accessEvent()] });
    expect(await edge.next('events.ack', (m) => m.batchId === 'b2')).toMatchObject({ stored: 1, duplicates: 3 });
    const res = await t.api('GET', '/api/v1/sites/gangnam/events?type=access.granted&limit=2', {
      token: await t.token('hq@demo.local'),
    });
    const page = (await res.json()) as {
      items: Array<{ id: string; data: { credential: { value: string } } }>;
      nextCursor?: string;
    };
    expect(page.items).toHaveLength(2);
    expect(page.nextCursor).toBeDefined();
    const rest = (await (
      await t.api('GET', `/api/v1/sites/gangnam/events?type=access.granted&cursor=${page.nextCursor}`, {
        token: await t.token('hq@demo.local'),
      })
    ).json()) as { items: Array<{ id: string }>; nextCursor?: string };
    expect(rest.items).toHaveLength(1);
    expect(rest.nextCursor).toBeUndefined();
    expect(new Set([...page.items, ...rest.items].map((e) => e.id)).size).toBe(3);
    const raw = JSON.stringify(t.cloud.ctx.sqlite!.db.prepare('SELECT data FROM events').all());
    expect(raw).not.toContain('card-0042');
    expect(page.items[0]!.data.credential.value).toMatch(/^h:/);
  });

  it('refuses a hello for another site and bad tokens', async () => {
    const edge = await connect('gangnam');
    edge.hello('hongdae');
    expect((await edge.whenClosed()).code).toBe(4403);
    const forged = await TestEdge.connect(url, 'x.y.z');
    expect((await forged.whenClosed()).code).toBe(4401);
    const user = await TestEdge.connect(url, await t.token('hq@demo.local'));
    expect((await user.whenClosed()).code).toBe(4401);
  });

  it('answers malformed messages with an error and keeps the link', async () => {
    const edge = await connect();
    edge.ws.send('{not json');
    await edge.next('error', (m) => m.code === 'malformed');
    edge.send({ type: 'events', batchId: 'x', events: [{ id: 'nope', type: 'DROP TABLE', ts: -1 }] });
    await edge.next('error', (m) => m.code === 'invalid');
    edge.send({ type: 'heartbeat', mode: 'normal', outboxDepth: 0, ts: Date.now() });
    await edge.next('error', (m) => m.code === 'no-hello');
    edge.hello('gangnam');
    await edge.next('welcome');
  });

  it('pushes member changes as deltas and catches a reconnecting edge up from its version', async () => {
    const edge = await connect('hongdae');
    edge.hello('hongdae');
    const snap = await edge.next('permissions');
    const admin = await t.token('admin@demo.local');
    const member = {
      active: true,
      credentials: [{ type: 'card', value: 'card-new' }],
      grants: [{ zoneIds: ['lobby'] }],
      secureMode: false,
      offlineWhitelist: false,
    };
    expect((await t.api('PUT', '/api/v1/members/member-new', { token: admin, body: member })).status).toBe(200);
    const delta = await edge.next(
      'permissions',
      (m) => m.kind === 'delta' && m.upserts.some((u) => u.id === 'member-new'),
      5000,
    );
    expect(delta.fromVersion).toBe(snap.version);
    edge.close();
    expect((await t.api('DELETE', '/api/v1/members/member-0002', { token: admin })).status).toBe(204);
    expect(
      (
        await t.api('POST', '/api/v1/members/member-new/credentials', {
          token: admin,
          body: { type: 'qr', value: 'qr-1' },
        })
      ).status,
    ).toBe(200);
    const again = await connect('hongdae');
    again.hello('hongdae', delta.version);
    const catchUp = await again.next('permissions');
    expect(catchUp).toMatchObject({ kind: 'delta', fromVersion: delta.version, removals: ['member-0002'] });
    expect(catchUp.upserts.map((m) => m.id)).toEqual(['member-new']);
    expect(catchUp.upserts[0]!.credentials).toHaveLength(2);
  });

  it('marks a silent site offline with a site.offline alert, and says its cause cleared when the edge is back; the alarm stays until resolved', async () => {
    const doc = siteDocName('demo', 'yeouido');
    const status = () => t.cloud.ctx.docs.read(tenantDocName('demo'), (d) => new TenantDoc(d).status('yeouido'));
    const edge = await connect('yeouido');
    edge.hello('yeouido');
    await edge.next('welcome');
    await eventually(async () => (await status())?.online === true, 3000, 'online');
    const offlineAlerts = () =>
      t.cloud.ctx.docs.read(doc, (d) => listAlerts(d).filter((a) => a.type === 'site.offline'));
    // An outage from before this edge first connected (the cloud started first) is someone else's: resolve it.
    await t.cloud.ctx.docs.mutate(doc, (d) => {
      for (const a of findUnresolved(d, { type: 'site.offline' })) resolveAlert(d, a.id, { by: 'hq', at: Date.now(), where: 'hq' });
    });
    const earlier = (await offlineAlerts()).length;
    edge.close();
    await eventually(async () => (await status())?.online === false, 3000, 'offline after the link timeout');
    const offline = await t.cloud.ctx.docs.read(doc, (d) => findUnresolved(d, { type: 'site.offline' }));
    expect(offline).toHaveLength(1);
    expect(offline[0]).toMatchObject({ source: 'cloud', severity: 'major' });
    const sites = (await (
      await t.api('GET', '/api/v1/sites', { token: await t.token('hq@demo.local') })
    ).json()) as Array<{ id: string; online: boolean; openAlerts: number }>;
    expect(sites.find((s) => s.id === 'yeouido')).toMatchObject({ online: false, openAlerts: 1 });
    const back = await connect('yeouido');
    back.hello('yeouido');
    await eventually(async () => (await status())?.online === true, 3000, 'online again');
    await eventually(async () => (await offlineAlerts()).every((a) => a.state === 'resolved' || a.causeCleared), 3000, 'cause cleared');
    const latched = (await offlineAlerts()).filter((a) => a.state !== 'resolved');
    expect(latched).toHaveLength(1);
    expect(latched[0]!.causes.at(-1)).toMatchObject({ state: 'cleared', by: 'cloud', reason: 'edge link back' });
    expect(await offlineAlerts()).toHaveLength(earlier + 1);
    // Offline again before anyone resolved it: the same alarm, its cause back; then a person resolves it.
    back.close();
    await eventually(async () => (await offlineAlerts()).some((a) => a.id === latched[0]!.id && !a.causeCleared), 3000, 'cause back');
    expect(await offlineAlerts()).toHaveLength(earlier + 1);
    await t.cloud.ctx.docs.mutate(doc, (d) => resolveAlert(d, latched[0]!.id, { by: 'hq', at: Date.now(), where: 'hq' }));
  });
});

describe('commands', () => {
  it('fails at once when the edge is not connected', async () => {
    const res = await t.api('POST', '/api/v1/sites/hongdae/doors/door-lobby/commands', {
      token: await t.token('hq@demo.local'),
      body: { action: 'unlock', reason: 'test' },
    });
    expect(res.status).toBe(202);
    expect(await res.json()).toMatchObject({ status: 'failed', error: expect.stringMatching(/offline/) });
  });

  it('relays a command with id and expiry and records the outcome', async () => {
    const edge = await connect('gangnam');
    edge.hello('gangnam');
    await edge.next('welcome');
    const token = await t.token('gangnam.manager@demo.local');
    const res = await t.api('POST', '/api/v1/sites/gangnam/doors/door-lobby/commands', {
      token,
      body: { action: 'pulse-unlock', reason: 'courier', durationMs: 3000 },
    });
    const { id, status } = (await res.json()) as { id: string; status: string };
    expect(status).toBe('sent');
    const msg = await edge.next('command', (m) => m.command.id === id);
    expect(msg.command).toMatchObject({
      siteId: 'gangnam',
      target: { kind: 'door', doorId: 'door-lobby', action: 'pulse-unlock', durationMs: 3000 },
      issuerRole: 'site-manager',
    });
    // The edge gets the life minus the round-trip allowance (here half of 800 ms), timed from receipt.
    expect(msg.command).toMatchObject({ ttlMs: 400 });
    expect(msg.command.expiresAt - msg.command.issuedAt).toBe(400);
    edge.send({ type: 'command.outcome', outcome: { commandId: id, status: 'executed', ts: Date.now() } });
    await eventually(
      async () =>
        ((await (await t.api('GET', `/api/v1/commands/${id}`, { token })).json()) as { status: string }).status ===
        'executed',
      3000,
      'executed',
    );
    const audit = (await (await t.api('GET', '/api/v1/audit?siteId=gangnam', { token })).json()) as Array<{
      action: string;
      result: string;
    }>;
    expect(audit).toContainEqual(expect.objectContaining({ action: 'door.pulse-unlock', result: 'sent' }));
  });

  it('never calls failed a command another instance took without confirming: it stays sent until the edge answers or it expires', async () => {
    const other = await startTestCloud({ config: { commandTtlMs: 600 } });
    try {
      // Another instance holds yeouido's link; it took the command, and its answer was lost.
      other.cloud.ctx.hub.useRouter({
        claimLink: () => undefined,
        releaseLink: () => undefined,
        deliver: async () => 'unanswered',
        onDeliver: () => undefined,
        broadcast: async () => undefined,
        onBroadcast: () => () => undefined,
      });
      const token = await other.token('hq@demo.local');
      const res = await other.api('POST', '/api/v1/sites/yeouido/doors/door-lobby/commands', { token, body: { action: 'unlock', reason: 'visitor' } });
      const { id, status } = (await res.json()) as { id: string; status: string };
      expect(status).toBe('sent');
      await eventually(
        async () => ((await (await other.api('GET', `/api/v1/commands/${id}`, { token })).json()) as { status: string }).status === 'expired',
        3000,
        'expired',
      );
    } finally {
      await other.close();
    }
  });

  it("keeps a mode change's per-door results as the edge reported them", async () => {
    const edge = await connect('gangnam');
    edge.hello('gangnam');
    await edge.next('welcome');
    const token = await t.token('gangnam.manager@demo.local');
    const res = await t.api('POST', '/api/v1/sites/gangnam/mode', { token, body: { mode: 'lockdown', reason: 'intruder' } });
    const { id } = (await res.json()) as { id: string };
    await edge.next('command', (m) => m.command.id === id);
    const doors = [
      { doorId: 'door-lobby', result: 'confirmed' },
      { doorId: 'door-office', result: 'no-answer' },
    ] as const;
    const error = 'mode lockdown is in force, but 1 of 2 doors did not confirm: door-office (no-answer)';
    edge.send({ type: 'command.outcome', outcome: { commandId: id, status: 'failed', error, doors: [...doors], ts: Date.now() } });
    const rec = await eventually(
      async () => {
        const r = (await (await t.api('GET', `/api/v1/commands/${id}`, { token })).json()) as { status: string; doors?: unknown };
        return r.status === 'failed' ? r : undefined;
      },
      3000,
      'failed with doors',
    );
    expect(rec).toMatchObject({ error, doors });
  });

  it('expires a command the edge never answers, and a late outcome does not change it', async () => {
    const edge = await connect('gangnam');
    edge.hello('gangnam');
    await edge.next('welcome');
    const token = await t.token('hq@demo.local');
    const { id } = (await (
      await t.api('POST', '/api/v1/sites/gangnam/mode', { token, body: { mode: 'lockdown', reason: 'drill' } })
    ).json()) as { id: string };
    await edge.next('command', (m) => m.command.id === id);
    edge.close();
    const final = await eventually(
      async () => {
        const c = (await (await t.api('GET', `/api/v1/commands/${id}`, { token })).json()) as { status: string };
        return c.status === 'expired' ? c : undefined;
      },
      3000,
      'expired',
    );
    expect(final.status).toBe('expired');
    const late = await connect('gangnam');
    late.hello('gangnam');
    await late.next('welcome');
    late.send({ type: 'command.outcome', outcome: { commandId: id, status: 'executed', ts: Date.now() } });
    await eventually(
      async () => (await t.cloud.ctx.audit.query({ tenantId: 'demo', limit: 20 })).some((a) => a.result.includes('late')),
      3000,
      'late outcome audited',
    );
    expect(
      ((await (await t.api('GET', `/api/v1/commands/${id}`, { token })).json()) as { status: string }).status,
    ).toBe('expired');
  });
});
