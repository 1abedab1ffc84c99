import { describe, expect, it } from 'vitest';
import { FrameSizeGuard } from './frame-guard';

function varint(n: number): Buffer {
  const out: number[] = [];
  do {
    let b = n % 128;
    n = Math.floor(n / 128);
    if (n > 0) b |= 0x80;
    out.push(b);
  } while (n > 0);
  return Buffer.from(out);
}

/** A QoS 0 PUBLISH packet with a `bytes`-long payload, as on the wire. */
function publish(bytes: number): Buffer {
  const topic = Buffer.from('cr/s/devices/d/events');
  const body = Buffer.concat([Buffer.from([topic.length >> 8, topic.length & 0xff]), topic, Buffer.alloc(bytes)]);
  return Buffer.concat([Buffer.from([0x30]), varint(body.length), body]);
}

describe('MQTT frame size guard', () => {
  it('lets packets up to the limit through, split at any byte', () => {
    const stream = Buffer.concat([publish(10), publish(1000), publish(4000)]);
    for (const cut of [1, 2, 3, 7, 500, stream.length - 1]) {
      const guard = new FrameSizeGuard(5000);
      expect(guard.feed(stream.subarray(0, cut))).toBeUndefined();
      expect(guard.feed(stream.subarray(cut))).toBeUndefined();
    }
  });

  it('reports a packet declared larger than the limit from its header alone', () => {
    const big = publish(300_000);
    const guard = new FrameSizeGuard(256 * 1024);
    expect(guard.feed(publish(5))).toBeUndefined();
    expect(guard.feed(big.subarray(0, 4))).toBeGreaterThan(256 * 1024);
  });

  it('reports a malformed length field', () => {
    expect(new FrameSizeGuard(1000).feed(Buffer.from([0x30, 0xff, 0xff, 0xff, 0xff, 0xff]))).toBe(Number.POSITIVE_INFINITY);
  });
});
