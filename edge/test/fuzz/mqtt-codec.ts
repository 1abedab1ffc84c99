/**
 * Just enough of MQTT 3.1.1's wire format to write packets mqtt.js refuses to write: wrong
 * lengths, reserved types and flags, invalid UTF-8, wills on edge-only topics.
 */

/** The variable-length "remaining length" field (1–4 bytes; callers may append more to break it). */
export function remainingLength(n: number): Buffer {
  const out: number[] = [];
  do {
    let byte = n % 128;
    n = Math.floor(n / 128);
    if (n > 0) byte |= 0x80;
    out.push(byte);
  } while (n > 0 && out.length < 4);
  return Buffer.from(out);
}

/** A length-prefixed string or byte field. */
export function field(value: string | Buffer): Buffer {
  const bytes = typeof value === 'string' ? Buffer.from(value) : value;
  const len = Buffer.alloc(2);
  len.writeUInt16BE(Math.min(bytes.length, 0xffff));
  return Buffer.concat([len, bytes]);
}

/** A packet with the given first byte; `declared` lies about the body's length when given. */
export function packet(firstByte: number, body: Buffer, declared = body.length): Buffer {
  return Buffer.concat([Buffer.from([firstByte]), remainingLength(declared), body]);
}

export interface ConnectOptions {
  clientId: string | Buffer;
  protocolName?: string;
  protocolLevel?: number;
  /** raw flags byte; computed from `will` when absent */
  flags?: number;
  will?: { topic: string | Buffer; payload: Buffer; qos: 0 | 1; retain: boolean };
}

export function connectPacket(o: ConnectOptions): Buffer {
  const willFlags = o.will ? 0x04 | (o.will.qos << 3) | (o.will.retain ? 0x20 : 0) : 0;
  const flags = o.flags ?? 0x02 | willFlags;
  const parts = [field(o.protocolName ?? 'MQTT'), Buffer.from([o.protocolLevel ?? 4, flags, 0, 30]), field(o.clientId)];
  if (o.will) parts.push(field(o.will.topic), field(o.will.payload));
  return packet(0x10, Buffer.concat(parts));
}

export function publishPacket(
  topic: string | Buffer,
  payload: Buffer,
  qos: 0 | 1 | 2 = 0,
  retain = false,
  packetId = 1,
): Buffer {
  const head = [field(topic)];
  if (qos > 0) head.push(Buffer.from([packetId >> 8, packetId & 0xff]));
  return packet(0x30 | (qos << 1) | (retain ? 1 : 0), Buffer.concat([...head, payload]));
}

export const DISCONNECT = Buffer.from([0xe0, 0x00]);
