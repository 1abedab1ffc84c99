import { DEFAULT_TIMEZONE, SEVERITY_RANK, type SiteMode, type Severity, type SiteDoc, type SiteEntry, type SiteStatus } from '@cr/shared';
import type { SiteSummary } from '../../data/api-types';

/** One site as the overview shows it, merged from REST, the tenant summary and open site documents. */
export interface SiteRow {
  id: string;
  name: string;
  lat: number;
  lng: number;
  timezone: string;
  /** undefined until anything said whether the edge is connected */
  online: boolean | undefined;
  mode: SiteMode;
  fireActive: boolean;
  openAlerts: number;
  worstSeverity: Severity | undefined;
}

/**
 * Live facts read from an open site document: its alerts (more current than any summary). The
 * document's mode, fire state and time zone are copies any console can write, so the map takes
 * those from the cloud (tenant summary, REST), which has them from the site's edge and directory.
 */
export interface LiveSiteFacts {
  openAlerts: number;
  worstSeverity: Severity | undefined;
}

/** The status colour class of a site, worst first. */
export const SITE_TONES = ['fire', 'critical', 'offline', 'major', 'mode', 'minor', 'ok', 'unknown'] as const;
export type SiteTone = (typeof SITE_TONES)[number];

export function siteTone(row: SiteRow): SiteTone {
  if (row.fireActive) return 'fire';
  if (row.worstSeverity === 'critical') return 'critical';
  if (row.online === false) return 'offline';
  if (row.worstSeverity === 'major') return 'major';
  if (row.mode !== 'normal') return 'mode';
  if (row.worstSeverity === 'minor' || (row.openAlerts > 0 && !row.worstSeverity)) return 'minor';
  return row.online === undefined ? 'unknown' : 'ok';
}

/** Severity colours: high contrast on the dark theme, and distinct for common colour blindness (shape/label also differ). */
export const TONE_RGB: Record<SiteTone, [number, number, number]> = {
  fire: [255, 59, 48],
  critical: [255, 69, 58],
  offline: [142, 142, 160],
  major: [255, 159, 10],
  mode: [191, 90, 242],
  minor: [255, 214, 10],
  ok: [48, 209, 88],
  unknown: [100, 110, 125],
};

export function worstOf(a: Severity | undefined, b: Severity | undefined): Severity | undefined {
  if (!a) return b;
  if (!b) return a;
  return SEVERITY_RANK[a] <= SEVERITY_RANK[b] ? a : b;
}

export function siteFactsFromDoc(site: SiteDoc): LiveSiteFacts {
  let openAlerts = 0;
  let worst: Severity | undefined;
  for (const a of site.alerts()) {
    if (a.state === 'resolved') continue;
    openAlerts++;
    worst = worstOf(worst, a.severity);
  }
  return { openAlerts, worstSeverity: worst };
}

const sameRow = (a: SiteRow, b: SiteRow): boolean =>
  (Object.keys(a) as (keyof SiteRow)[]).every((k) => a[k] === b[k]);

export interface SiteSources {
  rest?: readonly SiteSummary[];
  directory?: readonly SiteEntry[];
  status?: Readonly<Record<string, SiteStatus | undefined>>;
  live?: Readonly<Record<string, LiveSiteFacts | undefined>>;
}

/**
 * Merges every source into rows sorted by name. Rows that did not change keep their identity, so
 * the map and the list re-render only what changed when one site's state streams in.
 */
export function mergeSiteRows(src: SiteSources, previous: ReadonlyMap<string, SiteRow> = new Map()): SiteRow[] {
  const base = new Map<string, SiteRow>();
  for (const e of src.directory ?? []) {
    base.set(e.id, { id: e.id, name: e.name, lat: e.lat, lng: e.lng, timezone: e.timezone, online: undefined, mode: 'normal', fireActive: false, openAlerts: 0, worstSeverity: undefined });
  }
  for (const s of src.rest ?? []) {
    const cur = base.get(s.id);
    base.set(s.id, {
      id: s.id,
      name: s.name || cur?.name || s.id,
      lat: s.lat,
      lng: s.lng,
      timezone: s.timezone ?? cur?.timezone ?? DEFAULT_TIMEZONE,
      online: s.online,
      // vendors are not told a site's mode
      mode: s.mode ?? 'normal',
      fireActive: s.fireActive ?? false,
      openAlerts: s.openAlerts,
      worstSeverity: s.worstSeverity ?? undefined,
    });
  }
  const rows: SiteRow[] = [];
  for (const row of base.values()) {
    const st = src.status?.[row.id];
    const live = src.live?.[row.id];
    const merged: SiteRow = { ...row };
    if (st) Object.assign(merged, { online: st.online, mode: st.mode, fireActive: st.fireActive ?? merged.fireActive, openAlerts: st.openAlerts, worstSeverity: st.worstSeverity });
    if (live) Object.assign(merged, { openAlerts: live.openAlerts, worstSeverity: live.worstSeverity });
    const prev = previous.get(row.id);
    rows.push(prev && sameRow(prev, merged) ? prev : merged);
  }
  return rows.sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
}

export function countByTone(rows: readonly SiteRow[]): Record<SiteTone, number> {
  const out = Object.fromEntries(SITE_TONES.map((t) => [t, 0])) as Record<SiteTone, number>;
  for (const r of rows) out[siteTone(r)]++;
  return out;
}
