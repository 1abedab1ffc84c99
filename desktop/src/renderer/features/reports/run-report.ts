import type { ApiClient } from '../../data/api-client';
import { jobPercent, type ExportPhase, type ReportFormat, type ReportPeriod } from './report-request';

const POLL_MS = 500;
const MAX_WAIT_MS = 5 * 60_000;

/** Starts a report job, follows its progress, then downloads the file with byte progress. */
export async function runReport(
  api: Pick<ApiClient, 'startReport' | 'reportJob' | 'downloadReport'>,
  req: { siteId: string; period: ReportPeriod; format: ReportFormat; to?: number },
  onPhase: (p: ExportPhase) => void,
  sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
): Promise<Blob> {
  let job = await api.startReport(req);
  const started = Date.now();
  while (job.status !== 'done') {
    if (job.status === 'failed') throw new Error(job.error ?? 'report failed');
    if (Date.now() - started > MAX_WAIT_MS) throw new Error('report took too long');
    onPhase({ kind: 'building', percent: jobPercent(job) });
    await sleep(POLL_MS);
    job = await api.reportJob(job.id);
  }
  onPhase({ kind: 'downloading', received: 0 });
  return api.downloadReport(job.id, (received, total) => onPhase({ kind: 'downloading', received, total }));
}
