import { z } from 'zod';
import {
  BOOKING_FACT_EVENTS,
  BOOKING_OVERRUN_EVENT,
  MINUTE_MS,
  bookingFactSchema,
  holdsSlot,
  uuidSchema,
  type BookingFact,
  type SiteEvent,
} from '@cr/shared';
import type { CloudLog } from '../../log';
import type { BookingsPort } from '../../store/ports';
import type { BookingActor, BookingEffects } from './booking-effects';

/** How much longer an overrunning booking runs when the slot after it is free. */
export const OVERRUN_EXTENSION_MS = 15 * MINUTE_MS;
/** An overrun counts for the booking's current end only (a re-sent one, after the extension, changes nothing). */
const OVERRUN_SLACK_MS = MINUTE_MS;

const overrunSchema = z.object({ bookingId: uuidSchema, at: z.number().int().nonnegative() });
const FACT_TYPES: ReadonlySet<string> = new Set(Object.values(BOOKING_FACT_EVENTS));

export interface BookingFactsDeps {
  bookings: BookingsPort;
  effects: BookingEffects;
  log: CloudLog;
  /** counted, never thrown: a bad fact must not stop an event batch */
  rejected: { inc(n?: number): void };
}

/**
 * Booking facts the edge observed (check-ins, releases, overruns), arriving as events of an
 * uploaded batch on either ingest path. Each fact is recorded once and its booking settled again
 * by the shared rule, whatever order facts and the cloud's own changes came in. A fact that does
 * not parse, or names a booking of another site, is ignored and counted (threat: one site's
 * gateway releasing another site's bookings).
 */
export class BookingFacts {
  constructor(private readonly d: BookingFactsDeps) {}

  /** Whether a batch holds anything for bookings (cheap: most batches hold none). */
  static concerns(events: readonly SiteEvent[]): boolean {
    return events.some((e) => FACT_TYPES.has(e.type) || e.type === BOOKING_OVERRUN_EVENT);
  }

  async observe(tenantId: string, siteId: string, events: readonly SiteEvent[], now = Date.now()): Promise<void> {
    const facts: BookingFact[] = [];
    const overruns: Array<z.infer<typeof overrunSchema>> = [];
    for (const e of events) {
      if (FACT_TYPES.has(e.type)) {
        const f = bookingFactSchema.safeParse(e.data);
        const kindMatches = f.success && BOOKING_FACT_EVENTS[f.data.kind] === e.type;
        if (kindMatches) facts.push(f.data);
        else this.d.rejected.inc();
      } else if (e.type === BOOKING_OVERRUN_EVENT) {
        const o = overrunSchema.safeParse(e.data);
        if (o.success) overruns.push(o.data);
        else this.d.rejected.inc();
      }
    }
    const by: BookingActor = { actor: `edge:${siteId}` };
    for (const [bookingId, list] of groupBy(facts)) await this.recordFacts(tenantId, siteId, bookingId, list, by, now);
    for (const o of overruns) await this.overrun(tenantId, siteId, o, by, now);
  }

  private async recordFacts(tenantId: string, siteId: string, bookingId: string, facts: BookingFact[], by: BookingActor, now: number): Promise<void> {
    const b = await this.d.bookings.byId(tenantId, bookingId);
    if (!b || b.siteId !== siteId) return this.d.rejected.inc(facts.length);
    await this.d.bookings.addFacts(tenantId, facts, now);
    const s = await this.d.bookings.settle(tenantId, bookingId, now);
    if (s) await this.d.effects.settled(s, by, now);
  }

  /**
   * A checked-in booking that ends with people still in the zone runs 15 minutes longer, or up to
   * the next booking, when that time is free; otherwise nothing changes.
   */
  private async overrun(tenantId: string, siteId: string, o: { bookingId: string; at: number }, by: BookingActor, now: number): Promise<void> {
    const b = await this.d.bookings.byId(tenantId, o.bookingId);
    if (!b || b.siteId !== siteId) return this.d.rejected.inc();
    if (b.checkedInAt === undefined || b.state === 'cancelled' || b.state === 'released') return;
    if (o.at < b.end - OVERRUN_SLACK_MS || o.at > b.end + OVERRUN_SLACK_MS) return;
    const after = await this.d.bookings.list({ tenantId, siteId, from: b.end, to: b.end + OVERRUN_EXTENSION_MS, resourceId: b.resourceId });
    const next = after.filter((x) => x.id !== b.id && x.start >= b.end && holdsSlot(x.state)).map((x) => x.start);
    const end = Math.min(b.end + OVERRUN_EXTENSION_MS, ...next);
    if (end <= b.end) return;
    const claim = await this.d.bookings.extend(tenantId, b.id, end, now);
    if (!claim || 'conflict' in claim) return;
    await this.d.effects.audit(claim.booking, 'booking.extend', by, { from: b.end, to: end });
    const s = await this.d.bookings.settle(tenantId, b.id, now);
    await this.d.effects.settled({ before: b, after: s?.after ?? claim.booking, superseded: s?.superseded ?? [] }, by, now);
  }
}

function groupBy(facts: readonly BookingFact[]): Map<string, BookingFact[]> {
  const out = new Map<string, BookingFact[]>();
  for (const f of facts) out.set(f.bookingId, [...(out.get(f.bookingId) ?? []), f]);
  return out;
}
