import { useState } from 'react';
import { MINUTE_MS, localTime } from '@cr/shared';
import { dynamicKey, useI18n } from '../../i18n/i18n';
import { ConfirmDialog } from '../notifications/ConfirmDialog';
import type { Booking } from './booking-api';
import { movable } from './BookingBlock';
import { siteClock, siteSpan } from './booking-time';

export type BookingAction = { kind: 'check-in' } | { kind: 'cancel'; series: boolean } | { kind: 'shift'; minutes: number };

interface Props {
  booking: Booking;
  resourceName: string;
  memberName: string;
  timeZone: string;
  /** minutes the block was shifted by on the timeline, awaiting confirmation */
  nudge: number;
  busy: boolean;
  error: string | undefined;
  onAction: (a: BookingAction) => Promise<boolean>;
  onMove: () => void;
  onNudgeReset: () => void;
  onClose: () => void;
}

/** The selected booking: its facts, check-in, move (dialog or confirmed shift) and cancel with a question. */
export function BookingDetail({ booking: b, resourceName, memberName, timeZone, nudge, busy, error, onAction, onMove, onNudgeReset, onClose }: Props) {
  const { t } = useI18n();
  const [asking, setAsking] = useState<'one' | 'series' | undefined>();
  const time = siteSpan(b.start, b.end, timeZone);
  const shifted = siteSpan(b.start + nudge * MINUTE_MS, b.end + nudge * MINUTE_MS, timeZone);
  const date = localTime(b.start, timeZone).date;
  const active = b.state === 'booked' || b.state === 'checked-in';
  const vars = { member: memberName, resource: resourceName, time, date };
  return (
    <aside className="booking-detail" aria-labelledby="booking-detail-title" data-testid="booking-detail" data-booking-id={b.id}>
      <div className="booking-detail-head">
        <h2 id="booking-detail-title">{t('booking.detailTitle', { resource: resourceName, time })}</h2>
        <button type="button" className="btn btn-ghost" onClick={onClose} aria-label={t('common.close')} data-testid="booking-detail-close">
          ×
        </button>
      </div>
      <dl className="booking-facts">
        <dt>{t('booking.member')}</dt>
        <dd data-testid="booking-detail-member">{memberName}</dd>
        <dt>{t('booking.time')}</dt>
        <dd>
          {date} {time}
        </dd>
        <dt>{t('booking.state')}</dt>
        <dd data-testid="booking-detail-state" data-state={b.state}>
          {t(dynamicKey('booking.state', b.state))}
          {b.checkedInAt !== undefined && ` · ${t('booking.checkedIn', { time: siteClock(b.checkedInAt, timeZone) })}`}
        </dd>
      </dl>
      {b.seriesId && <p className="muted small">{t('booking.series')}</p>}
      {nudge !== 0 && (
        <div className="booking-nudge" role="status" data-testid="booking-nudge">
          <p>{t('booking.nudged', { time: shifted })}</p>
          <div className="dialog-actions">
            <button type="button" className="btn btn-primary" disabled={busy} onClick={() => void onAction({ kind: 'shift', minutes: nudge })} data-testid="booking-nudge-confirm">
              {t('booking.nudgeConfirm')}
            </button>
            <button type="button" className="btn" onClick={onNudgeReset} data-testid="booking-nudge-reset">
              {t('booking.nudgeReset')}
            </button>
          </div>
        </div>
      )}
      {error && !asking && (
        <p className="error-text" role="alert" data-testid="booking-action-error">
          {error}
        </p>
      )}
      <p className="muted small">{t('booking.blockHint')}</p>
      <div className="dialog-actions">
        {b.state === 'booked' && (
          <button type="button" className="btn btn-primary" disabled={busy} onClick={() => void onAction({ kind: 'check-in' })} data-testid="booking-check-in">
            {t('booking.checkIn')}
          </button>
        )}
        {movable(b) && (
          <button type="button" className="btn" disabled={busy} onClick={onMove} data-testid="booking-move">
            {t('booking.move')}
          </button>
        )}
        {active && (
          <button type="button" className="btn btn-danger" disabled={busy} onClick={() => setAsking('one')} data-testid="booking-cancel">
            {t('booking.cancel')}
          </button>
        )}
        {active && b.seriesId && (
          <button type="button" className="btn btn-danger" disabled={busy} onClick={() => setAsking('series')} data-testid="booking-cancel-series">
            {t('booking.cancelSeries')}
          </button>
        )}
      </div>
      {asking && (
        <ConfirmDialog
          title={t('booking.cancelTitle')}
          question={t(asking === 'series' ? 'booking.cancelSeriesQuestion' : 'booking.cancelQuestion', vars)}
          confirm={t('booking.cancelConfirm')}
          busy={busy}
          error={error}
          onConfirm={() => void onAction({ kind: 'cancel', series: asking === 'series' }).then((ok) => ok && setAsking(undefined))}
          onClose={() => setAsking(undefined)}
        />
      )}
    </aside>
  );
}
