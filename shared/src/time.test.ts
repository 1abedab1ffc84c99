import { describe, expect, it } from 'vitest';
import { formatLocal, isValidTimeZone, localTime, parseClock } from './time';

describe('site local time', () => {
  it('is Seoul by default, UTC+9 all year (no DST)', () => {
    for (const month of ['01', '04', '07', '10']) {
      const t = localTime(Date.parse(`2026-${month}-15T15:30:00Z`));
      expect(t.minuteOfDay).toBe(30); // 00:30 next day in Seoul
      expect(t.date).toBe(`2026-${month}-16`);
    }
  });

  it('gives the weekday in the site zone', () => {
    // Saturday 20:00 UTC is Sunday 05:00 in Seoul.
    expect(localTime(Date.parse('2026-11-21T20:00:00Z')).weekday).toBe(0);
    expect(localTime(Date.parse('2026-11-21T20:00:00Z'), 'UTC').weekday).toBe(6);
  });

  it('reports midnight as minute 0', () => {
    expect(localTime(Date.parse('2026-11-20T15:00:00Z')).minuteOfDay).toBe(0);
  });

  it('parses clocks and rejects malformed ones', () => {
    expect(parseClock('00:00')).toBe(0);
    expect(parseClock('24:00')).toBe(1440);
    expect(parseClock('23:59')).toBe(1439);
    for (const bad of ['24:01', '7:00', '12:60', 'noon', '']) expect(parseClock(bad)).toBeUndefined();
  });

  it('knows valid zones and formats local times', () => {
    expect(isValidTimeZone('Asia/Seoul')).toBe(true);
    expect(isValidTimeZone('Mars/Olympus')).toBe(false);
    expect(formatLocal(Date.parse('2026-11-20T01:05:00Z'))).toBe('2026-11-20 10:05');
  });
});
