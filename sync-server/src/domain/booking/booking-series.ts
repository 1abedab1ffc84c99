import { randomUUID } from 'node:crypto';
import { holdsSlot, type UserPrincipal } from '@cr/shared';
import { ApiError, badRequest } from '../errors';
import type { BookingRecord } from '../../store/booking-records';
import type { SiteRecord } from '../../store/tenants-store';
import type { BookingSeriesPort, BookingsPort } from '../../store/ports';
import type { BookingActor, BookingEffects } from './booking-effects';
import type { BookingFeed } from './booking-feed';
import { conflictError, personOf, type BookingService, type NewBooking } from './booking-service';
import { ruleViolation } from './booking-rules';
import { expandRecurrence, RecurrenceError } from './recurrence';

/** Consecutive no-shows that end a series: its future occurrences are cancelled. */
export const MISSED_CHECK_INS_END_SERIES = 3;

export interface SeriesRequest extends NewBooking {
  recurrence: { rrule: string; skipHolidays?: boolean };
}

/** An occurrence that was not booked, and why: a clash (naming the booking), a rule, or a holiday skipped. */
export interface SeriesConflict {
  start: number;
  end: number;
  reason: 'conflict' | 'rule' | 'holiday';
  message: string;
  conflict?: { id: string; resourceId: string; memberId: string; start: number; end: number };
}

export interface SeriesOutcome {
  seriesId: string;
  created: BookingRecord[];
  conflicts: SeriesConflict[];
}

const SERIES_END_ACTOR: BookingActor = { actor: 'system:missed-check-ins' };

/**
 * Recurring bookings: an RRULE expanded in the site's time zone into one booking per occurrence,
 * each claimed like a single booking. Occurrences that clash, break a rule or fall on a skipped
 * public holiday are reported, never silently dropped. Three consecutive no-shows end the series.
 */
export class BookingSeries {
  constructor(
    private readonly d: {
      bookings: BookingsPort;
      series: BookingSeriesPort;
      service: BookingService;
      effects: BookingEffects;
      feed: BookingFeed;
    },
  ) {}

  async create(user: UserPrincipal, site: SiteRecord, req: SeriesRequest, source: string, now = Date.now()): Promise<SeriesOutcome> {
    const resource = await this.d.service.resource(site, req.resourceId);
    await this.d.service.validate(site, { ...resource, rules: { ...resource.rules, hours: undefined } }, req, now);
    let occurrences;
    try {
      occurrences = expandRecurrence(req.recurrence.rrule, req, site.timezone);
    } catch (err) {
      if (err instanceof RecurrenceError) throw badRequest(`recurrence.${err.message}`);
      throw err;
    }
    const seriesId = randomUUID();
    await this.d.series.insert({ tenantId: site.tenantId, id: seriesId, siteId: site.id, resourceId: resource.id, memberId: req.memberId, rrule: req.recurrence.rrule, skipHolidays: req.recurrence.skipHolidays ?? false, missedCount: 0, state: 'active', createdAt: now, createdBy: user.userId });
    const created: BookingRecord[] = [];
    const conflicts: SeriesConflict[] = [];
    for (const o of occurrences) {
      if (o.holiday && req.recurrence.skipHolidays) {
        conflicts.push({ start: o.start, end: o.end, reason: 'holiday', message: `${o.date} is a public holiday (${o.holiday})` });
        continue;
      }
      const broken = ruleViolation(resource, site.timezone, { memberId: req.memberId, start: o.start, end: o.end }, now);
      if (broken) {
        conflicts.push({ start: o.start, end: o.end, reason: 'rule', message: broken });
        continue;
      }
      const claim = await this.d.bookings.insert(this.d.service.draft(user, site, resource, { ...req, ...o, seriesId }, now), now);
      if ('conflict' in claim) {
        const e = conflictError(claim.conflict, site);
        conflicts.push({ start: o.start, end: o.end, reason: 'conflict', message: e.message, conflict: e.extra!.conflict as SeriesConflict['conflict'] });
        continue;
      }
      created.push(claim.booking);
      await this.d.effects.audit(claim.booking, 'booking.create', personOf(user, source), { seriesId, rrule: req.recurrence.rrule });
    }
    if (created.length === 0) {
      await this.d.series.update(site.tenantId, seriesId, 0, 'ended');
      throw new ApiError(409, 'conflict', 'no occurrence of the series could be booked', undefined, { seriesId, created: [], conflicts });
    }
    await this.d.feed.changed(created, now);
    return { seriesId, created, conflicts };
  }

  /** Cancels this occurrence and every later one still holding its slot; the series ends. */
  async cancelFuture(user: UserPrincipal, b: BookingRecord, source: string, now = Date.now()): Promise<BookingRecord[]> {
    if (!b.seriesId) throw badRequest('series: the booking is not part of a series');
    await this.d.series.update(b.tenantId, b.seriesId, (await this.d.series.get(b.tenantId, b.seriesId))?.missedCount ?? 0, 'ended');
    const future = (await this.d.bookings.ofSeries(b.tenantId, b.seriesId)).filter((x) => x.start >= b.start && holdsSlot(x.state));
    const out: BookingRecord[] = [];
    for (const x of future) out.push(await this.d.service.cancel(x, personOf(user, source), 'cancelled', now));
    return out;
  }

  /**
   * The missed-check-ins rule, from the occurrences themselves (so a late check-in that restores
   * one resets the count): the run of no-shows among the latest settled occurrences. At three in
   * a row the series ends and its future occurrences are cancelled, once.
   */
  async review(tenantId: string, seriesId: string, now = Date.now()): Promise<void> {
    const series = await this.d.series.get(tenantId, seriesId);
    if (!series || series.state === 'ended') return;
    const all = await this.d.bookings.ofSeries(tenantId, seriesId);
    const settledOnes = all.filter((b) => b.state !== 'booked' && b.state !== 'cancelled');
    let missed = 0;
    for (const b of [...settledOnes].reverse()) {
      if (b.state !== 'released' || b.checkedInAt !== undefined) break;
      missed++;
    }
    const ends = missed >= MISSED_CHECK_INS_END_SERIES;
    if (missed === series.missedCount && !ends) return;
    if (!(await this.d.series.update(tenantId, seriesId, missed, ends ? 'ended' : 'active')) || !ends) return;
    for (const b of all.filter((x) => x.state === 'booked' && x.start > now)) {
      await this.d.service
        .cancel(b, { ...SERIES_END_ACTOR, details: { seriesId, missedCheckIns: missed } }, 'series-ended', now)
        .catch((err: unknown) => {
          if (!(err instanceof ApiError)) throw err;
        });
    }
  }
}
