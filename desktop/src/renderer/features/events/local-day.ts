import { DAY_MS, localTime } from '@cr/shared';

/** Epoch ms of 00:00 on `date` (YYYY-MM-DD) in the site's time zone; undefined when malformed. */
export function startOfLocalDay(date: string, timeZone: string): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return undefined;
  const utcMidnight = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  if (!Number.isFinite(utcMidnight)) return undefined;
  const lt = localTime(utcMidnight, timeZone);
  // The zone's offset at that instant, in minutes (east of UTC positive).
  const dayShift = lt.date === date ? 0 : lt.date > date ? 1440 : -1440;
  const offsetMin = lt.minuteOfDay + dayShift;
  return utcMidnight - offsetMin * 60_000;
}

export function endOfLocalDay(date: string, timeZone: string): number | undefined {
  const start = startOfLocalDay(date, timeZone);
  return start === undefined ? undefined : start + DAY_MS - 1;
}
