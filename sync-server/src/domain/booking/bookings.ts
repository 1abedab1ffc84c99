import type { CloudLog } from '../../log';
import type { CloudStores } from '../../store/cloud-stores';
import type { AuditPort, MembersPort } from '../../store/ports';
import type { LinkHub } from '../../edge-link/link-hub';
import { BookingEffects } from './booking-effects';
import { BookingFacts } from './booking-facts';
import { BookingFeed } from './booking-feed';
import { BookingSeries } from './booking-series';
import { BookingService } from './booking-service';
import { BookingReports } from './booking-report';
import { ResourceAdmin } from './resource-admin';
import { sweepNoShows } from './no-show-sweep';

/** The booking module of one cloud instance. */
export interface Bookings {
  service: BookingService;
  series: BookingSeries;
  facts: BookingFacts;
  feed: BookingFeed;
  resources: ResourceAdmin;
  reports: BookingReports;
  /** settles every booking whose no-show grace or end has passed */
  sweep(now?: number): Promise<number>;
}

export interface BookingsDeps {
  stores: Pick<CloudStores, 'bookings' | 'bookingResources' | 'bookingSeries' | 'bookingUsage' | 'zones'>;
  members: Pick<MembersPort, 'member'>;
  audit: AuditPort;
  hub: Pick<LinkHub, 'deliver'>;
  log: CloudLog;
  noShowGraceMs: number;
  /** counts booking facts that were ignored (malformed, another site's booking) */
  rejectedFacts: { inc(n?: number): void };
}

/** Wires the booking module: one feed, one set of settlement effects, shared by every path. */
export function createBookings(d: BookingsDeps): Bookings {
  const { bookings, bookingResources: resources, bookingSeries, bookingUsage } = d.stores;
  const feed = new BookingFeed({ bookings, resources, hub: d.hub, log: d.log });
  const effects = new BookingEffects({ audit: d.audit, usage: bookingUsage, feed, log: d.log });
  const service = new BookingService({ bookings, resources, members: d.members, effects, feed, noShowGraceMs: d.noShowGraceMs });
  const series = new BookingSeries({ bookings, series: bookingSeries, service, effects, feed });
  effects.onSeriesChange = (tenantId, seriesId, now) => series.review(tenantId, seriesId, now);
  return {
    service,
    series,
    feed,
    facts: new BookingFacts({ bookings, effects, log: d.log, rejected: d.rejectedFacts }),
    resources: new ResourceAdmin({ resources, bookings, zones: d.stores.zones, audit: d.audit, feed }),
    reports: new BookingReports({ bookings, resources, usage: bookingUsage }),
    sweep: (now) => sweepNoShows({ bookings, effects }, now),
  };
}
