import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALERT_TYPES, acknowledgeAlert, alertId, raiseAlert, resolveAlert, siteDocName } from '@cr/shared';
import { eventually, startTestCloud, type TestCloud } from '../../testing/test-cloud';
import { csvCell } from './report-csv';

let t: TestCloud;
const now = Date.now();

beforeAll(async () => {
  t = await startTestCloud();
  const ev = (type: string, ts: number, deviceId?: string) => ({
    id: randomUUID(),
    type,
    ts,
    ...(deviceId ? { deviceId } : {}),
  });
  await t.cloud.ctx.ingest.store('demo', 'gangnam', [
    ev('access.granted', now - 1000),
    ev('access.granted', now - 2000),
    ev('access.granted', now - 3000),
    ev('access.denied', now - 4000),
    ev('access.granted', now - 3 * 86_400_000), // outside a daily report
  ]);
  const raisedAt = now - 60_000;
  await t.cloud.ctx.docs.mutate(siteDocName('demo', 'gangnam'), (doc) => {
    const id = alertId('gangnam', 'door-lobby', 'door.forced', raisedAt);
    raiseAlert(doc, {
      id,
      siteId: 'gangnam',
      type: 'door.forced',
      severity: ALERT_TYPES['door.forced'].severity,
      raisedAt,
      deviceId: 'door-lobby',
      source: 'edge',
    });
    acknowledgeAlert(doc, id, { by: 'hq', at: raisedAt + 30_000, where: 'hq' });
    resolveAlert(doc, id, { by: 'hq', at: raisedAt + 50_000, where: 'hq' });
  });
});
afterAll(() => t.close());

async function runReport(
  body: Record<string, unknown>,
  who = 'hq@demo.local',
): Promise<{ res: Response; content: Buffer }> {
  const token = await t.token(who);
  const started = await t.api('POST', '/api/v1/reports', { token, body });
  expect(started.status).toBe(202);
  const { id } = (await started.json()) as { id: string };
  await eventually(
    async () =>
      ((await (await t.api('GET', `/api/v1/reports/${id}`, { token })).json()) as { status: string }).status === 'done',
    5000,
    'report done',
  );
  const res = await t.api('GET', `/api/v1/reports/${id}/download`, { token });
  return { res, content: Buffer.from(await res.arrayBuffer()) };
}

/** Text drawn by pdfkit (uncompressed): hex strings inside TJ arrays, joined per line. */
function pdfLines(pdf: Buffer): string[] {
  return (pdf.toString('latin1').match(/\[(.*?)\] TJ/g) ?? []).map((tj) =>
    [...tj.matchAll(/<([0-9a-f]+)>/g)].map((m) => Buffer.from(m[1]!, 'hex').toString('latin1')).join(''),
  );
}

describe('reports', () => {
  it('builds a daily CSV with access counts, alert times, commands and uptime', async () => {
    const { res, content } = await runReport({ siteId: 'gangnam', period: 'daily', format: 'csv' });
    expect(res.headers.get('content-type')).toContain('text/csv');
    const rows = content
      .toString('utf8')
      .trim()
      .split('\r\n')
      .map((r) => r.split(','));
    expect(rows[0]).toEqual([
      'site',
      'section',
      'item',
      'count',
      'mean_time_to_ack_s',
      'mean_time_to_resolve_s',
      'percent',
    ]);
    expect(rows).toContainEqual(['gangnam', 'access', 'granted', '3', '', '', '']);
    expect(rows).toContainEqual(['gangnam', 'access', 'denied', '1', '', '', '']);
    expect(rows).toContainEqual(['gangnam', 'alerts', 'door.forced', '1', '30', '50', '']);
    expect(rows.find((r) => r[1] === 'devices')?.[3]).toBe('25');
  });

  it('builds a weekly PDF of all sites that is a real PDF with the figures in it', async () => {
    const { res, content } = await runReport({ period: 'weekly', format: 'pdf' });
    expect(res.headers.get('content-type')).toBe('application/pdf');
    expect(content.subarray(0, 5).toString()).toBe('%PDF-');
    expect(content.subarray(-6).toString()).toContain('%%EOF');
    const lines = pdfLines(content);
    expect(lines).toContain('Control room report - weekly - all sites');
    expect(lines).toContain('Site gangnam - Gangnam');
    expect(lines).toContain('Access granted: 4');
    expect(lines).toContain('Site yeouido - Yeouido');
  });

  it('audits exports and refuses a download before the job is done or of another scope', async () => {
    const audit = (await (
      await t.api('GET', '/api/v1/audit', { token: await t.token('admin@demo.local') })
    ).json()) as Array<{ action: string }>;
    expect(audit.filter((a) => a.action === 'report.export').length).toBeGreaterThanOrEqual(2);
    const jobs = (await (
      await t.api('GET', '/api/v1/reports', { token: await t.token('gangnam.manager@demo.local') })
    ).json()) as Array<{ siteId: string | null }>;
    expect(jobs.every((j) => j.siteId === 'gangnam')).toBe(true);
  });

  it('neutralises spreadsheet formulas in CSV cells', () => {
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvCell('plain')).toBe('plain');
  });
});
