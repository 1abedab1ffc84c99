import { z } from 'zod';
import { BOOKING_STATES } from '@cr/shared';
import type { ApiClient } from '../../data/api-client';
import { ApiError, errorText } from '../../data/api-error';

/**
 * The cloud's booking calls (CONTRACT.md §8 and its extension): bookable resources, bookings of a
 * day, create / move / cancel / check-in and the utilisation report. Answers are checked with
 * zod because this build's typed client does not declare these routes.
 */

const ts = z.number();

export const resourceSchema = z.object({
  id: z.string(),
  /** one of RESOURCE_KINDS; an unknown kind is still shown, by its name */
  kind: z.string(),
  name: z.string(),
  zoneId: z.string(),
  capacity: z.number().optional(),
});
export type Resource = z.infer<typeof resourceSchema>;

export const bookingSchema = z.object({
  id: z.string(),
  siteId: z.string(),
  resourceId: z.string(),
  memberId: z.string(),
  start: ts,
  end: ts,
  state: z.enum(BOOKING_STATES),
  checkedInAt: ts.optional(),
  releasedAt: ts.optional(),
  cancelReason: z.string().optional(),
  seriesId: z.string().optional(),
});
export type Booking = z.infer<typeof bookingSchema>;

export const reportRowSchema = z.object({
  resourceId: z.string(),
  name: z.string(),
  bookedMinutes: z.number(),
  usedMinutes: z.number(),
  utilisationPct: z.number(),
  bookings: z.number(),
  noShows: z.number(),
  noShowRatePct: z.number(),
});
export type ReportRow = z.infer<typeof reportRowSchema>;

export const memberSchema = z.object({ id: z.string(), name: z.string().optional(), active: z.boolean().optional() });
export type MemberChoice = z.infer<typeof memberSchema>;

/** What a repeating booking made: the bookings, and the occurrences left out (taken, outside the rules, holidays). */
export const seriesSchema = z.object({
  seriesId: z.string(),
  created: z.array(bookingSchema),
  conflicts: z.array(z.object({ start: ts, end: ts, reason: z.string(), message: z.string().optional() })),
});

/** The booking that holds the slot a create or move asked for (409). */
export const conflictSchema = z.object({ id: z.string(), resourceId: z.string(), memberId: z.string(), start: ts, end: ts });
export type BookingConflict = z.infer<typeof conflictSchema>;

/** A create or move refused because another booking holds the time. */
export class BookingConflictError extends ApiError {
  constructor(
    message: string,
    readonly conflict: BookingConflict | undefined,
  ) {
    super(409, message);
    this.name = 'BookingConflictError';
  }
}

export interface NewBooking {
  resourceId: string;
  memberId: string;
  start: number;
  end: number;
  recurrence?: { rrule: string; skipHolidays?: boolean };
}

export type BookingMove = Partial<Pick<NewBooking, 'start' | 'end' | 'resourceId'>>;

const p = encodeURIComponent;

const queryOf = (params: Record<string, string | number | undefined>): string => {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
};

async function failure(res: Response): Promise<ApiError> {
  if (res.status !== 409) return new ApiError(res.status, await errorText(res));
  const body = (await res.json().catch(() => ({}))) as { message?: unknown; error?: unknown; conflict?: unknown };
  const parsed = conflictSchema.safeParse(body.conflict);
  const message = typeof body.message === 'string' ? body.message : typeof body.error === 'string' ? body.error : 'conflict';
  return new BookingConflictError(message, parsed.success ? parsed.data : undefined);
}

export function bookingApi(api: Pick<ApiClient, 'cloudFetch'>) {
  const call = async <S extends z.ZodType>(schema: S, path: `/${string}`, method = 'GET', body?: unknown): Promise<z.infer<S>> => {
    const init: RequestInit = body === undefined ? { method } : { method, body: JSON.stringify(body), headers: { 'content-type': 'application/json' } };
    const res = await api.cloudFetch(path, init);
    if (!res.ok) throw await failure(res);
    const json: unknown = res.status === 204 ? {} : await res.json().catch(() => undefined);
    const parsed = schema.safeParse(json);
    if (!parsed.success) throw new ApiError(502, `unexpected answer from ${path.split('?')[0]}`);
    return parsed.data;
  };
  const site = (siteId: string) => `/api/v1/sites/${p(siteId)}` as const;
  return {
    resources: (siteId: string) => call(z.array(resourceSchema), `${site(siteId)}/resources`),
    bookings: (siteId: string, q: { from: number; to: number; resourceId?: string; memberId?: string }) =>
      call(z.array(bookingSchema), `${site(siteId)}/bookings${queryOf(q)}`),
    /** One booking, or with `recurrence` a series: what was booked and how many occurrences were left out. */
    create: async (siteId: string, b: NewBooking): Promise<{ created: Booking[]; skipped: number }> => {
      const out = await call(bookingSchema.or(seriesSchema), `${site(siteId)}/bookings`, 'POST', b);
      return 'seriesId' in out && 'created' in out ? { created: out.created, skipped: out.conflicts.length } : { created: [out as Booking], skipped: 0 };
    },
    move: (id: string, m: BookingMove) => call(bookingSchema, `/api/v1/bookings/${p(id)}`, 'PATCH', m),
    cancel: (id: string, series = false) => call(z.unknown(), `/api/v1/bookings/${p(id)}${series ? '?series=future' : ''}`, 'DELETE'),
    checkIn: (id: string) => call(z.unknown(), `/api/v1/bookings/${p(id)}/check-in`, 'POST'),
    /** Members to pick from; the tenant's admins only (others type the member's id). */
    members: async () => (await call(z.object({ members: z.array(memberSchema) }), '/api/v1/members')).members,
    report: async (siteId: string, from: number, to: number) =>
      (await call(z.object({ resources: z.array(reportRowSchema) }), `${site(siteId)}/booking-report${queryOf({ from, to, format: 'json' })}`)).resources,
    /** The report as a file (CSV or PDF) to save. */
    reportFile: async (siteId: string, from: number, to: number, format: 'csv' | 'pdf'): Promise<Blob> => {
      const res = await api.cloudFetch(`${site(siteId)}/booking-report${queryOf({ from, to, format })}`);
      if (!res.ok) throw await failure(res);
      return res.blob();
    },
  };
}
export type BookingApi = ReturnType<typeof bookingApi>;
