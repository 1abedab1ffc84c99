import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SiteEvent } from '@cr/shared';
import { startTestCloud, type TestCloud } from '../../testing/test-cloud';
import { TestEdge } from '../../testing/edge-client';

let t: TestCloud;
let url: string;
beforeAll(async () => {
  t = await startTestCloud();
  url = (await t.cloud.listen(0)).url;
});
afterAll(() => t.close());

interface Audit {
  id: string;
  ts: number;
  actor: string;
  action: string;
  target: string;
  result: string;
  source?: string;
  details?: Record<string, unknown>;
}

const audit = async (): Promise<Audit[]> =>
  (await (
    await t.api('GET', '/api/v1/audit?siteId=gangnam&limit=1000', { token: await t.token('hq@demo.local') })
  ).json()) as Audit[];

const ofEvents = (records: Audit[], events: SiteEvent[]) =>
  records.filter((r) => events.some((e) => r.details?.eventId === e.id));

const ev = (type: string, ts: number, data?: Record<string, unknown>, deviceId?: string): SiteEvent => ({
  id: randomUUID(),
  type,
  ts,
  ...(deviceId ? { deviceId } : {}),
  ...(data ? { data } : {}),
});

/** What the edge records (edge/src: gateway/mode-controller, commands/executor, device-events). */
function fireSequence(at: number): SiteEvent[] {
  const lanCommand = {
    commandId: randomUUID(),
    source: 'local',
    target: { kind: 'door', doorId: 'door-lobby', action: 'lock' },
    reason: 'closing up',
    issuedBy: 'gangnam.manager',
    issuerName: 'Gangnam Manager',
    issuerRole: 'site-manager',
  };
  const reset = {
    ...lanCommand,
    commandId: randomUUID(),
    target: { kind: 'mode', mode: 'normal' },
    reason: 'all clear',
  };
  return [
    ev('fire.alarm', at, undefined, 'fire-panel'),
    ev('mode.changed', at + 1, { from: 'normal', to: 'emergency-unlock', fireActive: true, by: 'fire-panel', byDevice: true }),
    ev('access.granted', at + 2, { reason: 'site-mode', memberId: 'member-0001' }, 'reader-lobby'),
    ev('command.received', at + 3, lanCommand, 'door-lobby'),
    ev(
      'command.rejected',
      at + 4,
      { ...lanCommand, error: 'doors stay unlocked until the fire state is reset' },
      'door-lobby',
    ),
    ev('command.executed', at + 5, reset),
    ev('mode.changed', at + 6, { from: 'emergency-unlock', to: 'normal', fireActive: false, by: 'gangnam.manager', byDevice: false }),
    ev('fire.alarm', at + 7, undefined, 'door-lobby'),
  ];
}

describe('edge events in the audit log', () => {
  it('records the safety sequence that happened at the edge, once, at the time it happened', async () => {
    const edge = await TestEdge.connect(url, t.cloud.demoEdgeTokens.gangnam!);
    edge.hello('gangnam');
    await edge.next('welcome');
    const at = Date.now() - 3_600_000;
    const events = fireSequence(at);
    edge.send({ type: 'events', batchId: 'fire-1', events });
    await edge.next('events.ack', (m) => m.batchId === 'fire-1');
    // A batch re-sent after a lost ack, and the same events inside a later batch.
    edge.send({ type: 'events', batchId: 'fire-1', events });
    edge.send({
      type: 'events',
      batchId: 'fire-2',
      events: [...events.slice(2), ev('motion', at, undefined, 'pir-lobby')],
    });
    await edge.next('events.ack', (m) => m.batchId === 'fire-2');
    edge.close();

    const records = ofEvents(await audit(), events).sort((a, b) => a.ts - b.ts);
    expect(records.map((r) => [r.actor, r.action, r.target, r.result, r.source])).toEqual([
      ['device:fire-panel', 'fire.alarm', 'gangnam/fire-panel', 'raised', 'edge'],
      ['device:fire-panel', 'mode.changed', 'gangnam:emergency-unlock', 'changed', 'edge'],
      ['gangnam.manager', 'door.lock', 'gangnam/door-lobby', 'rejected', 'edge-lan'],
      ['gangnam.manager', 'site.mode', 'gangnam:normal', 'executed', 'edge-lan'],
      ['gangnam.manager', 'mode.changed', 'gangnam:normal', 'changed', 'edge'],
      ['device:door-lobby', 'fire.alarm', 'gangnam/door-lobby', 'ignored: door is not a fire panel', 'edge'],
    ]);
    expect(records[0]!.ts).toBe(at);
    expect(records[2]!.details).toMatchObject({
      via: 'lan',
      actorName: 'Gangnam Manager',
      issuerRole: 'site-manager',
      error: expect.stringMatching(/unlocked/),
    });
  });

  it('names the issuer of a cloud command executed at the edge, and the edge when data is missing', async () => {
    const edge = await TestEdge.connect(url, t.cloud.demoEdgeTokens.gangnam!);
    edge.hello('gangnam');
    await edge.next('welcome');
    const events = [
      ev('command.executed', Date.now(), {
        commandId: randomUUID(),
        source: 'cloud',
        target: { kind: 'door', doorId: 'door-office', action: 'pulse-unlock', durationMs: 3000 },
        reason: 'courier',
        issuedBy: 'hq',
        issuerName: 'HQ Operator',
        issuerRole: 'hq-operator',
      }),
      ev('command.failed', Date.now(), { error: 'no answer from the door' }),
      ev('mode.changed', Date.now(), { from: 'normal', to: 'secure' }),
      // A person's emergency-unlock during a fire: their account id is id-shaped, like a panel's.
      ev('mode.changed', Date.now(), { from: 'emergency-unlock', to: 'emergency-unlock', fireActive: true, by: 'hq', byDevice: false }),
    ];
    edge.send({ type: 'events', batchId: 'cmd-1', events });
    await edge.next('events.ack', (m) => m.batchId === 'cmd-1');
    edge.close();
    const records = ofEvents(await audit(), events);
    expect(records).toHaveLength(4);
    expect(records).toContainEqual(
      expect.objectContaining({
        actor: 'hq',
        action: 'door.pulse-unlock',
        result: 'executed',
        source: 'edge',
        details: expect.objectContaining({ actorName: 'HQ Operator' }),
      }),
    );
    expect(records).toContainEqual(
      expect.objectContaining({ actor: 'hq', action: 'mode.changed', target: 'gangnam:emergency-unlock' }),
    );
    expect(records).toContainEqual(
      expect.objectContaining({ actor: 'edge:gangnam', action: 'command', result: 'failed' }),
    );
    expect(records).toContainEqual(
      expect.objectContaining({ actor: 'edge:gangnam', action: 'mode.changed', target: 'gangnam:secure' }),
    );
  });
});
