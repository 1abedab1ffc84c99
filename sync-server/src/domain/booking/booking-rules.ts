import { DAY_MS, holdsSlot, localTime, parseClock } from '@cr/shared';
import { WEEKDAY_KEYS, type BookingRecord, type ResourceRecord } from '../../store/booking-records';

/** A slot asked for: who, when (epoch ms). */
export interface SlotRequest {
  memberId: string;
  start: number;
  end: number;
}

/** Bookings may start a little in the past (a person booking the room they stand in). */
export const PAST_START_TOLERANCE_MS = 5 * 60_000;

const minutes = (ms: number) => `${Math.round(ms / 60_000)} min`;

/**
 * Why the resource's rules refuse the slot (one clear sentence naming the field), or undefined.
 * Hours are the site's local time; a booking lies inside one bookable interval of its start's day.
 */
export function ruleViolation(resource: ResourceRecord, timeZone: string, slot: SlotRequest, now: number): string | undefined {
  const r = resource.rules;
  const length = slot.end - slot.start;
  if (length <= 0) return 'end: must be after start';
  if (slot.start < now - PAST_START_TOLERANCE_MS) return 'start: must not be in the past';
  if (r.minMs !== undefined && length < r.minMs) return `end: ${resource.name} is booked for at least ${minutes(r.minMs)}`;
  if (r.maxMs !== undefined && length > r.maxMs) return `end: ${resource.name} is booked for at most ${minutes(r.maxMs)}`;
  if (r.maxAheadDays !== undefined && slot.start > now + r.maxAheadDays * DAY_MS)
    return `start: ${resource.name} is booked at most ${r.maxAheadDays} days ahead`;
  if (r.bookableBy && !r.bookableBy.includes(slot.memberId)) return `memberId: ${slot.memberId} may not book ${resource.name}`;
  if (r.hours && !insideHours(r.hours, timeZone, slot)) return `start: ${resource.name} is not bookable at that time (see its bookable hours)`;
  return undefined;
}

function insideHours(hours: NonNullable<ResourceRecord['rules']['hours']>, timeZone: string, slot: SlotRequest): boolean {
  const from = localTime(slot.start, timeZone);
  const intervals = hours[WEEKDAY_KEYS[from.weekday]!] ?? [];
  const startMin = from.minuteOfDay;
  const endMin = startMin + (slot.end - slot.start) / 60_000;
  return intervals.some(([open, close]) => {
    const o = parseClock(open);
    const c = parseClock(close);
    return o !== undefined && c !== undefined && startMin >= o && endMin <= c;
  });
}

/**
 * Whether the member's holding bookings of the resource on the slot's local day, with the slot,
 * stay within the resource's daily limit; `selfId` is a booking being moved.
 */
export function dailyLimitViolation(
  resource: ResourceRecord,
  timeZone: string,
  slot: SlotRequest,
  sameDay: readonly BookingRecord[],
  selfId?: string,
): string | undefined {
  const limit = resource.rules.perMemberDailyLimitMs;
  if (limit === undefined) return undefined;
  const day = localTime(slot.start, timeZone).date;
  const held = sameDay
    .filter((b) => b.id !== selfId && b.memberId === slot.memberId && b.resourceId === resource.id && holdsSlot(b.state))
    .filter((b) => localTime(b.start, timeZone).date === day)
    .reduce((sum, b) => sum + (b.end - b.start), 0);
  return held + slot.end - slot.start > limit
    ? `memberId: ${slot.memberId} may hold ${resource.name} at most ${minutes(limit)} a day`
    : undefined;
}
