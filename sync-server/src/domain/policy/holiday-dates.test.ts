import { describe, expect, it } from 'vitest';
import { isSiteOpen, policyBodySchema } from '@cr/shared';
import { bodyForEdge, publicHolidayDates } from './holiday-dates';

describe('holiday expansion', () => {
  it('knows the Korean public holidays of a year, substitutes included', () => {
    const dates = publicHolidayDates('KR', '2026-01-01', '2026-12-31');
    expect(dates).toEqual(expect.arrayContaining(['2026-01-01', '2026-03-01', '2026-05-05', '2026-08-15', '2026-10-03', '2026-10-09', '2026-12-25']));
    expect(dates).not.toContain('2026-11-18');
  });

  it('turns holidays: KR into concrete closed dates for the next 400 days, keeping the policy’s own', () => {
    const now = Date.parse('2026-11-18T12:00:00+09:00');
    const body = bodyForEdge({ openingHours: { closedDates: ['2026-11-20'] }, holidays: { country: 'KR' } }, now, 'Asia/Seoul');
    const closed = body.openingHours!.closedDates!;
    expect(closed).toContain('2026-11-20');
    expect(closed).toContain('2026-12-25');
    expect(closed).toContain('2027-10-09');
    expect(closed.every((d) => d >= '2026-11-18' && d <= '2027-12-23')).toBe(true);
    expect(policyBodySchema.safeParse(body).success).toBe(true);
    expect(isSiteOpen(body, Date.parse('2026-12-25T12:00:00+09:00'), 'Asia/Seoul')).toBe(false);
    expect(isSiteOpen(body, Date.parse('2026-12-24T12:00:00+09:00'), 'Asia/Seoul')).toBe(true);
  });

  it('leaves a body without holidays as it is', () => {
    const body = { openingHours: { sun: [] } };
    expect(bodyForEdge(body, Date.now(), 'Asia/Seoul')).toBe(body);
  });
});
