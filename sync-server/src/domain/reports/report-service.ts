import { randomUUID } from 'node:crypto';
import { DAY_MS, type UserPrincipal } from '@cr/shared';
import type { ReportFormat, ReportJob, ReportPeriod } from '../../store/reports-store';
import type { SiteRecord } from '../../store/tenants-store';
import type { DocRegistry } from '../../sync/doc-registry';
import { siteReport, type SiteReport } from './report-data';
import { reportCsv } from './report-csv';
import { reportPdf } from './report-pdf';
import type { AuditPort, CommandsPort, EventsPort, ReportsPort, TenantsPort } from '../../store/ports';

export const PERIOD_MS: Record<ReportPeriod, number> = { daily: DAY_MS, weekly: 7 * DAY_MS, monthly: 30 * DAY_MS };

interface Deps {
  reports: ReportsPort;
  events: EventsPort;
  commandsStore: CommandsPort;
  tenants: TenantsPort;
  docs: DocRegistry;
  audit: AuditPort;
}

export interface ReportRequest {
  sites: SiteRecord[];
  siteId: string | null;
  period: ReportPeriod;
  format: ReportFormat;
  to: number;
}

/**
 * Report jobs: queued, then built one site per event-loop turn (progress = sites done / sites),
 * so a report over 200 sites never stalls the API or the sync server.
 */
export class ReportService {
  private running = new Set<Promise<void>>();

  constructor(private readonly d: Deps) {}

  async start(user: UserPrincipal, req: ReportRequest, source: string): Promise<ReportJob> {
    const now = Date.now();
    const job: ReportJob = {
      id: randomUUID(),
      tenantId: user.tenantId,
      siteId: req.siteId,
      period: req.period,
      format: req.format,
      from: req.to - PERIOD_MS[req.period],
      to: req.to,
      status: 'queued',
      progress: 0,
      // Ownership by account id: another person given the same display name must not see this job.
      createdBy: user.userId,
      createdAt: now,
    };
    await this.d.reports.insert(job);
    await this.d.audit.append(user.tenantId, {
      actor: job.createdBy,
      action: 'report.export',
      target: `${req.period}:${req.siteId ?? 'all'}:${req.format}`,
      result: 'queued',
      ...(req.siteId ? { siteId: req.siteId } : {}),
      source,
      details: { jobId: job.id, actorName: user.name },
    });
    const p = this.build(job, req.sites).finally(() => this.running.delete(p));
    this.running.add(p);
    return job;
  }

  private async build(job: ReportJob, sites: SiteRecord[]): Promise<void> {
    try {
      const out: SiteReport[] = [];
      for (const [i, site] of sites.entries()) {
        await new Promise((r) => setImmediate(r));
        out.push(await siteReport(this.d, site, job.from, job.to));
        await this.d.reports.setProgress(job.id, (i + 1) / (sites.length + 1));
      }
      const title = `Control room report - ${job.period}${job.siteId ? ` - site ${job.siteId}` : ' - all sites'}`;
      const content =
        job.format === 'csv'
          ? Buffer.from(reportCsv(out), 'utf8')
          : await reportPdf(out, { title, period: job.period, from: job.from, to: job.to });
      await this.d.reports.finish(job.id, content);
    } catch (err) {
      await this.d.reports.finish(job.id, null, (err as Error).message.slice(0, 300));
    }
  }

  async job(id: string): Promise<ReportJob | undefined> {
    return this.d.reports.byId(id);
  }

  async jobs(tenantId: string): Promise<ReportJob[]> {
    return this.d.reports.ofTenant(tenantId);
  }

  async content(id: string): Promise<Buffer | undefined> {
    return this.d.reports.content(id);
  }

  /** Waits for running jobs (shutdown, tests). */
  async idle(): Promise<void> {
    await Promise.all([...this.running]);
  }
}
