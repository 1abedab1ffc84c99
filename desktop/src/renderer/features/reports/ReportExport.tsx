import { useState } from 'react';
import { useServices } from '../../app/services-context';
import { ApiError } from '../../data/api-error';
import { useI18n } from '../../i18n/i18n';
import { exportProgressText, REPORT_PERIODS, type ExportPhase, type ReportFormat, type ReportPeriod } from './report-request';
import { runReport } from './run-report';

/** Report export from the cloud (CSV or PDF) with progress: building on the server, then downloading. */
export function ReportExport({ siteId, to }: { siteId: string; to?: number }) {
  const { api } = useServices();
  const { t } = useI18n();
  const [period, setPeriod] = useState<ReportPeriod>('daily');
  const [phase, setPhase] = useState<ExportPhase>({ kind: 'idle' });
  const [error, setError] = useState<string | undefined>();

  const run = async (format: ReportFormat): Promise<void> => {
    setError(undefined);
    setPhase({ kind: 'building', percent: 0 });
    try {
      const blob = await runReport(api, { siteId, period, format, ...(to ? { to } : {}) }, setPhase);
      const url = URL.createObjectURL(blob);
      const a = document.createElement('a');
      a.href = url;
      a.download = `report-${siteId}-${period}.${format}`;
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (err) {
      setError(err instanceof ApiError && err.unreachable ? t('command.unreachable') : t('reports.failed', { reason: (err as Error).message }));
    } finally {
      setPhase({ kind: 'idle' });
    }
  };
  const busy = phase.kind !== 'idle';
  const percent = phase.kind === 'building' ? phase.percent : phase.kind === 'downloading' && phase.total ? Math.round((phase.received / phase.total) * 100) : undefined;
  return (
    <div className="report-bar" data-testid="report-export">
      <span>{t('reports.title')}</span>
      <select value={period} onChange={(e) => setPeriod(e.target.value as ReportPeriod)} aria-label={t('reports.period')} data-testid="report-period">
        {REPORT_PERIODS.map((p) => (
          <option key={p} value={p}>
            {t(`reports.${p}`)}
          </option>
        ))}
      </select>
      <button type="button" className="btn" disabled={busy} onClick={() => void run('csv')} data-testid="report-export-csv">
        CSV
      </button>
      <button type="button" className="btn" disabled={busy} onClick={() => void run('pdf')} data-testid="report-export-pdf">
        PDF
      </button>
      <span className="report-progress" data-testid="report-progress" data-phase={phase.kind}>
        {busy && (
          <>
            {phase.kind === 'building' ? t('reports.building') : t('reports.downloading')}
            <progress max={100} value={percent} />
            {exportProgressText(phase)}
          </>
        )}
      </span>
      {error && (
        <span className="error-text" role="alert">
          {error}
        </span>
      )}
    </div>
  );
}
