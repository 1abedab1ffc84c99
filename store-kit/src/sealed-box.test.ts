import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { loadOrCreateKeyFile, seal, unseal } from './sealed-box';

describe('sealed box (member records, credentials)', () => {
  const key = randomBytes(32);

  it('opens what it sealed, under the same key and context only', () => {
    const sealed = seal(key, Buffer.from('card-0042'), 'member-7');
    expect(sealed.includes(Buffer.from('card-0042'))).toBe(false);
    expect(unseal(key, sealed, 'member-7').toString()).toBe('card-0042');
    expect(() => unseal(key, sealed, 'member-8')).toThrow();
    expect(() => unseal(randomBytes(32), sealed, 'member-7')).toThrow();
  });

  it.each([
    ['a flipped ciphertext byte', (b: Buffer) => b.writeUInt8(b.readUInt8(b.length - 1) ^ 1, b.length - 1)],
    ['a flipped tag byte', (b: Buffer) => b.writeUInt8(b.readUInt8(14) ^ 1, 14)],
    ['an unknown version', (b: Buffer) => (b[0] = 9)],
  ])('refuses %s', (_name, tamper) => {
    const sealed = seal(key, Buffer.from('secret'), 'ctx');
    tamper(sealed);
    expect(() => unseal(key, sealed, 'ctx')).toThrow();
  });

  it('refuses a truncated value', () => {
    expect(() => unseal(key, Buffer.alloc(10), 'ctx')).toThrow(/not a sealed value/);
  });

  it('creates a key file once, readable only by its owner, and reads the same key back', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'sealed-')), 'nested', 'k.secret');
    const first = loadOrCreateKeyFile(file);
    expect(first).toHaveLength(32);
    expect(statSync(file).mode & 0o077).toBe(0);
    expect(loadOrCreateKeyFile(file).equals(first)).toBe(true);
  });
});
