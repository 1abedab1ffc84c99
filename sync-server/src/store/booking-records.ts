import { z } from 'zod';
import { RESOURCE_KINDS, type BookingFact, type BookingState, type ResourceKind } from '@cr/shared';

const clock = z.string().regex(/^([01]\d|2[0-4]):[0-5]\d$/, 'times are HH:MM');
const DAY_KEYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export type DayKey = (typeof DAY_KEYS)[number];
/** Weekday keys by `LocalTime.weekday` (0 = Sunday). */
export const WEEKDAY_KEYS: readonly DayKey[] = DAY_KEYS;

/** How a resource may be booked; every field optional (absent = no limit). Times in the site's local time. */
export const resourceRulesSchema = z.strictObject({
  /** bookable hours per weekday, e.g. `{ "mon": [["09:00", "18:00"]] }`; a day absent or empty is not bookable */
  hours: z.partialRecord(z.enum(DAY_KEYS), z.array(z.tuple([clock, clock])).max(8)).optional(),
  /** free time kept between two bookings (cleaning, changeover) */
  bufferMs: z.number().int().min(0).max(4 * 3_600_000).optional(),
  minMs: z.number().int().min(60_000).max(7 * 86_400_000).optional(),
  maxMs: z.number().int().min(60_000).max(7 * 86_400_000).optional(),
  /** how far ahead a booking may start */
  maxAheadDays: z.number().int().min(1).max(730).optional(),
  /** booked time one member may hold on this resource per local day */
  perMemberDailyLimitMs: z.number().int().min(60_000).max(86_400_000).optional(),
  /** the members who may hold it; absent = every active member of the tenant */
  bookableBy: z.array(z.string().min(1).max(64)).max(1000).optional(),
  /** no-show grace for this resource; absent = the cloud's `--no-show-grace-ms` */
  noShowGraceMs: z.number().int().min(0).max(4 * 3_600_000).optional(),
  /** how early the member's credential opens the zone before `start` */
  earlyEntryMs: z.number().int().min(0).max(2 * 3_600_000).optional(),
  /** a checked-in booking whose zone stays empty this long is released early */
  releaseWhenEmptyMs: z.number().int().min(60_000).max(86_400_000).optional(),
});
export type ResourceRules = z.infer<typeof resourceRulesSchema>;

/** A bookable resource of a site: a room, booth or zone whose door the booking opens. */
export interface ResourceRecord {
  tenantId: string;
  siteId: string;
  id: string;
  kind: ResourceKind;
  name: string;
  zoneId: string;
  capacity: number;
  rules: ResourceRules;
}

/** Why a booking was cancelled: by a person, lost to a late check-in of another, or its series ended. */
export type CancelReason = 'cancelled' | 'superseded' | 'series-ended';

/** A booking as the cloud records it. `graceMs`/`earlyMs` are fixed when it is made, so both sides resolve it alike. */
export interface BookingRecord {
  id: string;
  tenantId: string;
  siteId: string;
  resourceId: string;
  memberId: string;
  start: number;
  end: number;
  state: BookingState;
  checkedInAt?: number;
  releasedAt?: number;
  cancelReason?: CancelReason;
  seriesId?: string;
  graceMs: number;
  earlyMs: number;
  createdAt: number;
  createdBy: string;
  version: number;
}

/** A claim on a slot: the booking as stored, or the holding booking it clashes with. */
export type SlotClaim = { booking: BookingRecord } | { conflict: BookingRecord };

/** What settling a booking did: its state before and after, and the bookings it displaced. */
export interface Settlement {
  before: BookingRecord;
  after: BookingRecord;
  superseded: BookingRecord[];
}

export interface BookingQuery {
  tenantId: string;
  siteId: string;
  from: number;
  to: number;
  resourceId?: string;
  memberId?: string;
}

export type StoredFact = BookingFact;

export const RESOURCE_KIND_SET: ReadonlySet<string> = new Set(RESOURCE_KINDS);

/** One row of `bookings` in either backend. */
export interface BookingRow {
  tenant_id: string;
  id: string;
  site_id: string;
  resource_id: string;
  member_id: string;
  start_ts: number;
  end_ts: number;
  state: string;
  checked_in_at: number | null;
  released_at: number | null;
  cancel_reason: string | null;
  series_id: string | null;
  grace_ms: number;
  early_ms: number;
  created_at: number;
  created_by: string;
  version: number;
}

export const BOOKING_COLUMNS =
  'tenant_id, id, site_id, resource_id, member_id, start_ts, end_ts, state, checked_in_at, released_at, cancel_reason, series_id, grace_ms, early_ms, created_at, created_by, version';

export function toBooking(r: BookingRow): BookingRecord {
  return {
    id: r.id,
    tenantId: r.tenant_id,
    siteId: r.site_id,
    resourceId: r.resource_id,
    memberId: r.member_id,
    start: r.start_ts,
    end: r.end_ts,
    state: r.state as BookingState,
    ...(r.checked_in_at !== null ? { checkedInAt: r.checked_in_at } : {}),
    ...(r.released_at !== null ? { releasedAt: r.released_at } : {}),
    ...(r.cancel_reason !== null ? { cancelReason: r.cancel_reason as CancelReason } : {}),
    ...(r.series_id !== null ? { seriesId: r.series_id } : {}),
    graceMs: r.grace_ms,
    earlyMs: r.early_ms,
    createdAt: r.created_at,
    createdBy: r.created_by,
    version: r.version,
  };
}

/** The row values in BOOKING_COLUMNS order. */
export const bookingValues = (b: BookingRecord): unknown[] => [
  b.tenantId,
  b.id,
  b.siteId,
  b.resourceId,
  b.memberId,
  b.start,
  b.end,
  b.state,
  b.checkedInAt ?? null,
  b.releasedAt ?? null,
  b.cancelReason ?? null,
  b.seriesId ?? null,
  b.graceMs,
  b.earlyMs,
  b.createdAt,
  b.createdBy,
  b.version,
];

export interface ResourceRow {
  tenant_id: string;
  site_id: string;
  id: string;
  kind: string;
  name: string;
  zone_id: string;
  capacity: number;
  rules: string;
}

export function toResource(r: ResourceRow): ResourceRecord {
  let rules: ResourceRules = {};
  try {
    const parsed = resourceRulesSchema.safeParse(JSON.parse(r.rules));
    if (parsed.success) rules = parsed.data;
  } catch {
    // a row that does not parse has no rules rather than wrong ones
  }
  return { tenantId: r.tenant_id, siteId: r.site_id, id: r.id, kind: r.kind as ResourceKind, name: r.name, zoneId: r.zone_id, capacity: r.capacity, rules };
}
