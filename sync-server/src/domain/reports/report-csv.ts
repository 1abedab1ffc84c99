import type { SiteReport } from './report-data';

export const CSV_HEADER = [
  'site',
  'section',
  'item',
  'count',
  'mean_time_to_ack_s',
  'mean_time_to_resolve_s',
  'percent',
] as const;

/** Quotes a CSV cell; a leading = + - @ is neutralised (threat: formula injection when opened in a spreadsheet). */
export function csvCell(value: string | number | undefined): string {
  if (value === undefined) return '';
  let s = String(value);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** One row per figure: access granted/denied, alerts by type, commands by status, device uptime. */
export function reportCsv(sites: SiteReport[]): string {
  const rows: Array<Array<string | number | undefined>> = [[...CSV_HEADER]];
  for (const s of sites) {
    rows.push([s.siteId, 'access', 'granted', s.accessGranted]);
    rows.push([s.siteId, 'access', 'denied', s.accessDenied]);
    for (const a of s.alerts) rows.push([s.siteId, 'alerts', a.type, a.count, a.meanAckSec, a.meanResolveSec]);
    for (const [status, n] of Object.entries(s.commands).sort()) rows.push([s.siteId, 'commands', status, n]);
    rows.push([s.siteId, 'devices', 'uptime', s.devices, undefined, undefined, s.deviceUptimePct]);
  }
  // Every row has every column, so spreadsheet imports line up.
  return rows.map((r) => CSV_HEADER.map((_, i) => csvCell(r[i])).join(',')).join('\r\n') + '\r\n';
}
