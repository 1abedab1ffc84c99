import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { MAX_WS_MESSAGE_BYTES, type UserPrincipal } from '@cr/shared';
import { startTestCloud, type TestCloud } from '../testing/test-cloud';
import { TestEdge } from '../testing/edge-client';
import { CommandService, ROUND_TRIP_ALLOWANCE_MS } from '../domain/command-service';
import type { LinkHub } from './link-hub';
import type { CloudMember } from '../domain/member-model';

let t: TestCloud;
let url: string;
const edges: TestEdge[] = [];
const connect = async (site: string) => {
  const e = await TestEdge.connect(url, t.cloud.demoEdgeTokens[site]!);
  edges.push(e);
  return e;
};

beforeAll(async () => {
  t = await startTestCloud();
  url = (await t.cloud.listen(0)).url;
});
afterEach(() => {
  vi.useRealTimers();
  for (const e of edges.splice(0)) e.close();
});
afterAll(() => t.close());

describe('the cloud clock on the link', () => {
  it('answers every heartbeat with its time and the heartbeat’s own ts', async () => {
    const edge = await connect('gangnam');
    edge.hello('gangnam');
    const welcome = await edge.next('welcome');
    expect(Math.abs(welcome.serverTime - Date.now())).toBeLessThan(1_000);
    edge.heartbeat({ ts: 12_345 });
    const time = await edge.next('time', (m) => m.echo === 12_345);
    expect(Math.abs(time.serverTime - Date.now())).toBeLessThan(1_000);
  });
});

describe("the cloud's record of a site's mode", () => {
  it('hands a replacement gateway the mode and fire state its predecessor last reported', async () => {
    const old = await connect('hongdae');
    old.hello('hongdae', 0, { mode: 'lockdown', fireActive: false });
    expect((await old.next('welcome')).siteRecord).toEqual({ mode: 'normal', fireActive: false });
    old.heartbeat({ mode: 'emergency-unlock', fireActive: true });
    await old.next('time');
    old.close();
    // The old gateway is gone; a new one with an empty data dir says hello as `normal`.
    const fresh = await connect('hongdae');
    fresh.hello('hongdae', 0, { mode: 'normal', fireActive: false });
    expect((await fresh.next('welcome')).siteRecord).toEqual({ mode: 'emergency-unlock', fireActive: true });
  });

  it('takes an executed mode command into the record at once, not at the next heartbeat', async () => {
    const edge = await connect('yeouido');
    edge.hello('yeouido', 0, { mode: 'lockdown' });
    await edge.next('welcome');
    const token = await t.token('hq@demo.local');
    const res = await t.api('POST', '/api/v1/sites/yeouido/mode', { token, body: { mode: 'normal', reason: 'all clear' } });
    const { id } = (await res.json()) as { id: string };
    await edge.next('command', (m) => m.command.id === id);
    edge.send({ type: 'command.outcome', outcome: { commandId: id, status: 'executed', ts: Date.now() } });
    await vi.waitFor(async () => expect(await t.cloud.ctx.status.reportedState('demo', 'yeouido')).toEqual({ mode: 'normal', fireActive: false }));
    edge.close();
    const again = await connect('yeouido');
    again.hello('yeouido', 0, { mode: 'normal' });
    expect((await again.next('welcome')).siteRecord).toEqual({ mode: 'normal', fireActive: false });
  });
});

describe('command expiry', () => {
  const user: UserPrincipal = { kind: 'user', userId: 'u1', role: 'hq-operator', tenantId: 'demo', siteIds: [], name: 'hq' };

  it('gives the edge the life minus the allowance and says expired only after both, whatever comes late', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const sent: unknown[] = [];
    const hub = { deliver: async (_t: string, _s: string, m: unknown) => (sent.push(m) > 0 ? 'sent' : 'dropped') } as unknown as LinkHub;
    const { commandsStore, audit, metrics } = t.cloud.ctx;
    const service = new CommandService(commandsStore, audit, hub, metrics, 10_000);
    const issued = Date.now();
    const cmd = await service.issue(user, 'gangnam', { kind: 'mode', mode: 'lockdown' }, 'drill', 'test');
    expect(sent[0]).toMatchObject({ type: 'command', command: { id: cmd.id, ttlMs: 10_000 - ROUND_TRIP_ALLOWANCE_MS, expiresAt: issued + 10_000 - ROUND_TRIP_ALLOWANCE_MS } });
    // Past the edge's deadline the outcome may still be on its way: not expired yet.
    vi.advanceTimersByTime(10_000 - ROUND_TRIP_ALLOWANCE_MS + 1);
    expect((await service.get(cmd.id))!.status).toBe('sent');
    vi.advanceTimersByTime(ROUND_TRIP_ALLOWANCE_MS);
    expect((await service.get(cmd.id))!.status).toBe('expired');
    await service.outcome('demo', 'gangnam', { commandId: cmd.id, status: 'executed', ts: Date.now() });
    expect((await service.get(cmd.id))!.status).toBe('expired');
    service.close();
  });
});

describe('permission snapshots by bytes', () => {
  it('sends 20,000 members in parts well under the message limit that add up to all of them', async () => {
    const bulk: CloudMember[] = Array.from({ length: 20_000 }, (_, i) => ({
      id: `bulk-${i}`,
      name: `Bulk member ${i}`,
      active: true,
      credentials: [{ type: 'card', value: `bulk-card-${i}` }],
      grants: [{ zoneIds: ['lobby', 'office'], siteIds: ['gangnam'] }],
      secureMode: false,
      offlineWhitelist: false,
    }));
    const version = await t.cloud.ctx.members.upsert('demo', bulk);
    const edge = await connect('gangnam');
    const sizes: number[] = [];
    edge.ws.on('message', (data: Buffer) => sizes.push(data.byteLength));
    edge.hello('gangnam');
    const snapshot = await edge.permissions(0, 15_000);
    expect(snapshot).toMatchObject({ kind: 'snapshot', version });
    expect(snapshot.upserts.filter((m) => m.id.startsWith('bulk-'))).toHaveLength(20_000);
    const parts = edge.received.filter((m) => m.type === 'permissions');
    expect(parts.length).toBeGreaterThan(3);
    expect(parts.every((p) => p.type === 'permissions' && p.kind === 'snapshot' && p.version === version && p.chunk?.count === parts.length)).toBe(true);
    expect(Math.max(...sizes)).toBeLessThan(MAX_WS_MESSAGE_BYTES / 2 + 1024);
  });
});
