import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useI18n } from '../../i18n/i18n';
import type { BookingApi } from './booking-api';
import { bookingErrorText } from './booking-text';
import { addDays, siteDay } from './booking-time';

const hours = (minutes: number): string => (minutes / 60).toFixed(1);
const pct = (n: number): string => `${n.toFixed(1)} %`;

/** Utilisation and no-show rate per resource over a range of site days, with CSV and PDF files. */
export function BookingReport({ api, siteId, timeZone, today }: { api: BookingApi; siteId: string; timeZone: string; today: string }) {
  const { t } = useI18n();
  const [range, setRange] = useState({ from: addDays(today, -6), to: today });
  const [asked, setAsked] = useState(range);
  const [fileError, setFileError] = useState<string | undefined>();
  const span = (r: typeof range) => {
    const a = siteDay(r.from, timeZone);
    const b = siteDay(r.to, timeZone);
    return a && b && b.to > a.from ? { from: a.from, to: b.to } : undefined;
  };
  const period = span(asked);
  const q = useQuery({ queryKey: ['booking-report', siteId, period?.from, period?.to], queryFn: () => api.report(siteId, period!.from, period!.to), enabled: !!period });

  const download = async (format: 'csv' | 'pdf'): Promise<void> => {
    const p = span(range);
    if (!p) return;
    setFileError(undefined);
    try {
      const blob = await api.reportFile(siteId, p.from, p.to, format);
      const url = URL.createObjectURL(blob);
      const a = document.createElement('a');
      a.href = url;
      a.download = `bookings-${siteId}-${range.from}-${range.to}.${format}`;
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (err) {
      setFileError(bookingErrorText(err, t));
    }
  };
  const rows = q.data ?? [];
  return (
    <section className="booking-report" aria-labelledby="booking-report-title" data-testid="booking-report">
      <h2 id="booking-report-title">{t('booking.report')}</h2>
      <form
        className="booking-report-bar"
        onSubmit={(e) => {
          e.preventDefault();
          setAsked(range);
        }}
      >
        <label>
          {t('booking.reportFrom')}
          <input type="date" value={range.from} onChange={(e) => setRange({ ...range, from: e.target.value })} data-testid="booking-report-from" />
        </label>
        <label>
          {t('booking.reportTo')}
          <input type="date" value={range.to} onChange={(e) => setRange({ ...range, to: e.target.value })} data-testid="booking-report-to" />
        </label>
        <button type="submit" className="btn" disabled={!span(range)} data-testid="booking-report-show">
          {t('booking.reportShow')}
        </button>
        {(['csv', 'pdf'] as const).map((f) => (
          <button key={f} type="button" className="btn" disabled={!span(range)} onClick={() => void download(f)} data-testid={`booking-report-${f}`}>
            {t('booking.reportDownload', { format: f.toUpperCase() })}
          </button>
        ))}
      </form>
      {(q.isError || fileError) && (
        <p className="error-text" role="alert" data-testid="booking-report-error">
          {fileError ?? bookingErrorText(q.error, t)}
        </p>
      )}
      <table className="data-table">
        <thead>
          <tr>
            <th scope="col">{t('booking.resource')}</th>
            <th scope="col">{t('booking.reportBookedHours')}</th>
            <th scope="col">{t('booking.reportUsedHours')}</th>
            <th scope="col">{t('booking.reportUtilisation')}</th>
            <th scope="col">{t('booking.reportBookings')}</th>
            <th scope="col">{t('booking.reportNoShows')}</th>
            <th scope="col">{t('booking.reportNoShowRate')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.resourceId} data-testid={`booking-report-row-${r.resourceId}`}>
              <th scope="row">{r.name}</th>
              <td>{hours(r.bookedMinutes)}</td>
              <td>{hours(r.usedMinutes)}</td>
              <td>{pct(r.utilisationPct)}</td>
              <td>{r.bookings}</td>
              <td>{r.noShows}</td>
              <td>{pct(r.noShowRatePct)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {q.isSuccess && rows.length === 0 && <p className="muted">{t('booking.reportEmpty')}</p>}
    </section>
  );
}
