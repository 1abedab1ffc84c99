import { DAY_MS, localTime, policyBodySchema, type PolicyBody, type Scenario as SiteScenario } from '@cr/shared';

const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
const ZONES = ['lobby', 'lounge', 'meeting', 'office'];
const DEVICES = [...ZONES.map((z) => `light-${z}`), 'hvac-main', 'hvac-meeting'];

/**
 * A heavy but realistic site policy: 50 rules (21 opening-hour ranges, 20 closed dates, 9
 * secure-mode windows) and 20 automation scenarios over the demo site's zones, lights and HVAC.
 * The site is open and outside every secure window at `now` (Asia/Seoul), so every demo card is
 * still granted: the measurement is the cost of the rules, not a change of answers.
 */
export function heavyPolicy(now: number): PolicyBody {
  const today = localTime(now, 'Asia/Seoul');
  // Three ranges a day that together cover it: open now whatever the hour.
  const ranges: Array<[string, string]> = [['00:00', '08:00'], ['08:00', '16:00'], ['16:00', '24:00']];
  const openingHours: Record<string, unknown> = Object.fromEntries(DAYS.map((d) => [d, ranges]));
  // Closed dates from tomorrow on: never today.
  openingHours.closedDates = Array.from({ length: 20 }, (_, i) => localTime(now + (i + 1) * 7 * DAY_MS, 'Asia/Seoul').date);
  // Secure mode late at night on days other than today.
  const otherDays = [0, 1, 2, 3, 4, 5, 6].filter((d) => d !== today.weekday);
  const secureModeSchedule = Array.from({ length: 9 }, (_, i) => ({ days: [otherDays[i % otherDays.length]!], start: hh(i % 4), end: hh((i % 4) + 1) }));
  const scenarios: SiteScenario[] = Array.from({ length: 20 }, (_, i) => {
    const zoneId = ZONES[i % ZONES.length]!;
    const deviceId = DEVICES[i % DEVICES.length]!;
    if (i % 4 === 0) return { id: `s${i}-empty`, trigger: { kind: 'zone-empty', zoneId, forMin: 10 + i }, actions: [{ kind: 'device', deviceId, action: 'off' }], mode: 'single' };
    if (i % 4 === 1) return { id: `s${i}-occupied`, trigger: { kind: 'zone-occupied', zoneId, forMin: 1 }, conditions: [{ kind: 'site-open' }], actions: [{ kind: 'device', deviceId, action: 'on' }], maxRunsPerHour: 6 };
    if (i % 4 === 2) return { id: `s${i}-night`, trigger: { kind: 'time', at: '02:00' }, actions: [{ kind: 'device', deviceId, action: 'off' }, { kind: 'notify', message: `night check ${i}` }], mode: 'queued' };
    return { id: `s${i}-alert`, trigger: { kind: 'alert', type: 'fire' }, actions: [{ kind: 'device', deviceId: 'hvac-main', action: 'off' }], mode: 'restart' };
  });
  const body = { openingHours, access: { secureModeSchedule }, scenarios };
  return policyBodySchema.parse(body);
}

const hh = (h: number): string => `${String(Math.min(23, Math.max(0, h))).padStart(2, '0')}:00`;

/** How many rules a body holds (opening-hour ranges, closed dates, secure-mode windows). */
export function ruleCount(body: PolicyBody): number {
  const oh = body.openingHours as Record<string, unknown> | undefined;
  const ranges = DAYS.reduce((n, d) => n + ((oh?.[d] as unknown[] | undefined)?.length ?? 0), 0);
  return ranges + ((oh?.closedDates as unknown[] | undefined)?.length ?? 0) + (body.access?.secureModeSchedule?.length ?? 0);
}
