import { EDGE_BOOKING_HORIZON_MS, MAX_EDGE_BOOKINGS, type BookingsMessage, type EdgeBooking } from '@cr/shared';
import type { LinkHub } from '../../edge-link/link-hub';
import type { CloudLog } from '../../log';
import type { BookingRecord, ResourceRecord } from '../../store/booking-records';
import type { BookingResourcesPort, BookingsPort } from '../../store/ports';

/** The booking as its site's edge holds it: the resource's zone, the timings both sides resolve it with. */
export function edgeBooking(b: BookingRecord, resource: ResourceRecord): EdgeBooking {
  return {
    id: b.id,
    resourceId: b.resourceId,
    zoneId: resource.zoneId,
    memberId: b.memberId,
    start: b.start,
    end: b.end,
    state: b.state,
    ...(b.checkedInAt !== undefined ? { checkedInAt: b.checkedInAt } : {}),
    ...(b.releasedAt !== undefined ? { releasedAt: b.releasedAt } : {}),
    graceMs: b.graceMs,
    earlyMs: b.earlyMs,
    ...(resource.rules.releaseWhenEmptyMs !== undefined ? { releaseWhenEmptyMs: resource.rules.releaseWhenEmptyMs } : {}),
  };
}

/** Whether the edge should hold the booking at `now`: running or starting within the horizon, not cancelled. */
export const inHorizon = (b: BookingRecord, now: number): boolean =>
  b.state !== 'cancelled' && b.end > now && b.start <= now + EDGE_BOOKING_HORIZON_MS;

const siteKey = (b: { tenantId: string; siteId: string }) => `${b.tenantId}/${b.siteId}`;

/**
 * The bookings feed to the edges (CONTRACT.md §8): a snapshot of the site's horizon when its edge
 * connects, a delta on every change, and a periodic delta for bookings that time brings into the
 * horizon. Delivered through the hub, so a link held by another instance receives it too.
 */
export class BookingFeed {
  constructor(
    private readonly d: {
      bookings: BookingsPort;
      resources: BookingResourcesPort;
      hub: Pick<LinkHub, 'deliver'>;
      log: CloudLog;
    },
  ) {}

  /** Every booking of the site the edge should hold now (replacing whatever it held). */
  async snapshot(tenantId: string, siteId: string, now = Date.now()): Promise<BookingsMessage> {
    const bookings = await this.d.bookings.window(tenantId, siteId, now, now + EDGE_BOOKING_HORIZON_MS, MAX_EDGE_BOOKINGS);
    const zoneOf = await this.resourcesOf(tenantId, siteId);
    const upserts = bookings.flatMap((b) => {
      const r = zoneOf.get(b.resourceId);
      return r ? [edgeBooking(b, r)] : [];
    });
    return { type: 'bookings', kind: 'snapshot', upserts, removals: [] };
  }

  /** Tells each site's edge about changed bookings: upserts inside the horizon, removals for the rest. */
  async changed(bookings: readonly BookingRecord[], now = Date.now()): Promise<void> {
    const bySite = new Map<string, BookingRecord[]>();
    for (const b of bookings) bySite.set(siteKey(b), [...(bySite.get(siteKey(b)) ?? []), b]);
    for (const list of bySite.values()) {
      const { tenantId, siteId } = list[0]!;
      const resources = await this.resourcesOf(tenantId, siteId);
      const upserts: EdgeBooking[] = [];
      const removals: string[] = [];
      for (const b of list.slice(0, MAX_EDGE_BOOKINGS)) {
        const r = resources.get(b.resourceId);
        if (r && inHorizon(b, now)) upserts.push(edgeBooking(b, r));
        else removals.push(b.id);
      }
      const msg: BookingsMessage = { type: 'bookings', kind: 'delta', upserts, removals };
      // An edge not connected now receives the snapshot at its next hello.
      await this.d.hub
        .deliver(tenantId, siteId, msg)
        .catch((err: Error) => this.d.log.warn({ tenantId, siteId }, `bookings: delta to ${siteId} not sent: ${err.message}`));
    }
  }

  /** Sends the bookings that entered the horizon during the last `periodMs` (twice that, so a late tick misses none). */
  async horizonTick(periodMs: number, now = Date.now()): Promise<void> {
    const edge = now + EDGE_BOOKING_HORIZON_MS;
    await this.changed(await this.d.bookings.startingBetween(edge - 2 * periodMs, edge), now);
  }

  private async resourcesOf(tenantId: string, siteId: string): Promise<Map<string, ResourceRecord>> {
    return new Map((await this.d.resources.ofSite(tenantId, siteId)).map((r) => [r.id, r]));
  }
}
