import { describe, expect, it } from 'vitest';
import { POLICY_TEMPLATES } from '@cr/shared';
import { bodyOf, dayInMode, draftOf, formOf, withDay } from './policy-form';
import { fieldOfPath, problemOfCloud, problemsAt } from './policy-paths';
import { siteIso } from './policy-text';

const LIGHTS = { id: 'lights-off', trigger: { kind: 'zone-empty', zoneId: 'lounge', forMin: 15 }, actions: [{ kind: 'device', deviceId: 'light-1', action: 'off' }] };

describe('policy form ↔ body', () => {
  it('round-trips every template: hours, closed days, holidays and the rest come back as they were', () => {
    for (const tpl of POLICY_TEMPLATES) {
      const out = bodyOf(formOf(tpl.body));
      expect(out, tpl.id).toEqual({ body: tpl.body });
    }
  });

  it('keeps the three states of a day apart: not set (left out), hours, closed (empty list)', () => {
    const form = formOf({ openingHours: { mon: [['09:00', '18:00'], ['19:00', '02:00']], sat: [] } });
    expect(form.days.mon).toEqual({ mode: 'hours', ranges: [{ start: '09:00', end: '18:00' }, { start: '19:00', end: '02:00' }] });
    expect(form.days.sat).toEqual({ mode: 'closed', ranges: [] });
    expect(form.days.sun).toEqual({ mode: 'unset', ranges: [] });
    const back = bodyOf(form);
    expect(back).toEqual({ body: { openingHours: { mon: [['09:00', '18:00'], ['19:00', '02:00']], sat: [] } } });
  });

  it('puts access, booking, thresholds and scenarios in the raw JSON and brings them back', () => {
    const body = { holidays: { country: 'KR' as const }, booking: { noShowGraceMin: 10 }, scenarios: [LIGHTS] };
    const form = formOf(body);
    expect(form.holidays).toBe(true);
    expect(JSON.parse(form.rest)).toEqual({ booking: { noShowGraceMin: 10 }, scenarios: [LIGHTS] });
    expect(bodyOf(form)).toEqual({ body });
  });

  it('adds and removes ranges and closed dates; switching a day to hours starts with one range', () => {
    let form = formOf({});
    form = withDay(form, 'tue', (d) => dayInMode(d, 'hours'));
    form = withDay(form, 'tue', (d) => ({ ...d, ranges: [...d.ranges, { start: '20:00', end: '23:00' }] }));
    form = { ...form, closedDates: ['2026-12-25', ' '] };
    expect(draftOf(form).body).toEqual({ openingHours: { tue: [['09:00', '18:00'], ['20:00', '23:00']], closedDates: ['2026-12-25'] } });
    form = withDay(form, 'tue', (d) => dayInMode(d, 'closed'));
    expect(draftOf(form).body).toEqual({ openingHours: { tue: [], closedDates: ['2026-12-25'] } });
  });

  it('names the field of each problem: a bad end time, a bad closed date, a misspelt key, broken JSON', () => {
    const form = withDay(formOf({}), 'mon', () => ({ mode: 'hours', ranges: [{ start: '09:00', end: '25:00' }] }));
    const bad = bodyOf({ ...form, closedDates: ['2026-13-01'], rest: '{"bookng": {}}' });
    expect('problems' in bad && bad.problems.map((p) => p.field).sort()).toEqual(['closedDates.0', 'hours.mon.0.end', 'rest']);
    const broken = bodyOf({ ...formOf({}), rest: '{ not json' });
    expect('problems' in broken && broken.problems).toEqual([expect.objectContaining({ field: 'rest' })]);
    const same = bodyOf(withDay(formOf({}), 'fri', () => ({ mode: 'hours', ranges: [{ start: '10:00', end: '10:00' }] })));
    expect('problems' in same && same.problems[0]!.field).toBe('hours.fri.0');
  });
});

describe('validation path mapping', () => {
  it('maps schema paths to editor fields', () => {
    expect(fieldOfPath(['openingHours', 'wed', 1, 0])).toBe('hours.wed.1.start');
    expect(fieldOfPath(['openingHours', 'wed', 1, 1])).toBe('hours.wed.1.end');
    expect(fieldOfPath(['openingHours', 'wed'])).toBe('hours.wed');
    expect(fieldOfPath(['openingHours', 'closedDates', 4])).toBe('closedDates.4');
    expect(fieldOfPath(['openingHours'])).toBe('hours');
    expect(fieldOfPath(['holidays', 'country'])).toBe('holidays');
    expect(fieldOfPath(['scenarios', 0, 'trigger'])).toBe('rest');
    expect(fieldOfPath([])).toBe('rest');
  });

  it('reads the cloud’s 400 sentence into a field problem', () => {
    expect(problemOfCloud('body.openingHours.mon.0.1: must be HH:MM between 00:00 and 24:00')).toEqual({ field: 'hours.mon.0.end', path: 'openingHours.mon.0.1', message: 'must be HH:MM between 00:00 and 24:00' });
    expect(problemOfCloud('body.scenarios.2.id: scenario id x repeats')).toMatchObject({ field: 'rest', path: 'scenarios.2.id' });
    expect(problemOfCloud('name: String must contain at least 1 character(s)')).toMatchObject({ field: 'name' });
    expect(problemOfCloud('policy not found')).toEqual({ field: 'form', path: '', message: 'policy not found' });
    const ps = [problemOfCloud('body.openingHours.mon.0.1: x'), problemOfCloud('body.openingHours.mon: y')];
    expect(problemsAt(ps, 'hours.mon').map((p) => p.message)).toEqual(['y']);
    expect(problemsAt(ps, 'hours.mon.0', true).map((p) => p.message)).toEqual(['x']);
  });
});

describe('site time for a dry run', () => {
  it('writes the site’s wall clock with its offset, whatever zone the console runs in', () => {
    expect(siteIso('2026-12-08', '10:00', 'Asia/Seoul')).toBe('2026-12-08T10:00:00+09:00');
    expect(siteIso('2026-07-01', '09:30', 'America/New_York')).toBe('2026-07-01T09:30:00-04:00');
    expect(siteIso('2026-12-08', '25:00', 'Asia/Seoul')).toBeUndefined();
    expect(siteIso('2026-02-30', '10:00', 'Asia/Seoul')).toBeUndefined();
  });
});
