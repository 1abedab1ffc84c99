import { setTimeout as sleep } from 'node:timers/promises';
import { waitFor } from '../support/wait';
import { GRANTED_CARD, PROBE } from './fuzz-site';
import { readHealth, type Health } from './health';
import type { ProbeAnswer, ProbeCommand, ProbeDevice } from './probe-device';
import { retainedForgeries, type Delivery } from './site-watch';
import type { EdgeTarget } from './target';

/** What the edge does after the fuzz, observed from outside the process. */
export interface Effects {
  alive: boolean;
  health?: Health;
  healthProblem?: string;
  /** commands door-fz received during the fuzz, forged ones excluded: must be none (no input may move it) */
  doorCommandsDuringFuzz: ProbeCommand[];
  unknownCard?: ProbeAnswer;
  /** with a cloud: the demo card's answer and the pulse-unlock door-fz received for it */
  grantedCard?: ProbeAnswer;
  pulse?: ProbeCommand;
  /** outboxDepth before and after one fresh event, with the cloud not acknowledging */
  outbox?: { before: number; after: number; uploaded?: boolean };
  outboxProblem?: string;
  /** forged messages a fresh subscriber got from the broker's retained store */
  retainedForgeries: Delivery[];
  /** diagnostics for a failed check: the site as the edge's LAN API shows it, the end of its stderr */
  siteMeta?: Record<string, unknown>;
  stderrTail?: string;
}

/** `GET /api/v1/site` with a valid token: meta (time zone, mode) the edge decides with. */
async function siteMeta(target: EdgeTarget): Promise<Record<string, unknown> | undefined> {
  if (!target.cloud) return undefined;
  const res = await fetch(`${target.httpUrl}/api/v1/site`, {
    headers: { authorization: `Bearer ${await target.cloud.userToken('hq-operator')}` },
  }).catch(() => undefined);
  if (!res?.ok) return undefined;
  const { zones: _z, devices: _d, ...meta } = (await res.json()) as Record<string, unknown>;
  return meta;
}

/** Waits until outboxDepth reads the same for a while (the run's last inputs and uploads have settled). */
async function settledDepth(target: EdgeTarget): Promise<number> {
  let last = -1;
  let same = 0;
  for (let i = 0; i < 80 && same < 3; i++) {
    const { health } = await readHealth(target.httpUrl, target.siteId);
    const depth = health?.outboxDepth ?? -2;
    same = depth === last ? same + 1 : 0;
    last = depth;
    await sleep(200);
  }
  return last;
}

/** Exactly one more row for one fresh valid event (the cloud holds back its acknowledgements meanwhile). */
async function outboxGrowsByOne(target: EdgeTarget, probe: ProbeDevice): Promise<Effects['outbox']> {
  const cloud = target.cloud;
  if (cloud) cloud.ack = false;
  try {
    const before = await settledDepth(target);
    const id = await probe.event();
    const after = (await readHealth(target.httpUrl, target.siteId)).health?.outboxDepth ?? -1;
    const uploaded = cloud
      ? await waitFor(() => cloud.events.has(id), 'the fresh event at the cloud').then(
          () => true,
          () => false,
        )
      : undefined;
    return { before, after, uploaded };
  } finally {
    if (cloud) cloud.ack = true;
  }
}

/** The checks after the run: health, the probe door's history, two swipes, the outbox, retained forgeries. */
export async function observeEffects(target: EdgeTarget, probe: ProbeDevice, marker: string): Promise<Effects> {
  const doorCommandsDuringFuzz = [...probe.commands];
  const effects: Effects = { alive: target.alive, doorCommandsDuringFuzz, retainedForgeries: [] };
  if (!target.alive) return effects;
  const h = await readHealth(target.httpUrl, target.siteId);
  effects.health = h.health;
  effects.healthProblem = h.problem;
  effects.unknownCard = await probe.swipe(`card-unknown-${target.siteId}`);
  if (target.cloud) {
    const swipedAt = Date.now();
    effects.grantedCard = await probe.swipe(GRANTED_CARD);
    effects.pulse = await waitFor(
      () => probe.commands.find((c) => c.at >= swipedAt && c.action === 'pulse-unlock'),
      `pulse-unlock of ${PROBE.doorId}`,
    ).catch(() => undefined);
  }
  try {
    effects.outbox = await outboxGrowsByOne(target, probe);
  } catch (err) {
    effects.outboxProblem = (err as Error).message;
  }
  effects.retainedForgeries = await retainedForgeries(target.mqttUrl, target.siteId, marker);
  effects.siteMeta = await siteMeta(target);
  effects.stderrTail = target.stderr.slice(-1_500);
  effects.alive = target.alive;
  return effects;
}
