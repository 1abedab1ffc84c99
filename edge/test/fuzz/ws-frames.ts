import fc from 'fast-check';
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import { SITE_MAPS } from '@cr/shared';
import { PROBE } from './fuzz-site';
import { bytesFrom, nastyString } from './payloads';

export interface FrameSpec {
  fin?: boolean;
  rsv?: number;
  opcode: number;
  payload: Buffer;
  mask?: boolean;
  /** a length field that lies (the bytes sent are still `payload`) */
  declaredLength?: number;
}

/** Encodes one client→server WebSocket frame (RFC 6455 §5.2), lies included. */
export function wsFrame(f: FrameSpec): Buffer {
  const len = f.declaredLength ?? f.payload.length;
  const head = [((f.fin ?? true) ? 0x80 : 0) | ((f.rsv ?? 0) << 4) | (f.opcode & 0x0f)];
  const maskBit = (f.mask ?? true) ? 0x80 : 0;
  let ext = Buffer.alloc(0);
  if (len < 126) head.push(maskBit | len);
  else if (len < 0x10000) {
    head.push(maskBit | 126);
    ext = Buffer.from([len >> 8, len & 0xff]);
  } else {
    head.push(maskBit | 127);
    ext = Buffer.alloc(8);
    ext.writeBigUInt64BE(BigInt(len));
  }
  if (!(f.mask ?? true)) return Buffer.concat([Buffer.from(head), ext, f.payload]);
  const key = Buffer.from([0x12, 0x34, 0x56, 0x78]);
  const body = Buffer.from(f.payload.map((b, i) => b ^ key[i % 4]!));
  return Buffer.concat([Buffer.from(head), ext, key, body]);
}

const syncFrame = (type: number, sub: number | undefined, body: Uint8Array): Buffer => {
  const enc = encoding.createEncoder();
  encoding.writeVarUint(enc, type);
  if (sub !== undefined) encoding.writeVarUint(enc, sub);
  encoding.writeVarUint8Array(enc, body);
  return Buffer.from(encoding.toUint8Array(enc));
};

/** Odd values for any key of the site document. */
const docValue = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }),
  nastyString,
  fc.constantFrom('Mars/Olympus', 'emergency-unlock', 'lockdown', true, -1, 1e308),
);

/** One write: half of them to the meta fields the edge reads back (time zone, mode, fire state). */
const docWrite = fc.oneof(
  fc.tuple(
    fc.constant(SITE_MAPS.meta),
    fc.constantFrom('timezone', 'mode', 'fireActive', 'id', 'tenantId', 'lat', 'name', '__proto__'),
    docValue,
  ),
  fc.tuple(
    fc.constantFrom(...Object.values(SITE_MAPS), 'alerts', 'x'),
    fc.oneof(fc.constantFrom(PROBE.doorId, PROBE.readerId, PROBE.zoneId, '__proto__'), fc.string({ maxLength: 12 })),
    docValue,
  ),
);

/**
 * A real Yjs update writing odd values into the site document's maps: what a console with write
 * access (or a bug in one) could send. Random bytes rarely get past Yjs' decoder; these do.
 */
const yjsUpdate = fc
  .record({
    client: fc.integer({ min: 1, max: 2 ** 31 }),
    writes: fc.array(docWrite, { minLength: 1, maxLength: 4 }),
  })
  .map(({ client, writes }) => {
    const doc = new Y.Doc();
    doc.clientID = client;
    for (const [map, key, value] of writes) doc.getMap(map).set(key, value);
    return syncFrame(0, 2, Y.encodeStateAsUpdate(doc));
  });

/** y-websocket messages: well-framed, wrongly typed, truncated, lying varints, real Yjs updates. */
const syncPayload = fc.oneof(
  { arbitrary: yjsUpdate, weight: 3 },
  fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b)),
  fc
    .tuple(
      fc.constantFrom(0, 1, 2, 3, 4, 99),
      fc.option(fc.constantFrom(0, 1, 2, 7), { nil: undefined }),
      fc.uint8Array({ maxLength: 200 }),
    )
    .map(([t, s, b]) => syncFrame(t, s, b)),
  fc.constantFrom(
    Buffer.from([0]),
    Buffer.from([0, 0]),
    Buffer.from([0, 0, 0xff, 0xff, 0xff, 0xff, 0x0f]),
    Buffer.from([1, 0xff, 0xff, 0xff, 0xff, 0x7f]),
    Buffer.from([3]),
    Buffer.from([2, 0]),
  ),
);

/** Frames sent after an upgrade: sync messages in binary frames, and every way to break the framing. */
export const wsFrames: fc.Arbitrary<Buffer> = fc.oneof(
  { arbitrary: syncPayload.map((payload) => wsFrame({ opcode: 2, payload })), weight: 8 },
  {
    arbitrary: fc
      .constantFrom(Buffer.from([0xc3, 0x28]), Buffer.from('{"type":"hello"}'))
      .map((payload) => wsFrame({ opcode: 1, payload })),
    weight: 1,
  },
  { arbitrary: syncPayload.map((payload) => wsFrame({ opcode: 2, payload, mask: false })), weight: 1 },
  {
    arbitrary: fc
      .tuple(fc.constantFrom(3, 4, 5, 6, 7, 11, 12, 15), fc.nat())
      .map(([opcode, s]) => wsFrame({ opcode, payload: bytesFrom(s, 8) })),
    weight: 1,
  },
  {
    arbitrary: fc
      .integer({ min: 1, max: 7 })
      .map((rsv) => wsFrame({ opcode: 2, rsv, payload: Buffer.from([0, 0, 0]) })),
    weight: 1,
  },
  {
    arbitrary: fc.constantFrom(9, 10, 8).map((opcode) => wsFrame({ opcode, payload: Buffer.alloc(200, 1) })),
    weight: 1,
  },
  { arbitrary: fc.constant(wsFrame({ opcode: 9, fin: false, payload: Buffer.from('p') })), weight: 1 },
  { arbitrary: fc.constant(wsFrame({ opcode: 0, payload: Buffer.from([0, 0]) })), weight: 1 },
  {
    arbitrary: fc
      .constantFrom(2 ** 53 - 1, 2 * 1024 * 1024, 70_000)
      .map((declaredLength) => wsFrame({ opcode: 2, payload: Buffer.alloc(64), declaredLength })),
    weight: 1,
  },
  {
    arbitrary: fc
      .constantFrom(
        Buffer.from([0x03, 0xe7]),
        Buffer.from([0x03, 0xed]),
        Buffer.from([0x0f, 0xa0, 0xc3, 0x28]),
        Buffer.from([0x03]),
      )
      .map((payload) => wsFrame({ opcode: 8, payload })),
    weight: 1,
  },
  { arbitrary: fc.constant(wsFrame({ opcode: 9, payload: Buffer.from('ping') })), weight: 1 },
);
