/** Sites are in Seoul unless the site says otherwise. Korea has no DST. */
export const DEFAULT_TIMEZONE = 'Asia/Seoul';

export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;

/** Wall-clock parts of an instant in a site's time zone. */
export interface LocalTime {
  /** 0 = Sunday … 6 = Saturday */
  weekday: number;
  /** minutes since local midnight, 0…1439 */
  minuteOfDay: number;
  /** YYYY-MM-DD */
  date: string;
}

const WEEKDAYS: Record<string, number> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      weekday: 'short',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** True when the runtime knows the IANA zone name. */
export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** The local weekday, minute of day and date of `ts` in `timeZone`. */
export function localTime(ts: number, timeZone: string = DEFAULT_TIMEZONE): LocalTime {
  const parts: Record<string, string> = {};
  for (const p of formatterFor(timeZone).formatToParts(ts)) parts[p.type] = p.value;
  const hour = Number(parts.hour) % 24;
  return {
    weekday: WEEKDAYS[parts.weekday ?? 'Sun'] ?? 0,
    minuteOfDay: hour * 60 + Number(parts.minute),
    date: `${parts.year}-${parts.month}-${parts.day}`,
  };
}

/** "HH:MM" (00:00 … 24:00) → minutes since midnight, or undefined when malformed. */
export function parseClock(clock: string): number | undefined {
  const m = /^([01]\d|2[0-4]):([0-5]\d)$/.exec(clock);
  if (!m) return undefined;
  const minutes = Number(m[1]) * 60 + Number(m[2]);
  return minutes <= 24 * 60 ? minutes : undefined;
}

/** Formats an instant as "YYYY-MM-DD HH:MM" in the site's zone, for logs and reports. */
export function formatLocal(ts: number, timeZone: string = DEFAULT_TIMEZONE): string {
  const t = localTime(ts, timeZone);
  const hh = String(Math.floor(t.minuteOfDay / 60)).padStart(2, '0');
  const mm = String(t.minuteOfDay % 60).padStart(2, '0');
  return `${t.date} ${hh}:${mm}`;
}
