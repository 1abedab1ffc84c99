import fc from 'fast-check';
import { DEVICE_EVENT_TYPES } from '@cr/shared';
import { PROBE } from './fuzz-site';
import { hostileJson, nastyString } from './payloads';

/**
 * Payload arbitraries per device→edge channel (CONTRACT.md §2, §6): mostly valid-looking, with the
 * odd field wrong. Device ids come from a small pool so configs, states and events meet each other.
 */

export const POOL = Array.from({ length: 24 }, (_, i) => `dev-${i}`);
/**
 * Ids the generators announce as fire panels. They never raise an alarm (no `fire.alarm` event, no
 * `alarm: true` state): a real alarm legitimately opens every door, and the site must end the run in normal mode.
 */
export const PANELS = ['panel-0', 'panel-1', 'panel-2'];
const KINDS = ['door', 'reader', 'camera', 'pir', 'env', 'light', 'hvac', 'power', 'kiosk'] as const;
/** Event ids that recur across the run: every later copy is a replay. */
export const REPLAY_IDS = Array.from({ length: 8 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`);

const notProbe = (id: string): boolean => id !== PROBE.doorId && id !== PROBE.readerId;

/** A valid device id: mostly from the pool, sometimes fresh (which fills the registry towards its cap). */
export const deviceId = fc.oneof(
  { arbitrary: fc.constantFrom(...POOL), weight: 8 },
  {
    arbitrary: fc.stringMatching(/^[a-z0-9][a-z0-9._-]{0,63}$/).filter((id) => notProbe(id) && !PANELS.includes(id)),
    weight: 1,
  },
);

const ms = fc.oneof(
  { arbitrary: fc.constant(0), weight: 6 },
  { arbitrary: fc.integer({ min: -1e9, max: 1e9 }), weight: 2 },
  { arbitrary: fc.constantFrom(-1e13, 1e13, 0.5, -0.5), weight: 1 },
);
/** A timestamp near now, skewed, or not a timestamp at all. */
const ts = fc.oneof(
  { arbitrary: ms.map((skew) => Date.now() + skew), weight: 8 },
  {
    arbitrary: fc.constantFrom<unknown>(-1, 0, '1700000000000', null, Number.MAX_VALUE, Number.MAX_SAFE_INTEGER + 2),
    weight: 1,
  },
);
const json = (value: unknown): string => JSON.stringify(value);
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });

export const validConfig = fc
  .oneof(
    {
      arbitrary: fc.record({
        id: deviceId,
        kind: fc.constantFrom(...KINDS),
        name: fc.string({ minLength: 1, maxLength: 40 }),
        zoneId: maybe(fc.constantFrom('lobby', 'office', 'meeting', 'z-9')),
        doorId: maybe(fc.constantFrom(...POOL.slice(0, 6))),
        firmware: maybe(fc.string({ maxLength: 70 })),
        heldOpenLimitMs: maybe(fc.integer({ min: 0, max: 4_000_000 })),
      }),
      weight: 5,
    },
    {
      arbitrary: fc.record({
        id: fc.constantFrom(...PANELS),
        kind: fc.constant('fire-panel'),
        name: fc.constant('Fire panel'),
        zoneId: fc.constant('lobby'),
      }),
      weight: 1,
    },
  )
  .map((c) => ({ id: c.id, text: json(c) }));

/** Configs that must be refused: another device's id, unknown kinds, wrong types, hostile JSON. */
export const badConfig = fc.tuple(deviceId, fc.nat(5), nastyString, hostileJson).map(([id, variant, s, hostile]) => {
  const texts = [
    json({ id: PROBE.doorId, kind: 'door', name: 'spoof', zoneId: 'lobby' }),
    json({ id, kind: 'fire-panel ', name: 'x' }),
    json({ id, kind: 'toaster', name: s }),
    json({ id, kind: 'reader', name: 'r', doorId: s, credentialTypes: ['card', 'card', 'card', 'card', 'card'] }),
    json({ id: s, kind: 'door', name: '' }),
    hostile,
  ];
  return { id, text: texts[variant]! };
});

export const availability = fc.oneof(
  fc.constantFrom('online', 'offline', ' online\n', 'ONLINE', '', '"online"', 'online\u0000', 'offline offline'),
  nastyString,
);

export const state = fc.oneof(
  fc.record({ locked: fc.oneof(fc.boolean(), nastyString), open: fc.boolean(), ts }).map(json),
  fc.record({ temperatureC: fc.double(), humidityPct: fc.double(), co2ppm: fc.double(), ts }).map(json),
  fc.record({ motion: fc.boolean(), occupancy: fc.integer(), ts }).map(json),
  fc.record({ alarm: fc.boolean(), ts }).map(json),
  fc.jsonValue({ maxDepth: 3 }).map(json),
  hostileJson,
);

/** A state as the device on `deviceId` would send it; a fire panel's never says `alarm: true` (see PANELS). */
export function stateText(deviceId: string, text: string): string {
  return PANELS.includes(deviceId) ? text.replace(/"alarm":true/g, '"alarm":false') : text;
}

/** Device events: fresh ids, replayed ids, wrong ids; the types the edge acts on; skewed clocks. */
export const deviceEvent = fc.record({
  id: fc.oneof(
    { arbitrary: fc.uuid(), weight: 6 },
    { arbitrary: fc.constantFrom(...REPLAY_IDS), weight: 3 },
    { arbitrary: nastyString, weight: 1 },
  ),
  type: fc.oneof(
    { arbitrary: fc.constantFrom(...DEVICE_EVENT_TYPES), weight: 4 },
    { arbitrary: nastyString, weight: 1 },
  ),
  ts,
  data: maybe(
    fc.oneof(
      fc.dictionary(fc.string({ maxLength: 10 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 5 }),
      fc.jsonValue({ maxDepth: 2 }),
    ),
  ),
});

/** An event as a device on `deviceId` would send it; fire panels never raise `fire.alarm` in the fuzz (see PANELS). */
export function eventText(deviceId: string, event: { type: string } & Record<string, unknown>): string {
  return json(PANELS.includes(deviceId) && event.type === 'fire.alarm' ? { ...event, type: 'fire.clear' } : event);
}

const credential = fc.record({
  type: fc.oneof(
    { arbitrary: fc.constantFrom('card', 'ble', 'qr', 'pin'), weight: 5 },
    { arbitrary: fc.constantFrom('dna', '', 'CARD', 'card '), weight: 1 },
  ),
  value: fc.oneof(
    {
      arbitrary: fc.constantFrom('card-0001', 'card-0002', 'card-night', 'card-0101', 'card-0001 ', 'CARD-0001'),
      weight: 2,
    },
    { arbitrary: nastyString, weight: 3 },
    { arbitrary: fc.constantFrom(256, 257, 10_000).map((n) => 'c'.repeat(n)), weight: 1 },
  ),
});

/** Access requests with odd credentials, ids and shapes; each must be answered (CONTRACT.md §2). */
export const accessRequest = fc.oneof(
  {
    arbitrary: fc
      .record({ requestId: fc.oneof(fc.uuid(), nastyString, fc.constant('r'.repeat(129))), credential, ts })
      .map(json),
    weight: 5,
  },
  {
    arbitrary: fc
      .record({
        requestId: fc.jsonValue({ maxDepth: 1 }),
        credential: fc.oneof(nastyString, fc.array(credential, { maxLength: 2 })),
        ts,
      })
      .map(json),
    weight: 1,
  },
  { arbitrary: hostileJson, weight: 1 },
);

export const commandResult = fc
  .record({
    id: fc.oneof(fc.uuid(), nastyString),
    ok: fc.oneof(fc.boolean(), fc.jsonValue({ maxDepth: 1 })),
    error: maybe(nastyString),
    ts,
  })
  .map(json);

export const otaProgress = fc
  .record({
    id: fc.oneof(fc.uuid(), nastyString),
    state: fc.constantFrom('downloading', 'installing', 'done', 'failed', 'bricked', ''),
    progress: maybe(fc.double()),
    error: maybe(nastyString),
  })
  .map(json);
