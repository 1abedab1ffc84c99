import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as awarenessProtocol from 'y-protocols/awareness';
import type { WebsocketProvider } from 'y-websocket';
import { SiteDoc, liveTelemetryOf, siteDocName } from '@cr/shared';
import { eventually, startTestCloud, type TestCloud } from '../testing/test-cloud';
import { edgeHealth, startEdgeProcess, type EdgeProcess } from '../testing/edge-process';
import { MqttDevices } from '../testing/mqtt-devices';
import { connectProvider, whenSynced } from '../testing/sync-clients';

/**
 * A real edge process against a real cloud: readings of an environment sensor travel as the
 * gateway's live presence on the site document, to cloud consoles and to consoles on the site LAN,
 * and never become stored document updates; a door's lock still does.
 */
const SITE = 'gangnam';
const DOC = siteDocName('demo', SITE);
let t: TestCloud;
let edge: EdgeProcess | undefined;
let devices: MqttDevices | undefined;
let edgeDir: string;
let cloudUrl: string;
const providers: WebsocketProvider[] = [];

const live = (p: WebsocketProvider) => liveTelemetryOf(p.awareness.getStates().values());
const rows = async (): Promise<number> => {
  await t.cloud.ctx.docs.settled();
  return (await t.cloud.ctx.stores.docUpdates.stats(DOC)).rows;
};
const open = async (baseUrl: string, token: string): Promise<WebsocketProvider> => {
  const p = connectProvider(baseUrl, DOC, token);
  providers.push(p);
  await whenSynced(p);
  return p;
};

/** Waits until the cloud's copy of the document has taken no update for `quietMs`. */
const documentQuiet = async (quietMs: number): Promise<void> => {
  const { doc } = await t.cloud.ctx.docs.open(DOC);
  let last = Date.now();
  const touch = () => (last = Date.now());
  doc.on('update', touch);
  try {
    await eventually(() => Date.now() - last >= quietMs, 15_000, 'site document quiet');
  } finally {
    doc.off('update', touch);
  }
};

beforeAll(async () => {
  t = await startTestCloud();
  cloudUrl = (await t.cloud.listen(0)).url;
  edgeDir = mkdtempSync(join(tmpdir(), 'edge-telemetry-'));
  edge = await startEdgeProcess({ siteId: SITE, cloudUrl, token: t.cloud.demoEdgeTokens[SITE]!, dataDir: edgeDir, flags: ['--state-write-ms', '50'] });
  devices = await MqttDevices.connect(edge.mqttUrl, SITE);
  await eventually(async () => (await edgeHealth(edge!)).cloud === 'connected', 20_000, 'edge connected');
  await devices.announce({ id: 'env-lounge', kind: 'env', name: 'Lounge climate', zoneId: 'lounge' });
  await devices.announce({ id: 'door-lobby', kind: 'door', name: 'Lobby door', zoneId: 'lobby' });
  await devices.state('door-lobby', { locked: true, open: false });
  // A device heard from is online: that availability is durable and is stored before the burst.
  await devices.state('env-lounge', { temperatureC: 19, humidityPct: 45 });
  await eventually(
    () =>
      t.cloud.ctx.docs.read(DOC, (d) => {
        const site = new SiteDoc(d);
        return site.deviceState('door-lobby')?.state.locked === true && site.device('env-lounge')?.online === true;
      }),
    10_000,
    'devices in the cloud’s copy',
  );
}, 60_000);

afterAll(async () => {
  for (const p of providers) p.destroy();
  await devices?.close();
  await edge?.service.stop();
  await t?.close();
  if (edgeDir) rmSync(edgeDir, { recursive: true, force: true });
});

describe('telemetry off the document', () => {
  it('shows a burst of readings to consoles in the cloud and on the LAN without storing a document update', { timeout: 60_000 }, async () => {
    const hq = await open(cloudUrl, await t.token('hq@demo.local'));
    const res = await t.api('POST', '/api/v1/auth/lan-token', { token: await t.token('gangnam.manager@demo.local') });
    const lan = await open(edge!.httpUrl, ((await res.json()) as { token: string }).token);
    // The edge's own start-up writes (its permission cache turning fresh clears an alert) land first.
    await documentQuiet(1_000);
    const before = await rows();
    const changed: string[] = [];
    const watch = (_u: Uint8Array, _o: unknown, _d: unknown, tr: { changed: Map<{ _item: unknown }, Set<string | null>> }) =>
      changed.push(...[...tr.changed.values()].flatMap((keys) => [...keys].map(String)));
    (await t.cloud.ctx.docs.open(DOC)).doc.on('update', watch);

    for (let i = 0; i < 40; i++) {
      await devices!.state('env-lounge', { temperatureC: 20 + i / 10, humidityPct: 45 });
      await new Promise((r) => setTimeout(r, 25));
    }
    await eventually(() => live(hq)['env-lounge']?.state.temperatureC === 23.9, 5_000, 'last reading at the HQ console');
    await eventually(() => live(lan)['env-lounge']?.state.temperatureC === 23.9, 5_000, 'last reading at the LAN console');
    await new Promise((r) => setTimeout(r, 1_200));
    expect(changed).toEqual([]);
    expect(await rows()).toBe(before);
    expect(await t.cloud.ctx.docs.read(DOC, (d) => new SiteDoc(d).deviceState('env-lounge'))).toBeUndefined();

    // The reports' time series holds the burst as per-minute aggregates.
    await t.cloud.ctx.telemetry.flush(Number.POSITIVE_INFINITY);
    const series = await t.cloud.ctx.stores.telemetryMinutes.series('demo', SITE, 'env-lounge', 0, Date.now() + 60_000);
    const temperature = series.filter((m) => m.field === 'temperatureC');
    expect(temperature.reduce((n, m) => n + m.count, 0)).toBeGreaterThanOrEqual(2);
    expect(Math.max(...temperature.map((m) => m.max))).toBe(23.9);

    // A door's lock is durable state: it is stored.
    await devices!.state('door-lobby', { locked: false, open: false });
    await eventually(
      () => t.cloud.ctx.docs.read(DOC, (d) => new SiteDoc(d).deviceState('door-lobby')?.state.locked === false),
      5_000,
      'unlock in the cloud’s copy',
    );
    await new Promise((r) => setTimeout(r, 300));
    expect(await rows()).toBe(before + 1);
  });

  it('never lets a console’s presence pass for the gateway’s telemetry', { timeout: 30_000 }, async () => {
    const token = await t.token('hq@demo.local');
    const [liar, watcher] = [await open(cloudUrl, token), await open(cloudUrl, token)];
    await eventually(() => live(watcher)['env-lounge'], 5_000, 'gateway telemetry at the watcher');
    const real = live(watcher)['env-lounge']!.state.temperatureC;
    liar.awareness.setLocalState({ user: 'hq', telemetry: { 'env-lounge': { state: { temperatureC: 99 }, ts: Date.now() + 60_000 } } });
    // The liar's ordinary presence that follows still arrives, so the forged one had its chance.
    await new Promise((r) => setTimeout(r, 300));
    liar.awareness.setLocalState({ user: 'hq', viewing: 'floor-plan' });
    await eventually(() => watcher.awareness.getStates().get(liar.awareness.clientID)?.viewing === 'floor-plan', 5_000, 'ordinary presence relayed');
    expect(live(watcher)['env-lounge']?.state.temperatureC).toBe(real);
    const room = (await t.cloud.ctx.docs.open(DOC)).room;
    expect([...room.awareness.getStates().values()].filter((s) => 'telemetry' in s)).toHaveLength(1);
    awarenessProtocol.removeAwarenessStates(liar.awareness, [liar.awareness.clientID], 'test');
  });
});
