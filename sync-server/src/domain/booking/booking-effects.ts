import type { CloudLog } from '../../log';
import type { BookingRecord, Settlement } from '../../store/booking-records';
import type { UsageRecord } from '../../store/booking-usage-store';
import type { AuditPort, BookingUsagePort } from '../../store/ports';
import type { BookingFeed } from './booking-feed';

/** Who a booking change is credited to in the audit log: a person (account id), an edge, or the cloud's own timer. */
export interface BookingActor {
  actor: string;
  source?: string;
  details?: Record<string, unknown>;
}

export const NO_SHOW_ACTOR: BookingActor = { actor: 'system:no-show' };

/** The usage records a booking yields in its state: one for its check-in, one once it is over. */
export function usageOf(b: BookingRecord): UsageRecord[] {
  if (b.checkedInAt === undefined) return [];
  const base = { tenantId: b.tenantId, siteId: b.siteId, memberId: b.memberId, resourceId: b.resourceId, bookingId: b.id };
  const out: UsageRecord[] = [
    { ...base, id: `${b.id}.check-in`, kind: 'check-in', minutes: Math.round((b.end - b.start) / 60_000), at: b.checkedInAt },
  ];
  if (b.state === 'completed' || b.state === 'released') {
    const endedAt = Math.min(b.releasedAt ?? b.end, b.end);
    out.push({ ...base, id: `${b.id}.completed`, kind: 'completed', minutes: Math.max(0, Math.round((endedAt - b.checkedInAt) / 60_000)), at: endedAt });
  }
  return out;
}

/**
 * What follows a booking's settlement, whoever settled it (a fact from the edge, the no-show
 * timer, an operator): the audit records of its transitions and of the bookings it superseded,
 * the usage records, the series' missed-check-in count, and the delta to the site's edge.
 */
export class BookingEffects {
  /** told when a series occurrence changed state (the missed-check-ins rule) */
  onSeriesChange: (tenantId: string, seriesId: string, now: number) => Promise<void> = async () => undefined;

  constructor(
    private readonly d: { audit: AuditPort; usage: BookingUsagePort; feed: BookingFeed; log: CloudLog },
  ) {}

  async settled(s: Settlement, by: BookingActor, now = Date.now()): Promise<void> {
    const { before, after } = s;
    if (after.checkedInAt !== undefined && before.checkedInAt === undefined)
      await this.audit(after, 'booking.check-in', by, { checkedInAt: after.checkedInAt });
    if (after.state === 'released' && before.state !== 'released')
      await this.audit(after, 'booking.release', by, { releasedAt: after.releasedAt, noShow: after.checkedInAt === undefined });
    for (const lost of s.superseded)
      await this.audit(lost, 'booking.supersede', by, { supersededBy: after.id, cancelReason: 'superseded' });
    for (const u of usageOf(after)) await this.d.usage.record(u);
    const moved = after.version !== before.version ? [after] : [];
    await this.d.feed.changed([...moved, ...s.superseded], now);
    for (const b of [...moved, ...s.superseded])
      if (b.seriesId) await this.onSeriesChange(b.tenantId, b.seriesId, now);
  }

  /** Records a booking change in the audit log (target = the booking id). */
  async audit(b: BookingRecord, action: string, by: BookingActor, details: Record<string, unknown> = {}): Promise<void> {
    await this.d.audit.append(b.tenantId, {
      actor: by.actor,
      action,
      target: b.id,
      result: 'ok',
      siteId: b.siteId,
      ...(by.source ? { source: by.source } : {}),
      details: { ...by.details, ...details, resourceId: b.resourceId, memberId: b.memberId, start: b.start, end: b.end },
    });
  }
}
