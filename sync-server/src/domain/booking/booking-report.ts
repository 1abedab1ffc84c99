import type { BookingRecord, ResourceRecord } from '../../store/booking-records';
import type { UsageQuery, UsageRecord } from '../../store/booking-usage-store';
import type { BookingResourcesPort, BookingsPort, BookingUsagePort } from '../../store/ports';
import { csvCell } from '../reports/report-csv';
import { latin, sectionsPdf } from '../reports/report-pdf';

/** One resource's figures over a period. */
export interface ResourceUtilisation {
  resourceId: string;
  name: string;
  kind: string;
  bookings: number;
  bookedMinutes: number;
  /** minutes members were checked in */
  usedMinutes: number;
  /** used minutes as a share of the period */
  utilisationPct: number;
  noShows: number;
  /** no-shows as a share of the bookings whose check-in window has passed */
  noShowRatePct: number;
}

const clip = (a: number, b: number, from: number, to: number) => Math.max(0, Math.min(b, to) - Math.max(a, from));
const pct = (n: number, d: number) => (d > 0 ? Math.round((n / d) * 1000) / 10 : 0);

/** The figures of one resource from its bookings in [from, to). Pure. */
export function utilisation(r: ResourceRecord, bookings: readonly BookingRecord[], from: number, to: number): ResourceUtilisation {
  const mine = bookings.filter((b) => b.resourceId === r.id && b.state !== 'cancelled');
  const minutes = (ms: number) => Math.round(ms / 60_000);
  const used = mine.reduce((s, b) => (b.checkedInAt === undefined ? s : s + clip(b.checkedInAt, Math.min(b.releasedAt ?? b.end, b.end), from, to)), 0);
  const noShows = mine.filter((b) => b.state === 'released' && b.checkedInAt === undefined).length;
  const settled = mine.filter((b) => b.state !== 'booked').length;
  return {
    resourceId: r.id,
    name: r.name,
    kind: r.kind,
    bookings: mine.length,
    bookedMinutes: minutes(mine.reduce((s, b) => s + clip(b.start, b.end, from, to), 0)),
    usedMinutes: minutes(used),
    utilisationPct: pct(used, to - from),
    noShows,
    noShowRatePct: pct(noShows, settled),
  };
}

const CSV_HEADER = ['resource', 'name', 'kind', 'bookings', 'booked_minutes', 'used_minutes', 'utilisation_percent', 'no_shows', 'no_show_rate_percent'] as const;

/** The booking report as CSV, cells neutralised as the site reports' are. */
export function bookingReportCsv(rows: readonly ResourceUtilisation[]): string {
  const lines = [CSV_HEADER.join(',')];
  for (const r of rows)
    lines.push([r.resourceId, r.name, r.kind, r.bookings, r.bookedMinutes, r.usedMinutes, r.utilisationPct, r.noShows, r.noShowRatePct].map(csvCell).join(','));
  return lines.join('\r\n') + '\r\n';
}

export function bookingReportPdf(siteId: string, rows: readonly ResourceUtilisation[], from: number, to: number): Promise<Buffer> {
  const sections = rows.map((r) => ({
    heading: `${r.resourceId} - ${latin(r.name, r.resourceId)} (${r.kind})`,
    lines: [
      `Bookings: ${r.bookings}, booked ${r.bookedMinutes} min, used ${r.usedMinutes} min`,
      `Utilisation: ${r.utilisationPct}%`,
      `No-shows: ${r.noShows} (${r.noShowRatePct}%)`,
    ],
  }));
  return sectionsPdf(sections, { title: `Booking report ${siteId}`, period: 'custom', from, to });
}

/** Booking reports and usage records of a tenant. */
export class BookingReports {
  constructor(private readonly d: { bookings: BookingsPort; resources: BookingResourcesPort; usage: BookingUsagePort }) {}

  async utilisation(tenantId: string, siteId: string, from: number, to: number): Promise<ResourceUtilisation[]> {
    const [resources, bookings] = await Promise.all([
      this.d.resources.ofSite(tenantId, siteId),
      this.d.bookings.list({ tenantId, siteId, from, to }),
    ]);
    return resources.map((r) => utilisation(r, bookings, from, to));
  }

  usage(q: UsageQuery): Promise<UsageRecord[]> {
    return this.d.usage.query(q);
  }
}
