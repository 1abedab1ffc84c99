import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startTestCloud, type TestCloud } from '../testing/test-cloud';
import { edgeHealth, startEdgeProcess, type EdgeProcess } from '../testing/edge-process';
import { MqttDevices } from '../testing/mqtt-devices';

/**
 * A real edge process (edge/src/main.ts, embedded broker) against a real cloud listening on port 0:
 * grant changes made through the members API reach the edge's access decisions, and device events
 * travel up exactly once although the edge is killed (-9) mid-stream and restarted on its data dir.
 */
const SITE = 'gangnam';
let t: TestCloud;
let cloudUrl: string;
let edgeDir: string;
let edge: EdgeProcess | undefined;
let devices: MqttDevices | undefined;

async function bootEdge(): Promise<void> {
  edge = await startEdgeProcess({
    siteId: SITE,
    cloudUrl,
    token: t.cloud.demoEdgeTokens[SITE]!,
    dataDir: edgeDir,
    // small batches, so a kill lands between uploads rather than after the last one
    flags: ['--batch-size', '5', '--reconnect-min-ms', '100', '--reconnect-max-ms', '500'],
  });
  devices = await MqttDevices.connect(edge.mqttUrl, SITE);
  await eventually(
    async () => {
      const h = await edgeHealth(edge!);
      return h.cloud === 'connected' && h.permissionsSyncedAt !== null;
    },
    15_000,
    'edge connected with permissions',
  );
}

const failWithLogs = (err: unknown): never => {
  throw new Error(`${(err as Error).message}\n--- edge output ---\n${edge?.lines.slice(-40).join('\n') ?? ''}`);
};

beforeAll(async () => {
  t = await startTestCloud();
  cloudUrl = (await t.cloud.listen(0)).url;
  edgeDir = mkdtempSync(join(tmpdir(), 'edge-it-'));
  await bootEdge().catch(failWithLogs);
  await devices!.announce({ id: 'door-lobby', kind: 'door', name: 'Lobby door', zoneId: 'lobby' });
  await devices!.announce({
    id: 'reader-lobby',
    kind: 'reader',
    name: 'Lobby reader',
    zoneId: 'lobby',
    doorId: 'door-lobby',
  });
  await devices!.announce({ id: 'pir-lobby', kind: 'pir', name: 'Lobby motion', zoneId: 'lobby' });
}, 60_000);

afterAll(async () => {
  await devices?.close();
  await edge?.service.stop();
  await t?.close();
  if (edgeDir) rmSync(edgeDir, { recursive: true, force: true });
});

/** Swipes until the edge answers as expected; returns how long the change took to arrive. */
async function untilDecision(card: string, granted: boolean, since: number): Promise<number> {
  await eventually(
    async () => (await devices!.swipe('reader-lobby', card)).granted === granted,
    5000,
    `${card} ${granted ? 'granted' : 'denied'}`,
  );
  return Date.now() - since;
}

/** How often the cloud's events API lists each event id of a type (all pages). */
async function countsInCloud(type: string): Promise<Map<string, number>> {
  const hq = await t.token('hq@demo.local');
  const seen = new Map<string, number>();
  let cursor: string | undefined;
  do {
    const q = `type=${type}&limit=1000${cursor ? `&cursor=${cursor}` : ''}`;
    const page = (await (await t.api('GET', `/api/v1/sites/${SITE}/events?${q}`, { token: hq })).json()) as {
      items: Array<{ id: string }>;
      nextCursor?: string;
    };
    for (const e of page.items) seen.set(e.id, (seen.get(e.id) ?? 0) + 1);
    cursor = page.nextCursor;
  } while (cursor);
  return seen;
}

describe('edge process ↔ cloud', () => {
  it('applies grant changes from the members API to access decisions within 5 s', async () => {
    const admin = await t.token('admin@demo.local');
    expect(await devices!.swipe('reader-lobby', 'card-0007')).toMatchObject({ granted: true, reason: 'granted' });
    expect(await devices!.swipe('reader-lobby', 'card-it-new')).toMatchObject({ granted: false });

    const revokedAt = Date.now();
    expect((await t.api('DELETE', '/api/v1/members/member-0007', { token: admin })).status).toBe(204);
    const revokeMs = await untilDecision('card-0007', false, revokedAt).catch(failWithLogs);
    expect(await devices!.swipe('reader-lobby', 'card-0007')).toMatchObject({ reason: 'unknown-credential' });

    const grantedAt = Date.now();
    const member = {
      active: true,
      credentials: [{ type: 'card', value: 'card-it-new' }],
      grants: [{ zoneIds: ['lobby'] }],
      secureMode: false,
      offlineWhitelist: false,
    };
    expect((await t.api('PUT', '/api/v1/members/member-it-new', { token: admin, body: member })).status).toBe(200);
    const grantMs = await untilDecision('card-it-new', true, grantedAt).catch(failWithLogs);
    expect(Math.max(revokeMs, grantMs)).toBeLessThan(5000);

    // A member granted only at another site never reaches this edge: once a later change arrived,
    // their card is still unknown here.
    const elsewhere = { ...member, credentials: [{ type: 'card', value: 'card-it-hongdae' }] };
    const onlyHongdae = { ...elsewhere, grants: [{ zoneIds: ['lobby'], siteIds: ['hongdae'] }] };
    expect((await t.api('PUT', '/api/v1/members/member-it-hongdae', { token: admin, body: onlyHongdae })).status).toBe(
      200,
    );
    const later = { ...member, credentials: [{ type: 'card', value: 'card-it-later' }] };
    expect((await t.api('PUT', '/api/v1/members/member-it-later', { token: admin, body: later })).status).toBe(200);
    await untilDecision('card-it-later', true, Date.now()).catch(failWithLogs);
    expect(await devices!.swipe('reader-lobby', 'card-it-hongdae')).toMatchObject({
      granted: false,
      reason: 'unknown-credential',
    });
    console.log(`grant change → edge decision: revoke ${revokeMs} ms, new grant ${grantMs} ms`);
  }, 20_000);

  it('uploads device events exactly once across a kill -9 and restart of the edge', async () => {
    const run = Math.floor(Math.random() * 0xffffff)
      .toString(16)
      .padStart(6, '0');
    const ids = Array.from({ length: 80 }, (_, i) => `${run}00-0000-4000-8000-${String(i).padStart(12, '0')}`);
    const publish = (range: string[]) =>
      Promise.all(
        range.map((id, i) => devices!.event('pir-lobby', { id, type: 'motion', ts: Date.now(), data: { n: i } })),
      );
    const stored = () =>
      (
        t.cloud.ctx.sqlite!.db.prepare("SELECT COUNT(*) AS n FROM events WHERE site_id = ? AND type = 'motion'").get(SITE) as {
          n: number;
        }
      ).n;

    // First half acknowledged by the broker: in the edge's outbox. Kill as soon as uploads begin.
    await publish(ids.slice(0, 50));
    await eventually(() => stored() > 0, 5000, 'first uploads').catch(failWithLogs);
    await edge!.service.kill();
    const atKill = stored();
    await devices!.close();

    await bootEdge().catch(failWithLogs);
    // The devices never heard back about some events (the broker died): they send them again,
    // alongside the rest of the stream.
    await publish(ids.slice(30));
    const drained = () => eventually(async () => (await edgeHealth(edge!)).outboxDepth === 0, 8000, 'outbox drained');
    await drained().catch(failWithLogs);
    const afterRestart = await countsInCloud('motion');
    expect(ids.filter((id) => afterRestart.get(id) !== 1)).toEqual([]);

    // Devices that re-send events the restarted edge already uploaded: none is stored twice, whether
    // the edge recognises the replay itself (its replay window) or the cloud does (its unique index).
    const duplicates = async () => (await t.cloud.ctx.metrics.eventsDuplicate.get()).values[0]?.value ?? 0;
    const edgeReplays = async () => {
      const text = await (await fetch(`${edge!.httpUrl}/metrics`)).text();
      return Number(/edge_malformed_messages_total\{kind="replay"\} (\d+)/.exec(text)?.[1] ?? 0);
    };
    const recognised = async () => (await duplicates()) + (await edgeReplays());
    const before = await recognised();
    await publish(ids.slice(0, 20));
    await eventually(async () => (await recognised()) >= before + 20, 8000, 'replays recognised').catch(failWithLogs);
    await drained().catch(failWithLogs);
    const final = await countsInCloud('motion');
    expect(final.size).toBe(ids.length);
    expect([...final.values()].every((n) => n === 1)).toBe(true);
    console.log(`${atKill}/50 events in the cloud at the kill; every one of ${ids.length} stored once`);
  }, 60_000);

  it('puts a fire at the edge and the LAN commands around it into the cloud audit log', async () => {
    await devices!.announce({ id: 'fire-panel', kind: 'fire-panel', name: 'Fire panel', zoneId: 'lobby' });
    const manager = await t.token('gangnam.manager@demo.local');
    const lan = (await (await t.api('POST', '/api/v1/auth/lan-token', { token: manager })).json()) as { token: string };
    const local = async (path: string, body: unknown) => {
      const res = await fetch(`${edge!.httpUrl}/api/v1/sites/${SITE}/${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${lan.token}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      expect(res.status).toBe(202);
    };
    await devices!.event('fire-panel', { id: randomUUID(), type: 'fire.alarm', ts: Date.now() });
    await eventually(async () => (await edgeHealth(edge!)).mode === 'emergency-unlock', 3000, 'emergency-unlock');
    await local('doors/door-lobby/commands', { action: 'lock', reason: 'closing up' });
    // The panel is reset first: the edge refuses a fire reset while a panel still reports the alarm.
    await devices!.event('fire-panel', { id: randomUUID(), type: 'fire.clear', ts: Date.now() });
    await local('mode', { mode: 'normal', reason: 'all clear' });

    const hq = await t.token('hq@demo.local');
    const wanted: Array<[string, string, string, string]> = [
      ['device:fire-panel', 'fire.alarm', `${SITE}/fire-panel`, 'raised'],
      ['device:fire-panel', 'mode.changed', `${SITE}:emergency-unlock`, 'changed'],
      // LAN commands under the account id (the name is in details.actorName), as cloud commands.
      ['gangnam.manager', 'door.lock', `${SITE}/door-lobby`, 'rejected'],
      ['device:fire-panel', 'fire.clear', `${SITE}/fire-panel`, 'cleared'],
      ['gangnam.manager', 'site.mode', `${SITE}:normal`, 'executed'],
      ['gangnam.manager', 'mode.changed', `${SITE}:normal`, 'changed'],
    ];
    const rows = await eventually(
      async () => {
        const all = (await (await t.api('GET', `/api/v1/audit?siteId=${SITE}`, { token: hq })).json()) as Array<{
          actor: string;
          action: string;
          target: string;
          result: string;
          ts: number;
          source?: string;
        }>;
        const found = all
          .filter(
            (r) => !r.action.startsWith('alert.') && (r.source?.startsWith('edge') || r.actor.startsWith('device:')),
          )
          .sort((a, b) => a.ts - b.ts)
          .map((r) => [r.actor, r.action, r.target, r.result]);
        return wanted.every((w) => found.some((f) => JSON.stringify(f) === JSON.stringify(w))) ? found : undefined;
      },
      8000,
      'the fire sequence in the audit log',
    ).catch(failWithLogs);
    // Nothing else and nothing twice (a mode change and its command share a millisecond: no order check).
    expect(rows.map((r) => JSON.stringify(r)).sort()).toEqual(wanted.map((w) => JSON.stringify(w)).sort());
  }, 20_000);
});
