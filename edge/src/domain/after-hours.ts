import { localTime, parseClock } from '@cr/shared';

/** The site's staffed hours in its own time zone; outside them nobody is expected inside. */
export interface SiteHours {
  /** minutes since local midnight the site opens */
  open: number;
  /** minutes since local midnight it closes; before `open` when the hours run past midnight */
  close: number;
}

/** Parses "HH:MM-HH:MM" (e.g. 07:00-23:00, or 18:00-02:00 across midnight); undefined when malformed. */
export function parseSiteHours(raw: string): SiteHours | undefined {
  const m = /^(\d\d:\d\d)-(\d\d:\d\d)$/.exec(raw.trim());
  if (!m) return undefined;
  const open = parseClock(m[1]!);
  const close = parseClock(m[2]!);
  if (open === undefined || close === undefined || open === close) return undefined;
  return { open, close };
}

/** Whether `ts` falls outside the site's hours in `timeZone`. */
export function isAfterHours(ts: number, timeZone: string, hours: SiteHours): boolean {
  const minute = localTime(ts, timeZone).minuteOfDay;
  const inside = hours.open < hours.close ? minute >= hours.open && minute < hours.close : minute >= hours.open || minute < hours.close;
  return !inside;
}

export interface PresenceVerdict {
  /** raise (or keep) the after-hours presence alarm */
  present: boolean;
  /** zones with people counted in them, most occupied first */
  zones: Array<{ zoneId: string; count: number }>;
}

/**
 * After-hours presence, pure: outside the site's hours, any zone where people are counted is
 * someone still inside at closing (or coming in at night). Inside the hours nothing is raised.
 */
export function afterHoursPresence(ts: number, timeZone: string, hours: SiteHours | undefined, occupancy: Record<string, number>): PresenceVerdict {
  if (!hours || !isAfterHours(ts, timeZone, hours)) return { present: false, zones: [] };
  const zones = Object.entries(occupancy)
    .filter(([, count]) => count > 0)
    .map(([zoneId, count]) => ({ zoneId, count }))
    .sort((a, b) => b.count - a.count || a.zoneId.localeCompare(b.zoneId));
  return { present: zones.length > 0, zones };
}
