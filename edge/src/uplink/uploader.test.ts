import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { edgeToCloudSchema } from '@cr/shared';
import { openDb } from '../store/db';
import { GroupCommit } from '@cr/store-kit';
import { Outbox } from '../store/outbox';
import { Uploader } from './uploader';

async function filledOutbox(events: number): Promise<Outbox> {
  const db = openDb(mkdtempSync(join(tmpdir(), 'uploader-')));
  const outbox = new Outbox(db, 10_000, new GroupCommit(db));
  await Promise.all(Array.from({ length: events }, (_, i) => outbox.append({ id: randomUUID(), type: 'motion', ts: i })));
  return outbox;
}

/** A link that records the batches it carries (their ids and first event's ts). */
function recordingLink() {
  const sent: Array<{ batchId: string; ts: number[] }> = [];
  const send = (text: string): boolean => {
    const msg = edgeToCloudSchema.parse(JSON.parse(text));
    if (msg.type === 'events') sent.push({ batchId: msg.batchId, ts: msg.events.map((e) => e.ts) });
    return true;
  };
  return { sent, send };
}

const tick = () => new Promise((r) => setImmediate(r));

describe('uploader', () => {
  afterEach(() => vi.useRealTimers());

  it('keeps up to `window` batches in flight, in order, and deletes only the acknowledged prefix', async () => {
    const outbox = await filledOutbox(10);
    const uploaded: number[] = [];
    const uploader = new Uploader(outbox, { batchSize: 2, window: 3, ackTimeoutMs: 60_000 }, (n) => uploaded.push(n));
    const link = recordingLink();
    uploader.attach(link.send);
    await tick();
    expect(link.sent.map((b) => b.ts)).toEqual([[0, 1], [2, 3], [4, 5]]);
    // An acknowledgement ahead of an earlier batch's waits for it: nothing is deleted yet.
    uploader.onAck(link.sent[1]!.batchId);
    await tick();
    expect(outbox.depth).toBe(10);
    expect(link.sent).toHaveLength(3);
    uploader.onAck(link.sent[0]!.batchId);
    await tick();
    expect(uploaded).toEqual([4]);
    expect(outbox.depth).toBe(6);
    expect(link.sent.map((b) => b.ts).slice(3)).toEqual([[6, 7], [8, 9]]);
    for (const b of link.sent.slice(2)) uploader.onAck(b.batchId);
    await tick();
    expect(outbox.depth).toBe(0);
    expect(uploader.pending).toBe(false);
  });

  it('sends unacknowledged batches again with the same ids after the timeout, and everything after a reconnect', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const outbox = await filledOutbox(4);
    const uploader = new Uploader(outbox, { batchSize: 2, window: 4, ackTimeoutMs: 1_000 }, () => undefined);
    const link = recordingLink();
    uploader.attach(link.send);
    await tick();
    expect(link.sent).toHaveLength(2);
    uploader.onAck(link.sent[0]!.batchId);
    await tick();
    vi.advanceTimersByTime(1_001);
    expect(link.sent.map((b) => b.batchId)).toEqual([link.sent[0]!.batchId, link.sent[1]!.batchId, link.sent[1]!.batchId]);
    // The link drops before the cloud answers: on the next link everything left is sent again.
    uploader.detach();
    const next = recordingLink();
    uploader.attach(next.send);
    await tick();
    expect(next.sent.map((b) => b.ts)).toEqual([[2, 3]]);
  });
});
