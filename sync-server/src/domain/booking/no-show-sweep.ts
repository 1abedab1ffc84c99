import type { BookingsPort } from '../../store/ports';
import { NO_SHOW_ACTOR, type BookingEffects } from './booking-effects';

/**
 * The cloud's own no-show timer (CONTRACT.md §8): every booking recorded as holding whose grace
 * (or end) has passed is settled by the shared rule — a no-show is released, a checked-in booking
 * completed — exactly as the edge does on its own while it is offline. Returns how many changed.
 */
export async function sweepNoShows(d: { bookings: BookingsPort; effects: BookingEffects }, now = Date.now()): Promise<number> {
  let changed = 0;
  for (const b of await d.bookings.due(now)) {
    const s = await d.bookings.settle(b.tenantId, b.id, now);
    if (!s || s.after.version === s.before.version) continue;
    changed++;
    await d.effects.settled(s, NO_SHOW_ACTOR, now);
  }
  return changed;
}
