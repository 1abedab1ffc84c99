import { describe, expect, it } from 'vitest';
import type { Settings } from '../store/db';
import { RevocationList } from './revocation-list';

const memory = (): Settings => {
  const kv = new Map<string, string>();
  return { get: (k: string) => kv.get(k), set: (k: string, v: string) => void kv.set(k, v) } as unknown as Settings;
};
const token = (sub: string, iatMs: number, jti = 'j') => ({ sub, jti, iat: iatMs / 1000 });

describe('the revocation list at the edge', () => {
  it("refuses a person's tokens issued before the revocation and a revoked token id, until the entries end", () => {
    let now = 10_000;
    const settings = memory();
    const list = new RevocationList(settings, () => now);
    list.replace({
      type: 'revocations',
      users: [{ userId: 'u1', before: 5_000, until: 20_000 }],
      tokens: [{ jti: 'lan-1', until: 20_000 }],
    });
    expect(list.refuses(token('u1', 4_999))).toMatch(/disabled or changed/);
    // Issued at the same millisecond or after: a token from after the change.
    expect(list.refuses(token('u1', 5_000))).toBeUndefined();
    expect(list.refuses(token('u2', 1_000, 'lan-1'))).toBe('token revoked');
    expect(list.refuses(token('u2', 1_000))).toBeUndefined();
    // Kept on disk: a new list object (an edge restart) refuses the same.
    expect(new RevocationList(settings, () => now).refuses(token('u1', 4_999))).toBeDefined();
    now = 20_001;
    expect(list.refuses(token('u1', 4_999))).toBeUndefined();
    expect(new RevocationList(settings, () => now).size).toBe(0);
  });

  it('replaces the whole list: what the cloud no longer names is no longer refused', () => {
    const list = new RevocationList(memory(), () => 0);
    list.replace({ type: 'revocations', users: [], tokens: [{ jti: 'a', until: 100 }] });
    list.replace({ type: 'revocations', users: [], tokens: [{ jti: 'b', until: 100 }] });
    expect(list.refuses(token('u', 0, 'a'))).toBeUndefined();
    expect(list.refuses(token('u', 0, 'b'))).toBe('token revoked');
  });
});
