import { describe, expect, it } from 'vitest';
import { FrameThrottle, type FrameClock } from './frame-throttle';

/** A manual clock: timers and frames run only when the test advances time. */
function fakeClock() {
  let now = 0;
  let nextId = 1;
  const timers = new Map<number, { at: number; cb: () => void }>();
  const frames = new Map<number, () => void>();
  const clock: FrameClock = {
    now: () => now,
    frame: (cb) => (frames.set(nextId, cb), nextId++),
    cancelFrame: (id) => frames.delete(id),
    timeout: (cb, ms) => (timers.set(nextId, { at: now + ms, cb }), nextId++),
    cancelTimeout: (id) => timers.delete(id),
  };
  /** Advances in 16 ms frames: due timers first, then one animation frame. */
  const advance = (ms: number): void => {
    for (const end = now + ms; now < end; ) {
      now += 16;
      for (const [id, t] of [...timers]) {
        if (t.at > now) continue;
        timers.delete(id);
        t.cb();
      }
      const due = [...frames];
      frames.clear();
      for (const [, cb] of due) cb();
    }
  };
  return { clock, advance };
}

describe('FrameThrottle', () => {
  it('emits a value after a quiet spell at the next frame', () => {
    const { clock, advance } = fakeClock();
    const out: number[] = [];
    const t = new FrameThrottle<number>((v) => out.push(v), 250, clock);
    t.push(1);
    expect(out).toEqual([]);
    advance(16);
    expect(out).toEqual([1]);
  });

  it('collapses a burst at 10 per second into at most one value per interval, ending with the last', () => {
    const { clock, advance } = fakeClock();
    const out: { v: number; at: number }[] = [];
    const t = new FrameThrottle<number>((v) => out.push({ v, at: clock.now() }), 250, clock);
    const start = clock.now();
    for (let i = 1; i <= 20; i++) {
      t.push(i);
      advance(100);
    }
    const span = clock.now() - start;
    advance(500);
    expect(out.length).toBeLessThanOrEqual(Math.floor(span / 250) + 2);
    expect(out.length).toBeGreaterThanOrEqual(Math.floor(span / 250) - 1);
    expect(out.at(-1)?.v).toBe(20);
    for (let i = 1; i < out.length; i++) expect(out[i]!.at - out[i - 1]!.at).toBeGreaterThanOrEqual(250);
  });

  it('emits nothing after cancel', () => {
    const { clock, advance } = fakeClock();
    const out: number[] = [];
    const t = new FrameThrottle<number>((v) => out.push(v), 250, clock);
    t.push(1);
    advance(16);
    t.push(2);
    t.cancel();
    advance(1000);
    expect(out).toEqual([1]);
  });
});
