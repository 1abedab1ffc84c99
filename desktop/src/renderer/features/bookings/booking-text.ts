import { ApiError } from '../../data/api-error';
import type { Translate } from '../../i18n/i18n';
import type { MemberChoice } from './booking-api';

/** A refused or failed booking action as a sentence a person can act on. */
export function bookingErrorText(err: unknown, t: Translate): string {
  if (err instanceof ApiError && err.unreachable) return t('booking.unreachable');
  if (err instanceof ApiError && err.status >= 400 && err.status < 500) return t('booking.actionFailed', { reason: err.message });
  return t('booking.failed', { reason: (err as Error)?.message ?? String(err) });
}

/** How a member is named on screen: their name and id when the console knows the name, else the id. */
export function memberNamer(members: readonly MemberChoice[]): (id: string) => string {
  const names = new Map(members.filter((m) => m.name).map((m) => [m.id, m.name!]));
  return (id) => {
    const name = names.get(id);
    return name ? `${name} (${id})` : id;
  };
}
