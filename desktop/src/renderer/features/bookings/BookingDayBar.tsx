import type { KeyboardEvent } from 'react';
import { useI18n } from '../../i18n/i18n';
import type { SiteRow } from '../overview/site-rows';
import { addDays } from './booking-time';

interface Props {
  sites: readonly SiteRow[];
  siteId: string | undefined;
  date: string;
  today: string;
  timeZone: string;
  showCancelled: boolean;
  onSite: (id: string) => void;
  onDay: (date: string) => void;
  onShowCancelled: (on: boolean) => void;
  /** opens a new booking; absent while the site has no resource */
  onNew: (() => void) | undefined;
}

/** Which site and day the timeline shows: the user's sites only, a day picked by date, arrows or ← →. */
export function BookingDayBar({ sites, siteId, date, today, showCancelled, onSite, onDay, onShowCancelled, onNew }: Props) {
  const { t } = useI18n();
  const onKeyDown = (e: KeyboardEvent): void => {
    if ((e.target as HTMLElement).tagName === 'INPUT') return;
    if (e.key === 'ArrowLeft' || e.key === 'ArrowRight') {
      e.preventDefault();
      onDay(addDays(date, e.key === 'ArrowLeft' ? -1 : 1));
    }
  };
  return (
    <div className="filter-bar booking-bar">
      <label>
        {t('booking.site')}
        <select value={siteId ?? ''} onChange={(e) => onSite(e.target.value)} data-testid="booking-site">
          {sites.map((s) => (
            <option key={s.id} value={s.id}>
              {s.name}
            </option>
          ))}
        </select>
      </label>
      <div className="booking-day-nav" role="group" aria-label={t('booking.dayNav')} onKeyDown={onKeyDown} data-testid="booking-day-nav">
        <button type="button" className="btn" onClick={() => onDay(addDays(date, -1))} aria-label={t('booking.prevDay')} data-testid="booking-prev-day">
          ←
        </button>
        <label>
          <span className="visually-hidden">{t('booking.day')}</span>
          <input type="date" value={date} onChange={(e) => e.target.value && onDay(e.target.value)} data-testid="booking-date-pick" />
        </label>
        <button type="button" className="btn" onClick={() => onDay(addDays(date, 1))} aria-label={t('booking.nextDay')} data-testid="booking-next-day">
          →
        </button>
        <button type="button" className="btn" onClick={() => onDay(today)} disabled={date === today} data-testid="booking-today">
          {t('booking.today')}
        </button>
      </div>
      <label className="booking-check">
        <input type="checkbox" checked={showCancelled} onChange={(e) => onShowCancelled(e.target.checked)} data-testid="booking-show-cancelled" />
        {t('booking.showCancelled')}
      </label>
      {onNew && (
        <button type="button" className="btn btn-primary" onClick={onNew} data-testid="booking-new">
          {t('booking.new')}
        </button>
      )}
    </div>
  );
}
