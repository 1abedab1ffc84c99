import { describe, expect, it } from 'vitest';
import { DoorSafety } from './door-safety';

const LIMIT = () => 1000;

describe('door safety', () => {
  it('raises forced when a locked door opens with no grant, and clears on close', () => {
    const d = new DoorSafety();
    expect(d.onState('d', { locked: true, open: false }, 0, 'normal')).toEqual([]);
    expect(d.onState('d', { locked: true, open: true }, 10, 'normal')).toMatchObject([{ type: 'door.forced', phase: 'raise' }]);
    expect(d.onState('d', { locked: true, open: false }, 20, 'normal')).toMatchObject([{ type: 'door.forced', phase: 'clear' }]);
  });

  it.each([
    ['within a grant', (d: DoorSafety) => d.authorize('d', 5_000), 'normal'],
    ['in emergency-unlock', () => undefined, 'emergency-unlock'],
    ['after an unlock command', (d: DoorSafety) => d.authorize('d', Number.MAX_SAFE_INTEGER), 'normal'],
  ] as const)('does not call an opening forced %s', (_n, prep, mode) => {
    const d = new DoorSafety();
    prep(d);
    expect(d.onState('d', { locked: true, open: true }, 100, mode)).toEqual([]);
  });

  it('calls an opening forced again once a lock command revoked the unlock', () => {
    const d = new DoorSafety();
    d.authorize('d', Number.MAX_SAFE_INTEGER);
    d.revoke('d');
    expect(d.onState('d', { locked: true, open: true }, 100, 'normal')).toHaveLength(1);
  });

  it('raises held-open once past the limit, dated from the opening, not in emergency-unlock', () => {
    const d = new DoorSafety();
    d.authorize('d', 100);
    d.onState('d', { locked: false, open: true }, 50, 'normal');
    expect(d.tick(1000, 'normal', LIMIT)).toEqual([]);
    expect(d.tick(1100, 'emergency-unlock', LIMIT)).toEqual([]);
    expect(d.tick(1100, 'normal', LIMIT)).toMatchObject([{ type: 'door.held-open', phase: 'raise', at: 50 }]);
    expect(d.tick(5000, 'normal', LIMIT)).toEqual([]);
    expect(d.onState('d', { locked: true, open: false }, 6000, 'normal')).toMatchObject([{ type: 'door.held-open', phase: 'clear' }]);
  });
});
