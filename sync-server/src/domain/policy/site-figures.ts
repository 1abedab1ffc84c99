import { SiteDoc, siteDocName } from '@cr/shared';
import type { DocRegistry } from '../../sync/doc-registry';
import type { BookingsPort, EventsPort } from '../../store/ports';

export interface SiteFigureDeps {
  events: Pick<EventsPort, 'countByType'>;
  docs: Pick<DocRegistry, 'read'>;
  bookings: Pick<BookingsPort, 'list'>;
}

/** Swipes and alerts of one site over [from, to): what a rollout's signals and a group's figures count. */
export interface SiteActivity {
  swipes: number;
  deniedSwipes: number;
  alerts: number;
}

/** Access events from the event log (every swipe the edge decided), alerts raised in the period from the site's document. */
export async function siteActivity(deps: Omit<SiteFigureDeps, 'bookings'>, tenantId: string, siteId: string, from: number, to: number): Promise<SiteActivity> {
  const counts = await deps.events.countByType(tenantId, siteId, from, to);
  const granted = counts.get('access.granted') ?? 0;
  const denied = counts.get('access.denied') ?? 0;
  const alerts = await deps.docs.read(siteDocName(tenantId, siteId), (doc) => new SiteDoc(doc).alerts().filter((a) => a.raisedAt >= from && a.raisedAt < to).length);
  return { swipes: granted + denied, deniedSwipes: denied, alerts };
}

/** Bookings of one site overlapping [from, to) (cancelled ones left out) and the no-shows among them (released without a check-in). */
export async function siteBookings(deps: Pick<SiteFigureDeps, 'bookings'>, tenantId: string, siteId: string, from: number, to: number): Promise<{ bookings: number; settled: number; noShows: number }> {
  const all = (await deps.bookings.list({ tenantId, siteId, from, to })).filter((b) => b.state !== 'cancelled');
  return {
    bookings: all.length,
    settled: all.filter((b) => b.state !== 'booked').length,
    noShows: all.filter((b) => b.state === 'released' && b.checkedInAt === undefined).length,
  };
}
