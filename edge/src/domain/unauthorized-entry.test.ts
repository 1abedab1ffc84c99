import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { UnauthorizedEntry } from './unauthorized-entry';
import { ZonePresence } from './zone-presence';

const EMPTY = 60_000;

function setup() {
  const presence = new ZonePresence();
  const entry = new UnauthorizedEntry(presence, EMPTY);
  const see = (occupied: boolean, at: number, sensor = 'pir-1') => entry.activity('office', presence.observe(sensor, 'office', occupied, at), true, at);
  return { presence, entry, see };
}

describe('unauthorized entry', () => {
  it('raises for motion in a zone empty long enough with no grant since, and clears once it is empty again', () => {
    const { entry, see } = setup();
    expect(see(false, 0)).toEqual([]);
    expect(see(true, EMPTY + 1)).toMatchObject([{ phase: 'raise', subject: 'office', at: EMPTY + 1 }]);
    // The intruder keeps moving: no second alarm.
    expect(see(false, EMPTY + 2)).toEqual([]);
    expect(see(true, EMPTY + 3)).toEqual([]);
    expect(see(false, EMPTY + 4)).toEqual([]);
    expect(entry.tick(2 * EMPTY + 3)).toEqual([]);
    expect(entry.tick(2 * EMPTY + 4)).toMatchObject([{ phase: 'clear', subject: 'office' }]);
  });

  it('stays quiet for a person granted into the zone after it emptied, for a zone not empty long enough, and for an unguarded zone', () => {
    const a = setup();
    a.see(false, 0);
    a.entry.letIn('office', 10);
    expect(a.see(true, EMPTY + 20)).toEqual([]);
    const b = setup();
    b.see(false, 0);
    expect(b.see(true, EMPTY - 1)).toEqual([]);
    const c = setup();
    expect(c.entry.activity('lobby', c.presence.observe('pir-l', 'lobby', false, 0), false, 0)).toEqual([]);
    expect(c.entry.activity('lobby', c.presence.observe('pir-l', 'lobby', true, EMPTY * 2), false, EMPTY * 2)).toEqual([]);
  });

  it('a grant from before the zone emptied does not cover the next entry', () => {
    const { entry, see } = setup();
    entry.letIn('office', 0);
    see(true, 5);
    see(false, 10);
    expect(see(true, 10 + EMPTY)).toHaveLength(1);
  });

  it('a zone nobody reported on is never called empty, and a motion event counts as activity', () => {
    const { presence, entry } = setup();
    expect(entry.activity('office', presence.motion('office', 0), true, 0)).toEqual([]);
    presence.observe('pir-1', 'office', false, 0);
    expect(entry.activity('office', presence.motion('office', EMPTY), true, EMPTY)).toHaveLength(1);
  });

  it('raises exactly when the zone was quiet at least the empty time and no one was let in since (fixed seed)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 3 * EMPTY }), fc.option(fc.integer({ min: -EMPTY, max: 3 * EMPTY }), { nil: undefined }), (quiet, grantAt) => {
        const { entry, see } = setup();
        see(false, 0);
        const now = quiet;
        if (grantAt !== undefined && grantAt <= now) entry.letIn('office', grantAt);
        const raised = see(true, now).length === 1;
        const letInSinceEmpty = grantAt !== undefined && grantAt <= now && grantAt >= 0;
        expect(raised).toBe(quiet >= EMPTY && !letInSinceEmpty);
      }),
      { seed: 4242, numRuns: 400 },
    );
  });
});
