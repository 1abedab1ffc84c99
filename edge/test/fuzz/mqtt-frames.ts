import fc from 'fast-check';
import type { FuzzSite } from './fuzz-site';
import { connectPacket, DISCONNECT, field, packet, publishPacket } from './mqtt-codec';
import { bytesFrom } from './payloads';

/** One raw TCP connection to the broker carrying garbage MQTT. */
export interface RawMqttInput {
  kind: string;
  chunks: Buffer[];
  /** destroy the socket without a DISCONNECT, so the broker publishes the client's will */
  abrupt: boolean;
  /** the will (or publish) sits on an edge-only topic with the run's marker */
  forged: boolean;
}

const raw = (kind: string, chunks: Buffer[], abrupt = false, forged = false): RawMqttInput => ({
  kind,
  chunks,
  abrupt,
  forged,
});
const bytes = (max: number) => fc.uint8Array({ minLength: 1, maxLength: max }).map((b) => Buffer.from(b));

/** Broken fixed headers, lying lengths, reserved types, bad CONNECTs, invalid UTF-8 topics and forged wills. */
export function rawMqttFrames(site: FuzzSite): fc.Arbitrary<RawMqttInput> {
  const s = site.siteId;
  const hello = (n: number): Buffer => connectPacket({ clientId: `fz-raw-${n}` });
  const n = fc.nat(1_000_000);
  return fc.oneof(
    bytes(256).map((b) => raw('random-bytes', [b])),
    fc
      .tuple(fc.integer({ min: 1, max: 15 }), bytes(64))
      .map(([type, b]) => raw('huge-declared-length', [Buffer.from([type << 4, 0xff, 0xff, 0xff, 0x7f]), b])),
    fc
      .constantFrom(0x10, 0x30, 0x82)
      .map((first) => raw('malformed-length-field', [Buffer.from([first, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01])])),
    fc
      .tuple(fc.constantFrom(0x00, 0xf0, 0x31 | 0x06, 0x62), bytes(32))
      .map(([first, b]) => raw('reserved-type-or-flags', [packet(first, b)])),
    fc
      .tuple(n, bytes(64))
      .map(([i, b]) => raw('publish-before-connect', [publishPacket(`cr/${s}/devices/dev-${i % 9}/events`, b, 1)])),
    fc
      .record({
        name: fc.constantFrom('MQTT', 'MQIsdp', 'MQTX', '', 'mqtt'),
        level: fc.constantFrom(0, 3, 4, 5, 99, 255),
        flags: fc.constantFrom(0x01, 0x03, 0x1a, 0xc0, 0xff, 0x02),
        id: fc.oneof(fc.string({ maxLength: 30 }), fc.constant('x'.repeat(70_000))),
      })
      .map((c) =>
        raw('bad-connect', [
          connectPacket({ clientId: c.id, protocolName: c.name, protocolLevel: c.level, flags: c.flags }),
        ]),
      ),
    fc.tuple(n, bytes(200)).map(([i, b]) => raw('connect-then-garbage', [hello(i), b])),
    fc.tuple(n).map(([i]) => raw('connect-twice', [hello(i), hello(i + 1)])),
    fc
      .tuple(n, fc.integer({ min: 10, max: 200_000 }), bytes(64))
      .map(([i, declared, b]) =>
        raw(
          'truncated-publish',
          [
            hello(i),
            packet(
              0x32,
              Buffer.concat([field(`cr/${s}/devices/dev-1/events`), Buffer.from([0, 7]), b]),
              declared + b.length,
            ),
          ],
          true,
        ),
      ),
    fc
      .tuple(n, fc.nat())
      .map(([i, seed]) =>
        raw('oversize-stream', [
          hello(i),
          Buffer.concat([Buffer.from([0x30]), Buffer.from([0x80, 0x80, 0x13]), field(`cr/${s}/devices/dev-2/events`)]),
          bytesFrom(seed, 64 * 1024),
        ]),
      ),
    fc
      .tuple(n, fc.constantFrom([0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xff], [0xe0, 0xa4], [0x00]))
      .map(([i, bad]) =>
        raw('invalid-utf8-topic', [
          hello(i),
          publishPacket(
            Buffer.concat([Buffer.from(`cr/${s}/devices/dev-`), Buffer.from(bad), Buffer.from('/events')]),
            Buffer.from('{}'),
            1,
          ),
          DISCONNECT,
        ]),
      ),
    fc.tuple(n, bytes(32)).map(([i, b]) => raw('empty-topic', [hello(i), publishPacket('', b, 1)])),
    fc
      .tuple(n, fc.constantFrom('#', 'cr/#/x', '', 'cr/+x/y', `cr/${s}/devices/\u0000/cmd`))
      .map(([i, filter]) =>
        raw('bad-subscribe', [
          hello(i),
          packet(0x82, Buffer.concat([Buffer.from([0, 9]), field(filter), Buffer.from([0x01])])),
        ]),
      ),
    fc
      .tuple(
        n,
        fc.constantFrom('cmd', 'access/response', 'ota', 'edge/status'),
        fc.constantFrom<0 | 1>(0, 1),
        fc.boolean(),
      )
      .map(([i, channel, qos, retain]) => {
        const topic = channel === 'edge/status' ? `cr/${s}/edge/status` : `cr/${s}/devices/door-fz/${channel}`;
        const will = { topic, payload: Buffer.from(`${site.marker}-will-${i}`), qos, retain };
        return raw('forged-will', [connectPacket({ clientId: `fz-will-${i}`, will })], true, true);
      }),
  );
}
