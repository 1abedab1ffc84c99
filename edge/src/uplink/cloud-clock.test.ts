import { describe, expect, it } from 'vitest';
import type { RemoteCommand } from '@cr/shared';
import { CloudClock } from './cloud-clock';

const command = (issuedAt: number, ttlMs?: number): RemoteCommand => ({
  id: 'c1',
  siteId: 'site-a',
  target: { kind: 'mode', mode: 'lockdown' },
  reason: 'test',
  issuedBy: 'hq',
  issuerRole: 'hq-operator',
  issuedAt,
  expiresAt: issuedAt + (ttlMs ?? 5_000),
  ttlMs,
});

describe('cloud clock', () => {
  it('takes the offset from the reading with the shortest round trip', () => {
    const clock = new CloudClock(() => undefined);
    clock.sample(10_500, 0, 400); // rtt 400: offset 10 300
    clock.sample(20_000, 9_900, 9_920); // rtt 20: offset 10 090
    clock.sample(30_700, 20_000, 21_000); // rtt 1000: offset 10 200
    expect(clock.estimate).toEqual({ offsetMs: 10_090, uncertaintyMs: 10 });
  });

  it('ignores readings whose round trip is negative or too long', () => {
    const clock = new CloudClock(() => undefined);
    clock.sample(1_000, 500, 400);
    clock.sample(1_000, 0, 60_000);
    expect(clock.estimate).toBeUndefined();
  });

  it('forgets old readings beyond its window', () => {
    const clock = new CloudClock(() => undefined);
    clock.sample(100_000, 0, 0); // perfect but old
    for (let i = 1; i <= 8; i++) clock.sample(i * 1_000 + 50, i * 1_000, i * 1_000 + 100);
    expect(clock.estimate).toEqual({ offsetMs: 0, uncertaintyMs: 50 });
  });

  it('reports crossing the skew limit once each way', () => {
    const calls: Array<[boolean, number]> = [];
    const clock = new CloudClock((skewed, offset) => calls.push([skewed, offset]));
    clock.sample(60_010, 0, 20); // +60 s
    clock.sample(61_010, 1_000, 1_020);
    for (let i = 0; i < 8; i++) clock.sample(2_010 + i, 2_000 + i, 2_020 + i); // back in step
    expect(calls).toEqual([
      [true, 60_000],
      [false, 0],
    ]);
  });

  it.each([
    // [what, offset of the cloud, issued (cloud clock), received (edge clock), ttl, expected local deadline]
    ['in step, delivered at once: ttl from receipt', 0, 1_000, 1_000, 2_000, 2_990],
    ['cloud 60 s ahead, delivered at once', 60_000, 61_000, 1_000, 2_000, 2_990],
    ['cloud 60 s behind, delivered at once', -60_000, 1_000, 61_000, 2_000, 62_990],
    ['held 3 s in transit: the cloud deadline has passed', 0, 1_000, 4_000, 2_000, 2_990],
    ['cloud clock jumped: never more than the ttl after receipt', -3_600_000, 1_000, 1_000, 2_000, 3_000],
  ])('deadline: %s', (_what, offset, issuedAt, receivedAt, ttl, expected) => {
    const clock = new CloudClock(() => undefined);
    clock.sample(offset + 510, 500, 520); // this reading: ±10 ms
    const local = clock.localCommand(command(issuedAt, ttl), receivedAt);
    expect(local.expiresAt).toBe(expected);
    expect(local.expiresAt <= receivedAt).toBe(expected <= receivedAt);
  });

  it('without ttl falls back to the cloud deadline read through the offset', () => {
    const clock = new CloudClock(() => undefined);
    clock.sample(60_510, 500, 520);
    expect(clock.localCommand(command(61_000), 1_000).expiresAt).toBe(61_000 + 5_000 - 60_000 - 10);
  });
});
