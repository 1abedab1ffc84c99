import type { GroupCommit } from '@cr/store-kit';
import type { AccessDecision, SiteEvent } from '@cr/shared';
import type { Db } from '../store/db';
import { BookingStore } from '../store/booking-store';
import { BookingBook } from '../store/booking-book';
import type { ZoneReadings } from '../domain/booking-due';
import type { Occupancy } from '../domain/occupancy';
import type { SiteWatch } from '../domain/site-watch';
import type { PermissionCache } from '../store/permission-cache';
import type { SiteWriter } from '../site/site-writer';
import type { EventRecorder } from './recorder';
import type { EdgeMetrics } from '../metrics';
import type { Logger } from '../log';
import type { GatewayContext } from './context';
import { BookingDesk } from './booking-desk';

/** Who is in a zone, from the zone's motion sensors and people counts. */
export function zoneReadings(watch: SiteWatch, occupancy: Occupancy, now: () => number): ZoneReadings {
  const reported = (zoneId: string): boolean => watch.presence.zones().includes(zoneId);
  return {
    emptySince(zoneId) {
      if (occupancy.total(zoneId) > 0) return undefined;
      const t = now();
      const quiet = watch.presence.quietFor(zoneId, t);
      return quiet === undefined ? undefined : t - quiet;
    },
    occupied(zoneId) {
      if (occupancy.total(zoneId) > 0) return true;
      return reported(zoneId) && watch.presence.quietFor(zoneId, now()) === undefined;
    },
  };
}

export interface BookingParts {
  db: Db;
  commits: GroupCommit;
  watch: SiteWatch;
  occupancy: Occupancy;
  permissions: PermissionCache;
  recorder: EventRecorder;
  metrics: EdgeMetrics;
  site: SiteWriter;
  log: Logger;
  now(): number;
}

/** The bookings desk over the edge's own stores: bookings in SQLite, facts through the outbox. */
export function createBookingDesk(p: BookingParts): BookingDesk {
  return new BookingDesk({
    book: new BookingBook(new BookingStore(p.db, p.commits)),
    zones: zoneReadings(p.watch, p.occupancy, p.now),
    memberOf: (credential) => p.permissions.lookup(credential)?.id,
    record: (event: SiteEvent) => p.recorder.withId(event),
    metrics: p.metrics,
    showUse: (zoneId, use) => p.site.view.setResourceUse(zoneId, use),
    log: p.log,
    now: p.now,
  });
}

/** After the reader has its answer: a member let in by a grant or a booking checks their booking of the zone in. */
export function bookingsAfterDecision(ctx: GatewayContext, decision: AccessDecision, zoneId: string | undefined, now: number): void {
  if (!decision.granted || !zoneId || decision.memberId === undefined) return;
  if (decision.reason === 'booking') ctx.metrics.bookingGrants.inc();
  if (decision.reason === 'granted' || decision.reason === 'booking') ctx.bookings.onGrant(decision.memberId, zoneId, now);
}

/** A motion sensor's state: motion or people counted check in the booking holding the zone. */
export function bookingsOnPirState(ctx: GatewayContext, zoneId: string | undefined, state: Record<string, unknown>, now: number): void {
  if (!zoneId) return;
  if (Number(state.occupancy ?? 0) > 0) ctx.bookings.onPresence(zoneId, 'occupancy', now);
  else if (state.motion === true) ctx.bookings.onPresence(zoneId, 'motion', now);
  else ctx.bookings.onZoneChange(zoneId, now);
}

/** A motion sensor's `motion` event. */
export function bookingsOnMotion(ctx: GatewayContext, zoneId: string | undefined, now: number): void {
  if (zoneId) ctx.bookings.onPresence(zoneId, 'motion', now);
}

/** A kiosk's `checkin` event (`data.bookingId` or `data.credential`). */
export function bookingsOnKiosk(ctx: GatewayContext, event: SiteEvent, now: number): void {
  if (ctx.bookings.onKiosk(event.deviceId ?? 'kiosk', event.data, now) === 'nothing') {
    ctx.log.info(`kiosk ${event.deviceId ?? '?'} check-in matched no booking open for check-in`);
  }
}
