import { describe, expect, it } from 'vitest';
import { policyBodyError, policyBodySchema, type PolicyBody } from './policy-body';
import { diffPolicies } from './policy-diff';
import { POLICY_TEMPLATES } from './policy-templates';
import type { Scenario } from './scenario';

const lightsOff: Scenario = {
  id: 'lights-off',
  trigger: { kind: 'zone-empty', zoneId: 'meeting', forMin: 10 },
  actions: [{ kind: 'device', deviceId: 'light-1', action: 'off' }],
};

describe('policyBodySchema', () => {
  it('accepts every template', () => {
    for (const t of POLICY_TEMPLATES) expect(policyBodySchema.safeParse(t.body).success, t.id).toBe(true);
  });

  it.each<[string, unknown, string]>([
    ['a malformed clock', { openingHours: { mon: [['9:00', '18:00']] } }, 'body.openingHours.mon.0.0'],
    ['an interval that starts where it ends', { openingHours: { tue: [['09:00', '09:00']] } }, 'body.openingHours.tue.0'],
    ['a misspelt day', { openingHours: { monday: [] } }, 'body.openingHours'],
    ['a bad closed date', { openingHours: { closedDates: ['2026-13-01'] } }, 'body.openingHours.closedDates.0'],
    ['an unknown top-level key', { openinghours: {} }, 'body'],
    ['a scenario without actions', { scenarios: [{ ...lightsOff, actions: [] }] }, 'body.scenarios.0.actions'],
    ['a repeated scenario id', { scenarios: [lightsOff, lightsOff] }, 'body.scenarios.1.id'],
    ['a holiday country other than KR', { holidays: { country: 'JP' } }, 'body.holidays.country'],
  ])('refuses %s, naming the field', (_name, body, path) => {
    const r = policyBodySchema.safeParse(body);
    expect(r.success).toBe(false);
    expect(policyBodyError(r.error!.issues)).toMatch(new RegExp(`^${path.replace(/\./g, '\\.')}:`));
  });
});

describe('diffPolicies', () => {
  it('lists changed hours, added closed dates and scenario edits by id', () => {
    const a: PolicyBody = { openingHours: { mon: [['09:00', '18:00']] as [string, string][] }, scenarios: [lightsOff] };
    const b: PolicyBody = {
      openingHours: { mon: [['09:00', '20:00']] as [string, string][], sat: [], closedDates: ['2026-12-25'] },
      scenarios: [{ ...lightsOff, trigger: { kind: 'zone-empty', zoneId: 'meeting', forMin: 20 } }],
    };
    expect(diffPolicies(a, b).map((c) => c.text)).toEqual([
      'openingHours.closedDates: added ["2026-12-25"]',
      'openingHours.mon: 09:00–18:00 → 09:00–20:00',
      'openingHours.sat: added closed',
      'scenarios.lights-off.trigger.forMin: 10 → 20',
    ]);
  });

  it('is empty for equal policies and names removals', () => {
    expect(diffPolicies({ scenarios: [lightsOff] }, { scenarios: [lightsOff] })).toEqual([]);
    expect(diffPolicies({ scenarios: [lightsOff] }, { scenarios: [] })).toMatchObject([{ path: 'scenarios.lights-off', kind: 'removed' }]);
    expect(diffPolicies({ holidays: { country: 'KR' } }, {})).toMatchObject([{ path: 'holidays', kind: 'removed' }]);
  });
});
