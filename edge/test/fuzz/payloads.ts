import fc from 'fast-check';

/**
 * Payload shapes that are cheap to describe and expensive to build: fast-check picks a small
 * descriptor (size, depth, seed) and these functions expand it deterministically, so a 300 KiB
 * payload costs one generated integer instead of 300 000 of them.
 */

/** xorshift32: deterministic filler bytes from a seed. */
export function bytesFrom(seed: number, size: number): Buffer {
  const out = Buffer.allocUnsafe(size);
  let x = seed | 0 || 0x9e3779b9;
  for (let i = 0; i < size; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

export type BigShape = 'bytes' | 'json-string' | 'json-array' | 'spaces';

/** A payload of `size` bytes: random bytes, or JSON that stays valid however long it is. */
export function bigPayload(shape: BigShape, size: number, seed: number): Buffer {
  switch (shape) {
    case 'bytes':
      return bytesFrom(seed, size);
    case 'spaces':
      return Buffer.alloc(size, 0x20);
    case 'json-string': {
      const head = `{"id":"00000000-0000-4000-8000-${String(seed % 1e12).padStart(12, '0')}","type":"motion","ts":1,"data":{"pad":"`;
      return Buffer.concat([
        Buffer.from(head),
        Buffer.alloc(Math.max(0, size - head.length - 4), 0x61),
        Buffer.from('"}}'),
      ]);
    }
    case 'json-array':
      return Buffer.from(`[${'1,'.repeat(Math.max(0, Math.floor(size / 2) - 1))}1]`);
  }
}

export type DeepShape = 'arrays' | 'objects' | 'event-data' | 'unclosed';

/** JSON nested `depth` levels deep, bare or inside an otherwise valid event's `data`. */
export function deepJson(shape: DeepShape, depth: number, eventId: string): string {
  switch (shape) {
    case 'arrays':
      return `${'['.repeat(depth)}${']'.repeat(depth)}`;
    case 'objects':
      return `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
    case 'event-data':
      return `{"id":"${eventId}","type":"fault","ts":${Date.now()},"data":{"code":"deep","x":${'['.repeat(depth)}${']'.repeat(depth)}}}`;
    case 'unclosed':
      return '['.repeat(depth);
  }
}

/** Cuts a JSON text somewhere strictly inside it, so it never parses. */
export function truncate(text: string, at: number): string {
  if (text.length < 2) return '{';
  return text.slice(0, 1 + (at % (text.length - 1)));
}

/** Arbitrary strings that tend to break parsers: unicode, NUL, lone surrogates, bidi, very long. */
export const nastyString = fc.oneof(
  { arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }), weight: 4 },
  { arbitrary: fc.string({ unit: 'binary', maxLength: 40 }), weight: 3 },
  {
    arbitrary: fc.constantFrom(
      '',
      ' ',
      '\u0000',
      '\ud800',
      '\udfff',
      '\u202e',
      '\ufeff',
      '..',
      '../..',
      '%00',
      '${x}',
      '__proto__',
      'constructor',
      '𝕏',
      '한글',
      'null',
      'undefined',
      'NaN',
      '-0',
      '1e999',
    ),
    weight: 3,
  },
  { arbitrary: fc.nat(70_000).map((n) => 'x'.repeat(n)), weight: 1 },
);

/** JSON documents that try prototype pollution and type confusion on whatever parses them. */
export const hostileJson = fc.constantFrom(
  '{"__proto__":{"polluted":true,"kind":"fire-panel","granted":true}}',
  '{"constructor":{"prototype":{"polluted":true}}}',
  '{"id":{"$gt":""},"kind":["door"],"name":{"toString":1}}',
  '{"toJSON":1,"valueOf":2}',
  '{"a":1,"a":2,"a":{"__proto__":null}}',
  'null',
  '[]',
  '0',
  '-0',
  '1e309',
  '"online"',
  'true',
  '{}',
  '\ufeff{}',
  '{"ts":1e400}',
  '{"ts":-1}',
  '{"ts":9007199254740993}',
);
