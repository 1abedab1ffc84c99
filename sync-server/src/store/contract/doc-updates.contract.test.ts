import * as Y from 'yjs';
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { describeBackends, type Backend } from './backends';
import { DocUpdatesStore } from '../doc-updates-store';
import { PgDocUpdatesStore } from '../postgres/pg-doc-updates-store';
import { sqlitePort, type DocUpdatesPort } from '../ports';

const storeOf = (b: Backend): DocUpdatesPort =>
  b.kind === 'sqlite' ? sqlitePort(new DocUpdatesStore(b.db)) : new PgDocUpdatesStore(b.pg);

const merge = (updates: Uint8Array[]): Uint8Array => {
  const d = new Y.Doc();
  for (const u of updates) Y.applyUpdate(d, u);
  return Y.encodeStateAsUpdate(d);
};

/** The document the stored rows rebuild. */
const rebuilt = async (s: DocUpdatesPort, name: string): Promise<Record<string, unknown>> => {
  const d = new Y.Doc();
  for (const u of (await s.load(name)).updates) Y.applyUpdate(d, u);
  return d.getMap('m').toJSON();
};

describeBackends('document updates store', (current) => {
  it('keeps updates per document in append order with rising sequences', async () => {
    const s = storeOf(current());
    const d = new Y.Doc();
    const seqs: number[] = [];
    d.on('update', (u: Uint8Array) => void (async () => seqs.push(await s.append('site:t:a', u)))());
    d.getMap('m').set('x', 1);
    d.getMap('m').set('y', 2);
    await new Promise((r) => setTimeout(r, 50));
    expect(seqs).toHaveLength(2);
    expect(seqs[1]!).toBeGreaterThan(seqs[0]!);
    expect(await rebuilt(s, 'site:t:a')).toEqual({ x: 1, y: 2 });
    expect(await s.exists('site:t:a')).toBe(true);
    expect(await s.exists('site:t:b')).toBe(false);
    expect((await s.stats('site:t:a')).rows).toBe(2);
  });

  it('takes 300 appends to one document at once, each committed once, with sequences in the order they were made', async () => {
    const s = storeOf(current());
    const d = new Y.Doc();
    const pending: Array<Promise<number>> = [];
    d.on('update', (u: Uint8Array) => void pending.push(s.append('tenant:t', u)));
    for (let i = 0; i < 300; i++) d.getMap('m').set(`k${i}`, i);
    // Another document meanwhile is not held up behind the busy one.
    const other = await s.append('site:t:other', Y.encodeStateAsUpdate(new Y.Doc()));
    expect(other).toBeGreaterThan(0);
    const seqs = await Promise.all(pending);
    expect(new Set(seqs).size).toBe(300);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect((await s.stats('tenant:t')).rows).toBe(300);
    expect(Object.keys(await rebuilt(s, 'tenant:t'))).toHaveLength(300);
  });

  it('compaction keeps every change, in fewer bytes, whatever was appended before it', async () => {
    const s = storeOf(current());
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.constantFrom('a', 'b', 'c'), fc.integer()), { minLength: 2, maxLength: 20 }),
        async (ops) => {
          const name = `site:t:${Math.random().toString(36).slice(2)}`;
          const d = new Y.Doc();
          for (const [k, v] of ops) {
            d.getMap('m').set(k, v);
            await s.append(name, Y.encodeStateAsUpdate(d));
          }
          const expected = d.getMap('m').toJSON();
          const r = await s.compact(name, merge);
          expect(r.after).toBeLessThanOrEqual(r.before);
          expect((await s.stats(name)).rows).toBe(1);
          expect(await rebuilt(s, name)).toEqual(expected);
        },
      ),
      { seed: 20240611, numRuns: 15 },
    );
  });

  it('two compactions and appends at once lose nothing (several writers)', async () => {
    const s = storeOf(current());
    const name = 'site:t:busy';
    const d = new Y.Doc();
    const updates: Uint8Array[] = [];
    d.on('update', (u: Uint8Array) => updates.push(u));
    for (let i = 0; i < 30; i++) d.getMap('m').set(`k${i}`, i);
    for (const u of updates.slice(0, 10)) await s.append(name, u);
    await Promise.all([
      s.compact(name, merge),
      ...updates.slice(10, 20).map((u) => s.append(name, u)),
      s.compact(name, merge),
      ...updates.slice(20).map((u) => s.append(name, u)),
    ]);
    expect(await rebuilt(s, name)).toEqual(d.getMap('m').toJSON());
  });
});
