import fc from 'fast-check';
import { siteDocName } from '@cr/shared';
import type { FakeCloud } from '../support/fake-cloud';
import { waitFor } from '../support/wait';
import { observeEffects, type Effects } from './effects';
import type { FuzzSite, FuzzSize } from './fuzz-site';
import { readHealth, watchLiveness } from './health';
import { fetchRequests } from './http-inputs';
import { rawRequests } from './http-raw-inputs';
import { sendHttp } from './http-surface';
import { rawMqttFrames } from './mqtt-frames';
import { mqttPublishes } from './mqtt-inputs';
import { MqttLane, sendRawMqtt } from './mqtt-surface';
import { ProbeDevice } from './probe-device';
import { SiteWatch, type Delivery } from './site-watch';
import { FuzzStats } from './stats';
import { EdgeTarget, type Crash } from './target';
import { EdgeGone } from './up';
import { wsInputs } from './ws-inputs';
import { sendWs } from './ws-surface';

export interface FuzzOptions {
  seed: number;
  size: FuzzSize;
  /** link the edge to a fake cloud (members, signing key); default true */
  withCloud?: boolean;
  /** respawn the edge after this many crashes at most; default 3 */
  maxCrashes?: number;
  log?: (line: string) => void;
}

export interface FuzzReport {
  seed: number;
  siteId: string;
  size: FuzzSize;
  withCloud: boolean;
  stats: FuzzStats;
  crashes: Crash[];
  /** forged messages the long-lived `cr/{site}/#` subscriber received */
  forgedDeliveries: Delivery[];
  effects: Effects;
  ms: number;
}

/** fast-check values from a fixed seed, drawn 100 at a time so event timestamps stay near "now". */
function* sampled<T>(arb: fc.Arbitrary<T>, seed: number): Generator<T> {
  for (let chunk = 0; ; chunk++) yield* fc.sample(arb, { seed: (seed + chunk * 0x9e3779b1) | 0, numRuns: 100 });
}

/** Runs `lanes` concurrent senders over one input stream until `more()` says stop or the edge is gone. */
async function drain<T>(
  inputs: Iterator<T>,
  lanes: number,
  more: () => boolean,
  send: (input: T, lane: number) => Promise<void>,
): Promise<void> {
  await Promise.all(
    Array.from({ length: lanes }, async (_, lane) => {
      try {
        while (more()) await send(inputs.next().value as T, lane);
      } catch (err) {
        if (!(err instanceof EdgeGone)) throw err;
      }
    }),
  );
}

async function fuzzSite(siteId: string, seed: number, cloud: FakeCloud | undefined): Promise<FuzzSite> {
  const tenantId = cloud?.tenantId ?? 'demo';
  const now = Math.floor(Date.now() / 1000);
  const signed = cloud
    ? await Promise.all([
        cloud.sign({
          typ: 'access',
          sub: 'u-x',
          role: 'tenant-admin',
          tenantId: 'other-tenant',
          siteIds: [siteId],
          iat: now,
          exp: now + 3600,
          jti: 'fz1',
        }),
        cloud.sign({
          typ: 'access',
          sub: 'u-x',
          role: 'tenant-admin',
          tenantId,
          siteIds: [siteId],
          iat: now - 7200,
          exp: now - 3600,
          jti: 'fz2',
        }),
        cloud.edgeToken(siteId),
        cloud.sign({
          typ: 'access',
          sub: 'u-v',
          role: 'vendor',
          tenantId,
          siteIds: [siteId],
          iat: now,
          exp: now + 3600,
          jti: 'fz3',
        }),
      ])
    : [];
  const docTokens = cloud
    ? await Promise.all([
        cloud.userToken('hq-operator'),
        cloud.userToken('site-manager', [siteId]),
        cloud.userToken('tenant-admin'),
      ])
    : [];
  const garbage = [
    'x',
    'a.b.c',
    'eyJhbGciOiJub25lIn0.eyJ0eXAiOiJhY2Nlc3MiLCJyb2xlIjoidGVuYW50LWFkbWluIn0.',
    `${'A'.repeat(40)}.${'B'.repeat(40)}.${'C'.repeat(86)}`,
    '%ZZ',
    'null',
  ];
  // The signed tokens must not work here either: another tenant, expired, an edge's token, a vendor (no door rights).
  return {
    siteId,
    tenantId,
    docName: siteDocName(tenantId, siteId),
    marker: `FZFORGED${seed.toString(36)}`,
    badTokens: [...garbage, ...signed],
    docTokens,
  };
}

/** One fuzz run against a real edge process: every surface at once, liveness all along, effects at the end. */
export async function runFuzz(o: FuzzOptions): Promise<FuzzReport> {
  const started = Date.now();
  const log = o.log ?? (() => undefined);
  const withCloud = o.withCloud ?? true;
  const siteId = `fz-${o.seed.toString(36)}`;
  const stats = new FuzzStats();
  const target = await EdgeTarget.start({ siteId, withCloud, maxCrashes: o.maxCrashes ?? 3 });
  target.suspects = () => stats.suspects();
  const site = await fuzzSite(siteId, o.seed, target.cloud);
  const watch = await SiteWatch.start(target.mqttUrl, siteId, site.marker);
  const probe = await ProbeDevice.start(target.mqttUrl, siteId, site.marker);
  const lanes = Array.from({ length: 4 }, (_, i) => new MqttLane(target, stats, `lane${i}`));
  try {
    await probe.register();
    if (withCloud)
      await waitFor(
        async () => (await readHealth(target.httpUrl, siteId)).health?.permissionsSyncedAt,
        'permissions from the fake cloud',
        15_000,
      );
    log(
      `edge ${siteId} up (mqtt ${target.mqttUrl}, http ${target.httpUrl}${withCloud ? `, cloud ${target.cloud!.url}` : ''})`,
    );
    const live = watchLiveness(target, stats);
    const going = (): boolean => !target.gaveUp;
    const ticker = setInterval(
      () =>
        log(
          `… mqtt ${stats.mqtt.inputs}, http ${stats.http.inputs}, ws ${stats.ws.inputs}, disconnects ${stats.clientDisconnects}, crashes ${target.crashes.length}`,
        ),
      10_000,
    );
    try {
      await Promise.all([
        drain(
          sampled(mqttPublishes(site), o.seed),
          lanes.length,
          () => going() && stats.mqttPublishes < o.size.mqtt,
          (input, lane) => lanes[lane]!.send(input),
        ),
        drain(
          sampled(rawMqttFrames(site), o.seed + 1),
          1,
          () => going() && stats.mqtt.inputs - stats.mqttPublishes < o.size.mqttRaw,
          (input) => sendRawMqtt(target, stats, input),
        ),
        drain(
          sampled(
            fc.oneof({ arbitrary: fetchRequests(site), weight: 7 }, { arbitrary: rawRequests(site), weight: 3 }),
            o.seed + 2,
          ),
          3,
          () => going() && stats.http.inputs < o.size.http,
          (input) => sendHttp(target, stats, input),
        ),
        drain(
          sampled(wsInputs(site), o.seed + 3),
          2,
          () => going() && stats.ws.inputs < o.size.ws,
          (input) => sendWs(target, stats, input),
        ),
      ]);
    } finally {
      clearInterval(ticker);
      await live.stop();
    }
    log(`inputs sent; checking effects`);
    const effects = target.gaveUp
      ? { alive: false, doorCommandsDuringFuzz: [...probe.commands], retainedForgeries: [] }
      : await observeEffects(target, probe, site.marker);
    return {
      seed: o.seed,
      siteId,
      size: o.size,
      withCloud,
      stats,
      crashes: target.crashes,
      forgedDeliveries: [...watch.forged],
      effects,
      ms: Date.now() - started,
    };
  } finally {
    await Promise.all([...lanes.map((l) => l.close()), watch.close(), probe.close()]);
    await target.stop();
  }
}
