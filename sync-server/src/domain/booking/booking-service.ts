import { randomUUID } from 'node:crypto';
import { DAY_MS, DEFAULT_EARLY_ENTRY_MS, checkInDeadline, formatLocal, holdsSlot, type UserPrincipal } from '@cr/shared';
import { ApiError, badRequest, notFound } from '../errors';
import { personActor } from '../audit/admin-audit';
import type { BookingRecord, ResourceRecord } from '../../store/booking-records';
import type { SiteRecord } from '../../store/tenants-store';
import type { BookingResourcesPort, BookingsPort, MembersPort } from '../../store/ports';
import { dailyLimitViolation, ruleViolation, type SlotRequest } from './booking-rules';
import type { BookingActor, BookingEffects } from './booking-effects';
import type { BookingFeed } from './booking-feed';

export interface BookingServiceDeps {
  bookings: BookingsPort;
  resources: BookingResourcesPort;
  members: Pick<MembersPort, 'member'>;
  effects: BookingEffects;
  feed: BookingFeed;
  /** the cloud's no-show grace (`--no-show-grace-ms`), for resources that set none */
  noShowGraceMs: number;
}

export interface NewBooking extends SlotRequest {
  resourceId: string;
  seriesId?: string;
}

/** The actor of a person's change. */
export const personOf = (user: UserPrincipal, source: string): BookingActor => ({ ...personActor(user), source });

/** A 409 naming the booking that holds the slot, in the site's local time. */
export function conflictError(c: BookingRecord, site: SiteRecord): ApiError {
  const when = `${formatLocal(c.start, site.timezone)}–${formatLocal(c.end, site.timezone).slice(11)}`;
  return new ApiError(409, 'conflict', `${c.resourceId} is already booked ${when} (booking ${c.id})`, undefined, {
    conflict: { id: c.id, resourceId: c.resourceId, memberId: c.memberId, start: c.start, end: c.end },
  });
}

/**
 * Bookings made by people in the console: create, move, cancel, check in. Each claim on a slot is
 * one atomic store operation (409 naming the clashing booking); the resource's rules give clear
 * 400s; every change is audited and sent to the site's edge at once.
 */
export class BookingService {
  constructor(private readonly d: BookingServiceDeps) {}

  async resource(site: SiteRecord, resourceId: string): Promise<ResourceRecord> {
    const r = await this.d.resources.get(site.tenantId, site.id, resourceId);
    if (!r) throw badRequest(`resourceId: no resource ${resourceId} at site ${site.id}`);
    return r;
  }

  /** Validates a slot for a member against the resource's rules; throws a 400 naming the field. */
  async validate(site: SiteRecord, resource: ResourceRecord, slot: SlotRequest, now: number, selfId?: string): Promise<void> {
    const member = await this.d.members.member(site.tenantId, slot.memberId);
    if (!member || !member.active) throw badRequest(`memberId: no active member ${slot.memberId} in this tenant`);
    const broken = ruleViolation(resource, site.timezone, slot, now);
    if (broken) throw badRequest(broken);
    if (resource.rules.perMemberDailyLimitMs !== undefined) {
      const sameDay = await this.d.bookings.list({ tenantId: site.tenantId, siteId: site.id, from: slot.start - DAY_MS, to: slot.start + DAY_MS, resourceId: resource.id, memberId: slot.memberId });
      const over = dailyLimitViolation(resource, site.timezone, slot, sameDay, selfId);
      if (over) throw badRequest(over);
    }
  }

  /** A new booking record (not stored) with the timings fixed now. */
  draft(user: UserPrincipal, site: SiteRecord, resource: ResourceRecord, b: NewBooking, now: number): BookingRecord {
    return {
      id: randomUUID(),
      tenantId: site.tenantId,
      siteId: site.id,
      resourceId: resource.id,
      memberId: b.memberId,
      start: b.start,
      end: b.end,
      state: 'booked',
      ...(b.seriesId ? { seriesId: b.seriesId } : {}),
      graceMs: resource.rules.noShowGraceMs ?? this.d.noShowGraceMs,
      earlyMs: resource.rules.earlyEntryMs ?? DEFAULT_EARLY_ENTRY_MS,
      createdAt: now,
      createdBy: user.userId,
      version: 1,
    };
  }

  async create(user: UserPrincipal, site: SiteRecord, b: NewBooking, source: string, now = Date.now()): Promise<BookingRecord> {
    const resource = await this.resource(site, b.resourceId);
    await this.validate(site, resource, b, now);
    const claim = await this.d.bookings.insert(this.draft(user, site, resource, b, now), now);
    if ('conflict' in claim) throw conflictError(claim.conflict, site);
    await this.d.effects.audit(claim.booking, 'booking.create', personOf(user, source));
    await this.d.feed.changed([claim.booking], now);
    return claim.booking;
  }

  /** The booking of the caller's tenant, settled at `now` (404 when it is not theirs). */
  async get(tenantId: string, id: string): Promise<BookingRecord> {
    const b = await this.d.bookings.byId(tenantId, id);
    if (!b) throw notFound('booking');
    return b;
  }

  async move(user: UserPrincipal, site: SiteRecord, b: BookingRecord, to: Partial<Pick<BookingRecord, 'start' | 'end' | 'resourceId'>>, source: string, now = Date.now()): Promise<BookingRecord> {
    if (!holdsSlot(b.state) || b.state === 'checked-in') throw new ApiError(409, 'not-movable', `a ${b.state} booking cannot be moved`);
    const next = { resourceId: to.resourceId ?? b.resourceId, start: to.start ?? b.start, end: to.end ?? b.end };
    const resource = await this.resource(site, next.resourceId);
    await this.validate(site, resource, { memberId: b.memberId, start: next.start, end: next.end }, now, b.id);
    const claim = await this.d.bookings.move(b.tenantId, b.id, next, now);
    if (!claim) throw notFound('booking');
    if ('conflict' in claim) throw conflictError(claim.conflict, site);
    await this.d.effects.audit(claim.booking, 'booking.move', personOf(user, source), { from: { resourceId: b.resourceId, start: b.start, end: b.end } });
    await this.d.feed.changed([claim.booking], now);
    return claim.booking;
  }

  async cancel(b: BookingRecord, by: BookingActor, reason: 'cancelled' | 'series-ended' = 'cancelled', now = Date.now()): Promise<BookingRecord> {
    const cancelled = await this.d.bookings.cancel(b.tenantId, b.id, reason, now);
    if (!cancelled) throw new ApiError(409, 'not-cancellable', `the booking is already ${b.state}`);
    await this.d.effects.audit(cancelled, 'booking.cancel', by, { cancelReason: reason });
    await this.d.feed.changed([cancelled], now);
    return cancelled;
  }

  /** An operator checks the member in (the console's button): a fact like the edge's, settled the same way. */
  async checkIn(user: UserPrincipal, b: BookingRecord, source: string, now = Date.now()): Promise<BookingRecord> {
    if (b.state !== 'booked' && b.state !== 'released')
      throw new ApiError(409, 'not-checkable', `a ${b.state} booking cannot be checked in`);
    if (now < b.start - b.earlyMs || now > checkInDeadline(b))
      throw new ApiError(409, 'outside-check-in', 'a booking is checked in from a little before its start until the end of its grace');
    await this.d.bookings.addFacts(b.tenantId, [{ bookingId: b.id, kind: 'check-in', at: now, source: 'operator' }], now);
    const s = await this.d.bookings.settle(b.tenantId, b.id, now);
    if (!s) throw notFound('booking');
    await this.d.effects.settled(s, personOf(user, source), now);
    return s.after;
  }
}
