import { useMemo, useState } from 'react';
import { DEFAULT_TIMEZONE, MINUTE_MS, localTime } from '@cr/shared';
import { useLiveData } from '../../app/live-data';
import { navigate } from '../../app/router';
import { useServices } from '../../app/services-context';
import type { User } from '../../data/api-types';
import { useI18n } from '../../i18n/i18n';
import { useSiteState } from '../site/use-site-state';
import { bookingApi, type Booking } from './booking-api';
import { BookingDayBar } from './BookingDayBar';
import { BookingDetail, type BookingAction } from './BookingDetail';
import { BookingDialog } from './BookingDialog';
import { blankForm, formOf, type BookingForm } from './booking-form';
import { BookingReport } from './BookingReport';
import { bookingErrorText, memberNamer } from './booking-text';
import { siteClock, siteDay, siteSpan, siteToday } from './booking-time';
import { BookingTimeline, type Nudge } from './BookingTimeline';
import { timelineWindow } from './timeline-layout';
import { useBookingData, useNow } from './use-booking-data';
import './bookings.css';

type Editing = { form: BookingForm; moving?: Booking };

/**
 * The booking timeline of one site and day in the site's own time: resources as rows, bookings as
 * blocks by state, live occupancy per resource from the site document; booking, moving, cancelling
 * and checking in for members; and the utilisation report.
 */
export function BookingsPage({ user, siteId: routeSiteId }: { user: User; siteId?: string | undefined }) {
  const { api } = useServices();
  const { t } = useI18n();
  const { sites } = useLiveData();
  const bookings = useMemo(() => bookingApi(api), [api]);
  const now = useNow();
  const siteId = routeSiteId ?? sites[0]?.id;
  const row = sites.find((s) => s.id === siteId);
  const site = { id: siteId ?? '', name: row?.name ?? siteId ?? '', timezone: row?.timezone || DEFAULT_TIMEZONE };
  const today = siteToday(site.timezone, now);
  const [picked, setPicked] = useState<string | undefined>();
  const date = picked ?? today;
  const day = useMemo(() => siteDay(date, site.timezone), [date, site.timezone]);
  const data = useBookingData(bookings, siteId, day, user.role === 'tenant-admin');
  const occupancy = useSiteState(siteId ?? '')?.occupancy;
  const [showCancelled, setShowCancelled] = useState(false);
  const [selectedId, setSelectedId] = useState<string | undefined>();
  const [nudge, setNudge] = useState<Nudge | undefined>();
  const [editing, setEditing] = useState<Editing | undefined>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const [notice, setNotice] = useState('');

  const resources = useMemo(() => data.resources.data ?? [], [data.resources.data]);
  const all = useMemo(() => data.bookings.data ?? [], [data.bookings.data]);
  const shown = useMemo(() => all.filter((b) => showCancelled || b.state !== 'cancelled'), [all, showCancelled]);
  const memberName = useMemo(() => memberNamer(data.members), [data.members]);
  const window = useMemo(() => (day ? timelineWindow(day.from, day.to, shown) : undefined), [day, shown]);
  const selected = all.find((b) => b.id === selectedId);
  const resourceName = (id: string): string => resources.find((r) => r.id === id)?.name ?? id;

  const changeSite = (id: string): void => {
    setSelectedId(undefined);
    setNudge(undefined);
    navigate({ name: 'bookings', siteId: id });
  };
  const changeDay = (d: string): void => {
    setPicked(d === today ? undefined : d);
    setSelectedId(undefined);
    setNudge(undefined);
  };
  const newAt = (resourceId: string, start: number): void => {
    const lt = localTime(start, site.timezone);
    const minute = Math.ceil(lt.minuteOfDay / 15) * 15;
    setEditing({ form: blankForm(resourceId, lt.date === date ? date : lt.date, minute) });
  };
  const act = async (a: BookingAction): Promise<boolean> => {
    if (!selected) return false;
    setBusy(true);
    setError(undefined);
    try {
      if (a.kind === 'check-in') await bookings.checkIn(selected.id);
      else if (a.kind === 'cancel') await bookings.cancel(selected.id, a.series);
      else await bookings.move(selected.id, { start: selected.start + a.minutes * MINUTE_MS, end: selected.end + a.minutes * MINUTE_MS, resourceId: selected.resourceId });
      const shift = a.kind === 'shift' ? a.minutes * MINUTE_MS : 0;
      const moved = siteSpan(selected.start + shift, selected.end + shift, site.timezone);
      setNotice(a.kind === 'cancel' ? t('booking.cancelled') : a.kind === 'shift' ? t('booking.moved', { time: moved }) : t('booking.checkedIn', { time: siteClock(Date.now(), site.timezone) }));
      setNudge(undefined);
      if (a.kind === 'cancel') setSelectedId(undefined);
      await data.refresh();
      return true;
    } catch (err) {
      setError(bookingErrorText(err, t));
      return false;
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="table-page bookings-page" data-testid="bookings-page" data-site-id={siteId}>
      <h1 className="page-title">{t('nav.bookings')}</h1>
      <BookingDayBar
        sites={sites}
        siteId={siteId}
        date={date}
        today={today}
        timeZone={site.timezone}
        showCancelled={showCancelled}
        onSite={changeSite}
        onDay={changeDay}
        onShowCancelled={setShowCancelled}
        onNew={resources[0] ? () => newAt(resources[0]!.id, day && now < day.from ? day.from + 9 * 60 * MINUTE_MS : Math.max(now, day?.from ?? now)) : undefined}
      />
      <p className="muted small" role="status" data-testid="booking-notice">
        {notice || `${t('booking.siteTime', { zone: site.timezone })} ${t('booking.refreshed')}`}
      </p>
      {(data.resources.isError || data.bookings.isError) && (
        <p className="error-text" role="alert" data-testid="booking-load-error">
          {bookingErrorText(data.resources.error ?? data.bookings.error, t)}
        </p>
      )}
      {data.resources.isSuccess && resources.length === 0 && <p className="muted">{t('booking.noResources')}</p>}
      <div className={selected ? 'booking-body with-detail' : 'booking-body'}>
        {window && day && resources.length > 0 && (
          <BookingTimeline
            label={t('booking.timelineLabel', { site: site.name, date })}
            timeZone={site.timezone}
            window={window}
            dayEnd={day.to}
            resources={resources}
            bookings={shown}
            occupancy={occupancy}
            now={now}
            memberName={memberName}
            selectedId={selectedId}
            nudge={nudge}
            onSelect={(id) => {
              setSelectedId(id);
              setError(undefined);
              if (nudge && nudge.id !== id) setNudge(undefined);
            }}
            onNudge={setNudge}
            onNew={newAt}
          />
        )}
        {selected && (
          <BookingDetail
            booking={selected}
            resourceName={resourceName(selected.resourceId)}
            memberName={memberName(selected.memberId)}
            timeZone={site.timezone}
            nudge={nudge?.id === selected.id ? nudge.minutes : 0}
            busy={busy}
            error={error}
            onAction={act}
            onMove={() => setEditing({ form: formOf(selected, site.timezone), moving: selected })}
            onNudgeReset={() => setNudge(undefined)}
            onClose={() => setSelectedId(undefined)}
          />
        )}
      </div>
      {siteId && <BookingReport api={bookings} siteId={siteId} timeZone={site.timezone} today={today} />}
      {editing && (
        <BookingDialog
          site={site}
          resources={resources}
          members={data.members}
          memberName={memberName}
          api={bookings}
          initial={editing.form}
          moving={editing.moving}
          onDone={(message) => {
            setEditing(undefined);
            setNotice(message);
            setNudge(undefined);
            void data.refresh();
          }}
          onClose={() => setEditing(undefined)}
        />
      )}
    </div>
  );
}
