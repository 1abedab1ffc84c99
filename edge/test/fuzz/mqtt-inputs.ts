import fc from 'fast-check';
import { PROBE, type FuzzSite } from './fuzz-site';
import { bigPayload, bytesFrom, deepJson, nastyString, truncate, type BigShape, type DeepShape } from './payloads';
import {
  accessRequest,
  availability,
  badConfig,
  commandResult,
  deviceEvent,
  deviceId,
  eventText,
  otaProgress,
  PANELS,
  state,
  stateText,
  validConfig,
} from './device-payloads';

/** One publish through an ordinary MQTT client. */
export interface MqttPublishInput {
  kind: string;
  topic: string;
  payload: Buffer;
  qos: 0 | 1 | 2;
  retain: boolean;
  /** on an edge-only topic, carrying the run's marker: must never reach a subscriber */
  forged: boolean;
}

const IN_CHANNELS = [
  'config',
  'availability',
  'state',
  'events',
  'access/request',
  'cmd/result',
  'ota/progress',
] as const;
const qos = fc.constantFrom<0 | 1 | 2>(1, 1, 1, 1, 0, 0, 2);

/** Builds the generator of publishes for one site: valid-looking device traffic, broken payloads, odd topics, forgeries. */
export function mqttPublishes(site: FuzzSite): fc.Arbitrary<MqttPublishInput> {
  const t = (id: string, channel: string): string => `cr/${site.siteId}/devices/${id}/${channel}`;
  const pub = (
    kind: string,
    topic: string,
    payload: string | Buffer,
    q: 0 | 1 | 2,
    retain = false,
  ): MqttPublishInput => ({
    kind,
    topic,
    payload: Buffer.isBuffer(payload) ? payload : Buffer.from(payload),
    qos: q,
    retain,
    forged: false,
  });
  const anyId = fc.oneof(deviceId, fc.constantFrom(...PANELS));
  const events = fc
    .tuple(anyId, deviceEvent, qos)
    .map(([id, e, q]) => pub('event', t(id, 'events'), eventText(id, e), q));
  return fc.oneof(
    {
      arbitrary: fc.tuple(validConfig, qos).map(([c, q]) => pub('config', t(c.id, 'config'), c.text, q, true)),
      weight: 8,
    },
    {
      arbitrary: fc
        .tuple(badConfig, qos, fc.boolean())
        .map(([c, q, r]) => pub('config-bad', t(c.id, 'config'), c.text, q, r)),
      weight: 5,
    },
    {
      arbitrary: fc.tuple(deviceId, qos).map(([id, q]) => pub('config-remove', t(id, 'config'), '', q, true)),
      weight: 1,
    },
    {
      arbitrary: fc
        .tuple(anyId, availability, qos)
        .map(([id, a, q]) => pub('availability', t(id, 'availability'), a, q, true)),
      weight: 5,
    },
    {
      arbitrary: fc
        .tuple(anyId, state, qos)
        .map(([id, s, q]) => pub('state', t(id, 'state'), stateText(id, s), q, true)),
      weight: 5,
    },
    { arbitrary: events, weight: 12 },
    {
      arbitrary: fc
        .tuple(deviceId, accessRequest, qos)
        .map(([id, r, q]) => pub('access-request', t(id, 'access/request'), r, q)),
      weight: 8,
    },
    {
      arbitrary: fc
        .tuple(deviceId, commandResult, qos)
        .map(([id, r, q]) => pub('cmd-result', t(id, 'cmd/result'), r, q)),
      weight: 3,
    },
    {
      arbitrary: fc
        .tuple(deviceId, otaProgress, qos)
        .map(([id, r, q]) => pub('ota-progress', t(id, 'ota/progress'), r, q)),
      weight: 2,
    },
    { arbitrary: brokenPayloads(t, pub), weight: 12 },
    { arbitrary: oddTopics(site, pub), weight: 8 },
    { arbitrary: forgeries(site), weight: 7 },
  );
}

type Pub = (kind: string, topic: string, payload: string | Buffer, q: 0 | 1 | 2, retain?: boolean) => MqttPublishInput;

/** Truncated JSON, binary, deeply nested and oversized payloads on the device channels. */
function brokenPayloads(t: (id: string, channel: string) => string, pub: Pub): fc.Arbitrary<MqttPublishInput> {
  const channel = fc.constantFrom(...IN_CHANNELS);
  return fc.oneof(
    {
      arbitrary: fc
        .tuple(
          deviceId,
          channel,
          fc.oneof(
            validConfig.map((c) => c.text),
            deviceEvent.map((e) => JSON.stringify(e)),
            accessRequest,
          ),
          fc.nat(),
          qos,
        )
        .map(([id, ch, text, at, q]) => pub('truncated-json', t(id, ch), truncate(text, at), q)),
      weight: 4,
    },
    {
      arbitrary: fc
        .tuple(deviceId, channel, fc.uint8Array({ maxLength: 512 }), qos)
        .map(([id, ch, b, q]) => pub('binary', t(id, ch), Buffer.from(b), q)),
      weight: 4,
    },
    {
      arbitrary: fc
        .tuple(
          deviceId,
          channel,
          fc.constantFrom<DeepShape>('arrays', 'objects', 'event-data', 'unclosed'),
          fc.integer({ min: 50, max: 5_000 }),
          fc.uuid(),
          qos,
        )
        .map(([id, ch, shape, depth, uuid, q]) =>
          pub('deep-json', t(id, shape === 'event-data' ? 'events' : ch), deepJson(shape, depth, uuid), q),
        ),
      weight: 3,
    },
    {
      // > 16 KiB is refused by the edge; > 256 KiB is cut off by the broker's frame guard (the client is dropped).
      arbitrary: fc
        .tuple(
          deviceId,
          channel,
          fc.constantFrom<BigShape>('bytes', 'json-string', 'json-array', 'spaces'),
          fc.integer({ min: 16 * 1024 + 1, max: 300 * 1024 }),
          fc.nat(),
          qos,
        )
        .map(([id, ch, shape, size, seed, q]) => pub('oversized', t(id, ch), bigPayload(shape, size, seed), q)),
      weight: 2,
    },
  );
}

/** Topics outside the contract: other sites, extra levels, unicode, very long, wildcards, reserved trees. */
function oddTopics(site: FuzzSite, pub: Pub): fc.Arbitrary<MqttPublishInput> {
  const s = site.siteId;
  const topic = fc.oneof(
    fc
      .tuple(fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,20}$/), deviceId)
      .map(([other, id]) => `cr/${other === s ? `${s}x` : other}/devices/${id}/events`),
    fc
      .tuple(deviceId, fc.constantFrom('config', 'events', 'access/request'))
      .map(([id, ch]) => `cr/${s}/devices/${id}/x/${ch}`),
    fc
      .tuple(deviceId, fc.constantFrom('config/extra', 'events/', 'access', 'access/request/again', 'cmd/result/x'))
      .map(([id, ch]) => `cr/${s}/devices/${id}/${ch}`),
    nastyString.map((id) => `cr/${s}/devices/${id}/events`),
    fc.integer({ min: 1_000, max: 60_000 }).map((n) => `cr/${s}/devices/${'a'.repeat(n)}/events`),
    fc.constantFrom(
      `cr/${s}/devices/+/events`,
      `cr/${s}/#`,
      `cr/+/devices/dev-1/config`,
      '#',
      '+',
      `cr/${s}/devices/dev-1/events#`,
    ),
    fc.constantFrom(
      '/',
      'cr',
      `cr/${s}`,
      `cr/${s}/`,
      `cr//devices//events`,
      `CR/${s}/devices/dev-1/events`,
      `cr/${s.toUpperCase()}/devices/dev-1/events`,
      '$SYS/broker/uptime',
      `cr/${s}/edge/status/x`,
      `cr/${s}/devices/dev-1/events\u0000x`,
    ),
    fc.string({ unit: 'grapheme', minLength: 1, maxLength: 60 }),
  );
  const payload = fc.oneof(
    deviceEvent.map((e) => JSON.stringify(e)),
    nastyString,
  );
  return fc.tuple(topic, payload, qos, fc.boolean()).map(([tp, p, q, r]) => pub('odd-topic', tp, p, q, r));
}

/** Publishes on the edge-only topics (§2, §6): door commands, access answers, firmware offers, the edge's status. */
function forgeries(site: FuzzSite): fc.Arbitrary<MqttPublishInput> {
  const target = fc.constantFrom('cmd', 'access/response', 'ota', 'edge/status');
  const id = fc.oneof(fc.constantFrom(PROBE.doorId, PROBE.readerId), deviceId);
  return fc
    .tuple(target, id, fc.constantFrom('json', 'text', 'binary'), fc.nat(1_000_000), qos, fc.boolean())
    .map(([channel, deviceId, style, n, q, retain]) => {
      const mark = `${site.marker}-${n}`;
      const topic =
        channel === 'edge/status'
          ? `cr/${site.siteId}/edge/status`
          : `cr/${site.siteId}/devices/${deviceId}/${channel}`;
      const bodies: Record<string, unknown> = {
        cmd: { id: mark, action: 'unlock', reason: mark, expiresAt: Date.now() + 60_000 },
        'access/response': { requestId: mark, granted: true, reason: 'granted', memberId: 'm-forged', ts: Date.now() },
        ota: { id: mark, version: '6.6.6', url: `http://evil.invalid/${mark}`, sha256: '0'.repeat(64) },
        'edge/status': `offline ${mark}`,
      };
      const payload =
        style === 'json'
          ? JSON.stringify(bodies[channel])
          : style === 'text'
            ? mark
            : Buffer.concat([bytesFrom(n, 32), Buffer.from(mark)]);
      return { kind: 'forged', topic, payload: Buffer.from(payload), qos: q, retain, forged: true };
    });
}
