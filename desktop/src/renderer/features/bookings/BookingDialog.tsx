import { useId, useState, type FormEvent, type KeyboardEvent } from 'react';
import { localTime } from '@cr/shared';
import { dynamicKey, useI18n } from '../../i18n/i18n';
import { BookingConflictError, type Booking, type BookingApi, type BookingConflict, type MemberChoice, type Resource } from './booking-api';
import { bookingRequest, repeatCount, type BookingForm } from './booking-form';
import { nextFreeSlot } from './booking-plan';
import { bookingErrorText } from './booking-text';
import { siteClock, siteDay, siteSpan } from './booking-time';
import { RepeatFields } from './RepeatFields';
import { useFocusTrap } from './use-focus-trap';

export interface BookingSite {
  id: string;
  name: string;
  timezone: string;
}

interface Props {
  site: BookingSite;
  resources: readonly Resource[];
  members: readonly MemberChoice[];
  memberName: (id: string) => string;
  api: BookingApi;
  initial: BookingForm;
  /** the booking being moved; absent for a new booking */
  moving?: Booking | undefined;
  onDone: (message: string) => void;
  onClose: () => void;
}

interface Refusal {
  conflict?: BookingConflict | undefined;
  /** start of the next slot of the same length that is free, when there is one that day */
  nextFree?: number | undefined;
  text?: string;
}

/**
 * Books a resource for a member, or moves a booking, in the site's wall-clock time. Enter submits,
 * Escape closes, Tab stays inside. A refused slot names the booking that holds it and offers the
 * next free slot of the same length that day.
 */
export function BookingDialog({ site, resources, members, memberName, api, initial, moving, onDone, onClose }: Props) {
  const { t } = useI18n();
  const id = useId();
  const [form, setForm] = useState<BookingForm>(initial);
  const [busy, setBusy] = useState(false);
  const [refusal, setRefusal] = useState<Refusal | undefined>();
  const trap = useFocusTrap<HTMLDivElement>(onClose);
  const patch = (p: Partial<BookingForm>): void => {
    setForm((f) => ({ ...f, ...p }));
    setRefusal(undefined);
  };
  const request = bookingRequest(form, site.timezone);
  const problem = 'problem' in request ? request.problem : undefined;
  const resourceName = (rid: string): string => resources.find((r) => r.id === rid)?.name ?? rid;

  const offerNext = async (wanted: { resourceId: string; start: number; end: number }): Promise<number | undefined> => {
    const day = siteDay(localTime(wanted.start, site.timezone).date, site.timezone);
    if (!day) return undefined;
    const taken = await api.bookings(site.id, { ...day, resourceId: wanted.resourceId }).catch(() => []);
    return nextFreeSlot(taken, wanted.resourceId, wanted.start, wanted.end - wanted.start, day.to, moving?.id);
  };

  const submit = async (e: Pick<FormEvent, 'preventDefault'>): Promise<void> => {
    e.preventDefault();
    if (!('body' in request) || busy) return;
    const body = request.body;
    setBusy(true);
    setRefusal(undefined);
    try {
      const time = siteSpan(body.start, body.end, site.timezone);
      if (moving) {
        await api.move(moving.id, { start: body.start, end: body.end, resourceId: body.resourceId });
        return onDone(t('booking.moved', { time }));
      }
      const made = await api.create(site.id, body);
      const booked = t('booking.booked', { resource: resourceName(body.resourceId), time, member: memberName(body.memberId) });
      onDone(body.recurrence ? `${booked} ${t('booking.seriesBooked', { n: made.created.length, skipped: made.skipped })}` : booked);
    } catch (err) {
      if (err instanceof BookingConflictError) setRefusal({ conflict: err.conflict, nextFree: await offerNext(body) });
      else setRefusal({ text: bookingErrorText(err, t) });
    } finally {
      setBusy(false);
    }
  };

  const takeNext = (start: number): void => {
    if (!('body' in request)) return;
    const length = request.body.end - request.body.start;
    patch({ date: localTime(start, site.timezone).date, startClock: siteClock(start, site.timezone), endClock: siteClock(start + length, site.timezone) });
  };

  // Enter in any field books (also in the date and time fields, where browsers differ).
  const onKeyDown = (e: KeyboardEvent): void => {
    trap.onKeyDown(e);
    const el = e.target;
    if (e.key === 'Enter' && el instanceof HTMLInputElement && el.type !== 'checkbox' && !e.defaultPrevented) void submit(e);
  };
  const field = (name: string) => `${id}-${name}`;
  const c = refusal?.conflict;
  return (
    <div className="overlay" role="dialog" aria-modal="true" aria-labelledby={field('title')} data-testid="booking-dialog" ref={trap.ref} onKeyDown={onKeyDown}>
      <form className="overlay-panel booking-dialog" onSubmit={(e) => void submit(e)} noValidate>
        <h2 id={field('title')}>{moving ? t('booking.dialogMove') : t('booking.dialogNew')}</h2>
        <p className="muted small">{t('booking.siteTime', { zone: site.timezone })}</p>
        <label htmlFor={field('resource')}>{t('booking.resource')}</label>
        <select id={field('resource')} value={form.resourceId} onChange={(e) => patch({ resourceId: e.target.value })} data-testid="booking-resource">
          {resources.map((r) => (
            <option key={r.id} value={r.id}>
              {r.name}
            </option>
          ))}
        </select>
        <label htmlFor={field('member')}>{t('booking.member')}</label>
        <input
          id={field('member')}
          value={form.memberId}
          onChange={(e) => patch({ memberId: e.target.value })}
          list={field('members')}
          disabled={!!moving}
          autoFocus={!moving}
          aria-describedby={field('member-hint')}
          autoComplete="off"
          data-testid="booking-member"
        />
        <datalist id={field('members')}>
          {members.map((m) => (
            <option key={m.id} value={m.id}>
              {m.name ?? m.id}
            </option>
          ))}
        </datalist>
        <span id={field('member-hint')} className="muted small">
          {t('booking.memberHint')}
        </span>
        <div className="booking-times">
          <label>
            {t('booking.date')}
            <input type="date" value={form.date} onChange={(e) => patch({ date: e.target.value })} required autoFocus={!!moving} data-testid="booking-date" />
          </label>
          <label>
            {t('booking.start')}
            <input type="time" step={900} value={form.startClock} onChange={(e) => patch({ startClock: e.target.value })} required data-testid="booking-start" />
          </label>
          <label>
            {t('booking.end')}
            <input type="time" step={900} value={form.endClock} onChange={(e) => patch({ endClock: e.target.value })} required data-testid="booking-end" />
          </label>
        </div>
        {!moving && <RepeatFields form={form} timeZone={site.timezone} count={repeatCount(form, site.timezone)} onChange={patch} />}
        <p className="muted small" aria-live="polite" data-testid="booking-problem">
          {problem && (problem !== 'no-member' || form.memberId !== initial.memberId) ? t(dynamicKey('booking.problem', problem)) : ''}
        </p>
        {refusal && (
          <div className="form-error" role="alert" data-testid="booking-conflict">
            <p>
              {refusal.text ??
                (c
                  ? t('booking.conflict', { member: memberName(c.memberId), resource: resourceName(c.resourceId), time: siteSpan(c.start, c.end, site.timezone), date: localTime(c.start, site.timezone).date })
                  : t('booking.conflictUnknown'))}
            </p>
            {!refusal.text && refusal.nextFree !== undefined && 'body' in request && (
              <button type="button" className="btn" onClick={() => takeNext(refusal.nextFree!)} data-testid="booking-next-free">
                {t('booking.nextFree', { time: siteSpan(refusal.nextFree, refusal.nextFree + request.body.end - request.body.start, site.timezone) })}
              </button>
            )}
            {!refusal.text && refusal.nextFree === undefined && <p className="small">{t('booking.noFreeSlot')}</p>}
          </div>
        )}
        <div className="dialog-actions">
          <button type="submit" className="btn btn-primary btn-large" disabled={busy || !!problem} data-testid="booking-submit">
            {busy ? t('booking.saving') : moving ? t('booking.submitMove') : t('booking.submitNew')}
          </button>
          <button type="button" className="btn btn-large" onClick={onClose} data-testid="booking-close">
            {t('common.cancel')}
          </button>
        </div>
      </form>
    </div>
  );
}
