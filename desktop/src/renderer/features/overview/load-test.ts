import { SEVERITIES, SITE_MODES } from '@cr/shared';
import type { SiteRow } from './site-rows';

/**
 * Generated sites for measuring the overview at scale (`?loadtest=200` in the URL). Pure and seeded,
 * so a measurement can be repeated; `step` mutates a few sites per tick like a live feed would.
 */
export function generatedSites(count: number, seed = 1): SiteRow[] {
  let s = seed >>> 0;
  const rand = (): number => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
  return Array.from({ length: count }, (_, i) => ({
    id: `load-${String(i).padStart(3, '0')}`,
    name: `Site ${String(i).padStart(3, '0')}`,
    lat: 37.45 + rand() * 0.22,
    lng: 126.82 + rand() * 0.32,
    timezone: 'Asia/Seoul',
    online: rand() > 0.05,
    mode: 'normal' as const,
    fireActive: false,
    openAlerts: 0,
    worstSeverity: undefined,
  }));
}

/** Changes `changes` random sites (status, mode, alerts); unchanged rows keep their identity. */
export function stepSites(rows: readonly SiteRow[], changes: number, rand: () => number = Math.random): SiteRow[] {
  const next = [...rows];
  for (let c = 0; c < changes && next.length > 0; c++) {
    const i = Math.floor(rand() * next.length);
    const r = next[i]!;
    const alerts = rand() < 0.5 ? 0 : 1 + Math.floor(rand() * 3);
    next[i] = {
      ...r,
      online: rand() > 0.05,
      mode: SITE_MODES[Math.floor(rand() * 8)] ?? 'normal',
      openAlerts: alerts,
      worstSeverity: alerts ? SEVERITIES[Math.floor(rand() * 3)] : undefined,
    };
  }
  return next;
}

export function loadTestCount(search: string): number {
  const n = Number(new URLSearchParams(search).get('loadtest'));
  return Number.isInteger(n) && n > 0 ? Math.min(n, 2000) : 0;
}

export interface LoadTestParams {
  count: number;
  ticksPerSecond: number;
  /** sites changed per tick: `changes` in the URL, else a tenth of them (each site changes about once a second) */
  changesPerTick: number;
}

/** `?loadtest=200[&changes=N]`: 200 sites, 10 status ticks a second; undefined when not a load test. */
export function loadTestParams(search: string): LoadTestParams | undefined {
  const count = loadTestCount(search);
  if (!count) return undefined;
  const changes = Number(new URLSearchParams(search).get('changes'));
  const changesPerTick = Number.isInteger(changes) && changes > 0 ? Math.min(changes, count) : Math.max(1, Math.round(count / 10));
  return { count, ticksPerSecond: 10, changesPerTick };
}
