import type { ReportJob } from '../../data/api-types';

export const REPORT_PERIODS = ['daily', 'weekly', 'monthly'] as const;
export type ReportPeriod = (typeof REPORT_PERIODS)[number];
export type ReportFormat = 'csv' | 'pdf';


/** Job progress as a percentage; the cloud reports a fraction (0…1), tolerate a percentage too. */
export function jobPercent(job: Pick<ReportJob, 'progress' | 'status'>): number {
  if (job.status === 'done') return 100;
  const p = job.progress <= 1 ? job.progress * 100 : job.progress;
  return Math.max(0, Math.min(100, Math.round(p)));
}

export type ExportPhase = { kind: 'idle' } | { kind: 'building'; percent: number } | { kind: 'downloading'; received: number; total?: number };

/** One line of progress for the export bar. */
export function exportProgressText(p: ExportPhase): string {
  if (p.kind === 'building') return `${p.percent}%`;
  if (p.kind === 'downloading') return p.total ? `${Math.round((p.received / p.total) * 100)}%` : `${Math.round(p.received / 1024)} KB`;
  return '';
}
