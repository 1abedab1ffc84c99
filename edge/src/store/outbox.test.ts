import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { openDb } from './db';
import { Outbox } from './outbox';

const event = (n: number) => ({ id: randomUUID(), type: 'motion', ts: n });

describe('outbox', () => {
  it('keeps order, refuses duplicates and, when full, new events (never older ones)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'outbox-'));
    const outbox = new Outbox(openDb(dir), 3);
    const first = event(1);
    expect(outbox.append(first)).toBe('stored');
    expect(outbox.append(first)).toBe('duplicate');
    outbox.append(event(2));
    outbox.append(event(3));
    expect(outbox.append(event(4))).toBe('full');
    expect(outbox.refused).toBe(1);
    const batch = outbox.nextBatch(2)!;
    expect(batch.events.map((e) => e.ts)).toEqual([1, 2]);
    expect(outbox.acknowledge(batch.lastSeq)).toBe(2);
    expect(outbox.nextBatch(10)!.events.map((e) => e.ts)).toEqual([3]);
    // Reopened from disk: the depth is what is really stored.
    expect(new Outbox(openDb(dir), 3).depth).toBe(1);
  });
});
