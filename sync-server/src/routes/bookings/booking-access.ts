import { userCoversSite, type UserPrincipal } from '@cr/shared';
import type { CloudContext } from '../../context';
import { notFound } from '../../domain/errors';
import type { BookingRecord } from '../../store/booking-records';
import type { SiteRecord } from '../../store/tenants-store';
import { siteFor } from '../site-access';

/**
 * The booking an id names, with its site, if the caller may act on it. Looked up in the caller's
 * tenant only, and a booking of a site outside a scoped caller's sites does not exist for them
 * (404, threat: probing ids); a role that may not do `action` there gets 403.
 */
export async function bookingFor(
  ctx: CloudContext,
  user: UserPrincipal,
  id: string,
  action: 'bookings.read' | 'bookings.manage',
): Promise<{ booking: BookingRecord; site: SiteRecord }> {
  const booking = await ctx.bookings.service.get(user.tenantId, id);
  if (!userCoversSite(user, booking.siteId)) throw notFound('booking');
  const site = await siteFor(ctx, user, booking.siteId, { type: action, siteId: booking.siteId });
  return { booking, site };
}
