import type { MouseEvent } from 'react';
import { BOOKING_STATES } from '@cr/shared';
import { dynamicKey, useI18n } from '../../i18n/i18n';
import type { Booking, Resource } from './booking-api';
import { BookingBlock } from './BookingBlock';
import { clockOf, siteClock } from './booking-time';
import { hourMarks, instantAt, percentAt, type TimelineWindow } from './timeline-layout';

export interface Nudge {
  id: string;
  minutes: number;
}

interface Props {
  label: string;
  timeZone: string;
  window: TimelineWindow;
  dayEnd: number;
  resources: readonly Resource[];
  bookings: readonly Booking[];
  /** people counted per zone by the site document; undefined while it is not open */
  occupancy: Record<string, number> | undefined;
  now: number;
  memberName: (id: string) => string;
  selectedId: string | undefined;
  nudge: Nudge | undefined;
  onSelect: (id: string) => void;
  onNudge: (n: Nudge | undefined) => void;
  onNew: (resourceId: string, start: number) => void;
}

/** Resources as rows, the site's hours as columns, bookings as blocks, the current time as a line. */
export function BookingTimeline(p: Props) {
  const { t } = useI18n();
  const w = p.window;
  const nowShown = p.now >= w.dayStart && p.now < p.dayEnd;
  const nowPct = percentAt(w, p.now);
  const onTrackClick = (e: MouseEvent<HTMLDivElement>, resourceId: string): void => {
    if (e.target !== e.currentTarget) return;
    const rect = e.currentTarget.getBoundingClientRect();
    p.onNew(resourceId, instantAt(w, rect.width ? (e.clientX - rect.left) / rect.width : 0));
  };
  return (
    <section className="booking-timeline" aria-label={p.label} data-testid="booking-timeline" data-window={`${clockOf(w.from)}-${clockOf(w.to)}`}>
      <div className="booking-hours" aria-hidden="true">
        <span className="booking-row-head" />
        <div className="booking-track booking-scale">
          {hourMarks(w).map((m) => (
            <span key={m} className="booking-hour" style={{ left: `${((m - w.from) / (w.to - w.from)) * 100}%` }}>
              {clockOf(m)}
            </span>
          ))}
          {nowShown && (
            <span className="booking-now-label" style={{ left: `${nowPct}%` }}>
              {t('booking.now', { time: siteClock(p.now, p.timeZone) })}
            </span>
          )}
        </div>
      </div>
      {p.resources.map((r) => {
        const rows = p.bookings.filter((b) => b.resourceId === r.id);
        const people = p.occupancy?.[r.zoneId];
        const booked = rows.some((b) => (b.state === 'booked' || b.state === 'checked-in') && b.start <= p.now && p.now < b.end);
        return (
          <div key={r.id} className="booking-row" role="group" aria-labelledby={`booking-row-${r.id}`} data-testid={`booking-row-${r.id}`}>
            <div className="booking-row-head">
              <strong id={`booking-row-${r.id}`}>{r.name}</strong>
              <span className="muted small">
                {t(dynamicKey('booking.kind', r.kind))}
                {r.capacity ? ` · ${t('booking.capacity', { n: r.capacity })}` : ''}
              </span>
              {people !== undefined && (
                <span className={people > 0 ? 'booking-occupancy in-use' : 'booking-occupancy'} data-testid={`booking-occupancy-${r.id}`} data-people={people} data-booked={booked}>
                  {people > 0 ? t(booked ? 'booking.inUse' : 'booking.inUseUnbooked', { n: people }) : t('booking.free')}
                </span>
              )}
              <button type="button" className="btn btn-small" onClick={() => p.onNew(r.id, Math.max(p.now, w.dayStart + w.from * 60_000))} aria-label={t('booking.newFor', { resource: r.name })} data-testid={`booking-new-${r.id}`}>
                +
              </button>
            </div>
            <div className="booking-track" onClick={(e) => onTrackClick(e, r.id)} data-testid={`booking-track-${r.id}`}>
              {hourMarks(w).map((m) => (
                <span key={m} className="booking-gridline" style={{ left: `${((m - w.from) / (w.to - w.from)) * 100}%` }} aria-hidden="true" />
              ))}
              {rows.map((b) => (
                <BookingBlock
                  key={b.id}
                  booking={b}
                  window={w}
                  timeZone={p.timeZone}
                  memberName={p.memberName(b.memberId)}
                  selected={p.selectedId === b.id}
                  nudge={p.nudge?.id === b.id ? p.nudge.minutes : 0}
                  onSelect={() => p.onSelect(b.id)}
                  onNudge={(minutes) => p.onNudge({ id: b.id, minutes })}
                  onNudgeReset={() => p.onNudge(undefined)}
                />
              ))}
              {nowShown && <span className="booking-now" style={{ left: `${nowPct}%` }} aria-hidden="true" data-testid="booking-now" />}
            </div>
          </div>
        );
      })}
      <ul className="booking-legend" aria-label={t('booking.legend')}>
        {BOOKING_STATES.map((s) => (
          <li key={s}>
            <span className={`booking-swatch state-${s}`} aria-hidden="true" /> {t(dynamicKey('booking.state', s))}
          </li>
        ))}
      </ul>
    </section>
  );
}
