import { describe, expect, it } from 'vitest';
import type { AccessDecision, Credential } from '@cr/shared';
import { decideThrottled, isWrongPin, PinThrottle, pinLockoutMessage, type PinLockout } from './pin-throttle';

const S = 1000;
const M = 60 * S;

type Step =
  | { fail: [reader: string, pin: string, at: number]; starts?: Array<PinLockout['scope']> }
  | { ok: [reader: string, pin: string, at: number] }
  | { check: [reader: string, pin: string, at: number]; is: 'ok' | 'throttled' };

function play(steps: Step[], t = new PinThrottle()): void {
  for (const [i, s] of steps.entries()) {
    if ('fail' in s) {
      const started = t.failed(...s.fail).map((l) => l.scope);
      if (s.starts) expect(started, `step ${i}`).toEqual(s.starts);
    } else if ('ok' in s) t.succeeded(...s.ok);
    else expect(t.check(...s.check), `step ${i}`).toBe(s.is);
  }
}

/** n wrong PINs (all different, as a guesser enters them) on one reader, one second apart from `at`; lockouts not asserted. */
const guesses = (reader: string, n: number, at: number): Step[] =>
  Array.from({ length: n }, (_, k) => ({
    fail: [reader, `pin:${1000 + k + at}`, at + k * S] as [string, string, number],
  }));

describe('PinThrottle', () => {
  it.each<[string, Step[]]>([
    [
      'four wrong PINs leave the reader open',
      [
        ...guesses('r1', 3, 0),
        { fail: ['r1', 'pin:0004', 3 * S], starts: [] },
        { check: ['r1', 'pin:9999', 5 * S], is: 'ok' },
      ],
    ],
    [
      'the fifth wrong PIN within 5 min locks the reader for 30 s, the right PIN included',
      [
        ...guesses('r1', 4, 0),
        { fail: ['r1', 'pin:0005', 4 * S], starts: ['reader'] },
        { check: ['r1', 'pin:4321', 5 * S], is: 'throttled' },
        { check: ['r1', 'pin:4321', 33 * S], is: 'throttled' },
        { check: ['r1', 'pin:4321', 34 * S], is: 'ok' },
      ],
    ],
    [
      'another reader of the site is not locked by the first',
      [...guesses('r1', 5, 0), { check: ['r2', 'pin:4321', 5 * S], is: 'ok' }],
    ],
    [
      'wrong PINs spread over more than the window never lock',
      [...guesses('r1', 4, 0), ...guesses('r1', 4, 6 * M), { check: ['r1', 'pin:1', 7 * M], is: 'ok' }],
    ],
    [
      'the second lockout lasts twice as long',
      [
        ...guesses('r1', 5, 0),
        ...guesses('r1', 4, 40 * S),
        { fail: ['r1', 'pin:x', 44 * S], starts: ['reader'] },
        { check: ['r1', 'pin:1', 44 * S + 59 * S], is: 'throttled' },
        { check: ['r1', 'pin:1', 44 * S + 60 * S], is: 'ok' },
      ],
    ],
    [
      'one valid PIN between guesses does not clear the reader count (attacker who knows a PIN)',
      [
        ...guesses('r1', 4, 0),
        { ok: ['r1', 'pin:own', 4 * S] },
        { fail: ['r1', 'pin:x', 5 * S], starts: ['reader'] },
        { check: ['r1', 'pin:own', 6 * S], is: 'throttled' },
      ],
    ],
    [
      'one PIN tried on five readers locks that PIN everywhere, not the readers',
      [
        ...['r1', 'r2', 'r3', 'r4'].map((r, k): Step => ({ fail: [r, 'pin:1234', k * S] })),
        { fail: ['r5', 'pin:1234', 4 * S], starts: ['credential'] },
        { check: ['r6', 'pin:1234', 5 * S], is: 'throttled' },
        { check: ['r6', 'pin:5678', 5 * S], is: 'ok' },
      ],
    ],
    [
      'the right PIN clears its own credential count',
      [
        ...['r1', 'r2', 'r3', 'r4'].map((r, k): Step => ({ fail: [r, 'pin:1234', k * S] })),
        { ok: ['r9', 'pin:1234', 5 * S] },
        { fail: ['r5', 'pin:1234', 6 * S], starts: [] },
        { check: ['r6', 'pin:1234', 7 * S], is: 'ok' },
      ],
    ],
    [
      'after an hour without wrong PINs the next lockout is the first again (30 s)',
      [
        ...guesses('r1', 5, 0),
        ...guesses('r1', 4, 2 * 60 * M),
        { fail: ['r1', 'pin:x', 2 * 60 * M + 4 * S], starts: ['reader'] },
        { check: ['r1', 'pin:1', 2 * 60 * M + 4 * S + 30 * S], is: 'ok' },
      ],
    ],
  ])('%s', (_name, steps) => play(steps));

  it('doubles the delay with each lockout up to 15 min', () => {
    const t = new PinThrottle();
    const delays: number[] = [];
    let at = 0;
    for (let round = 0; round < 8; round++) {
      let lock: PinLockout | undefined;
      for (let k = 0; k < 5; k++) lock = t.failed('r1', `pin:${round}-${k}`, (at += S))[0] ?? lock;
      delays.push((lock!.until - at) / S);
      at = lock!.until;
    }
    expect(delays).toEqual([30, 60, 120, 240, 480, 900, 900, 900]);
  });

  it('keeps memory bounded under endless distinct wrong PINs', () => {
    const t = new PinThrottle({ maxKeys: 100, maxFailures: 1_000_000 });
    for (let k = 0; k < 5_000; k++) t.failed(`r${k % 7}`, `pin:${k}`, k);
    expect(t.tracked).toEqual({ readers: 7, credentials: 100 });
  });

  it.each<[string, AccessDecision, boolean]>([
    ['pin', { granted: false, reason: 'unknown-credential' }, true],
    ['pin', { granted: false, reason: 'site-mode' }, true],
    ['pin', { granted: false, reason: 'site-mode', memberId: 'm-1' }, false],
    ['pin', { granted: false, reason: 'no-grant', memberId: 'm-1' }, false],
    ['pin', { granted: true, reason: 'granted', memberId: 'm-1' }, false],
    ['pin', { granted: false, reason: 'device-pending' }, false],
    ['card', { granted: false, reason: 'unknown-credential' }, false],
  ])('a %s decided %j counts as a wrong PIN: %s', (type, decision, wrong) => {
    expect(isWrongPin(type, decision)).toBe(wrong);
  });

  it('the alert text names the reader and never the PIN', () => {
    const [lock] = (() => {
      const t = new PinThrottle();
      let l: PinLockout[] = [];
      for (let k = 0; k < 5; k++) l = t.failed('reader-lobby', 'pin:424242', k);
      return l;
    })();
    const text = pinLockoutMessage(lock!, 4);
    expect(text).toContain('reader-lobby');
    expect(text).not.toContain('424242');
  });

  describe('decideThrottled (the access path)', () => {
    const pin = (value: string): Credential => ({ type: 'pin', value });
    const VALID = '424242';
    /** The cache: one member with PIN 424242. */
    const decide = (c: Credential) => (): AccessDecision =>
      c.value === VALID
        ? { granted: true, reason: 'granted', memberId: 'm-1' }
        : { granted: false, reason: 'unknown-credential' };

    it('refuses the right PIN unread once five wrong ones locked the reader, raises one alert, and lets cards through', () => {
      const pins = new PinThrottle();
      const lockouts: PinLockout[] = [];
      let looked = 0;
      const run = (c: Credential, at: number) =>
        decideThrottled(
          pins,
          'r1',
          c,
          at,
          () => (looked++, decide(c)()),
          (l) => lockouts.push(l),
        );
      for (let k = 0; k < 5; k++)
        expect(run(pin(`00000${k}`), k * S)).toMatchObject({ granted: false, reason: 'unknown-credential' });
      expect(lockouts).toMatchObject([{ scope: 'reader', readerId: 'r1' }]);

      looked = 0;
      expect(run(pin(VALID), 6 * S)).toEqual({ granted: false, reason: 'throttled' });
      expect(looked).toBe(0);
      expect(run({ type: 'card', value: 'card-1' }, 6 * S).reason).toBe('unknown-credential');
      expect(run(pin(VALID), 36 * S)).toMatchObject({ granted: true, memberId: 'm-1' });
      expect(lockouts).toHaveLength(1);
    });
  });
});
