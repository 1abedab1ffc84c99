import { Gauge, type Registry } from 'prom-client';
import { SITE_MODES } from '@cr/shared';
import type { LinkHub } from '../edge-link/link-hub';
import type { SiteObservation, SiteStatusService } from './site-status';
import type { TenantsPort } from '../store/ports';

/** Where the fleet gauges read from at scrape time. */
export interface FleetSources {
  tenants: Pick<TenantsPort, 'allSites'>;
  status: Pick<SiteStatusService, 'observation'>;
  hub: Pick<LinkHub, 'session'>;
}

interface FleetRow extends SiteObservation {
  labels: { tenant: string; site: string };
  /** welcomed and not timed out */
  linkUp: boolean;
}

const LABELS = ['tenant', 'site'] as const;

/**
 * Registers the per-site gauges (`cr_site_*`, labelled tenant and site) on `registry`. Nothing is
 * kept between scrapes: each scrape reads the site directory and the status records, so a fleet
 * of sites costs nothing until Prometheus asks. Only sites of the directory appear: an edge
 * reporting for a deleted or unknown site adds no series (cardinality stays the number of sites).
 */
export function registerFleetMetrics(registry: Registry, src: FleetSources, now: () => number = Date.now): void {
  let cached: Promise<FleetRow[]> | undefined;
  const rows = (): Promise<FleetRow[]> => {
    if (cached) return cached;
    // prom-client starts every metric's collect() in one synchronous pass: one read of the directory serves them all.
    const read = (async () =>
      (await src.tenants.allSites()).map((s) => {
        const seen = src.status.observation(s.tenantId, s.id);
        const linkUp = seen.online && src.hub.session(s.tenantId, s.id) !== undefined;
        return { ...seen, linkUp, labels: { tenant: s.tenantId, site: s.id } };
      }))();
    cached = read;
    queueMicrotask(() => (cached = undefined));
    return read;
  };
  const gauge = (name: string, help: string, value: (r: FleetRow) => number | undefined) =>
    new Gauge({
      name,
      help,
      labelNames: LABELS,
      registers: [registry],
      async collect() {
        const all = await rows();
        // Reset first: a site deleted since the last scrape disappears instead of keeping its last value.
        this.reset();
        for (const r of all) {
          const v = value(r);
          if (v !== undefined) this.set(r.labels, v);
        }
      },
    });

  gauge('cr_site_link_up', "1 while the site's edge link is welcomed and not timed out", (r) => (r.linkUp ? 1 : 0));
  gauge('cr_site_outbox_depth', "events waiting in the edge's outbox, as of its last hello or heartbeat", (r) => r.outboxDepth);
  gauge(
    'cr_site_permission_cache_age_seconds',
    "age of the edge's permission cache (since its last sync with the cloud), from its last heartbeat",
    (r) => (r.permissionsSyncedAt === undefined ? undefined : Math.max(0, now() - r.permissionsSyncedAt) / 1000),
  );
  gauge('cr_site_fire_active', "1 while the site's edge reports an active fire state", (r) =>
    r.fireActive === undefined ? undefined : Number(r.fireActive),
  );
  // A timestamp, not an age (Prometheus practice): `time() - cr_site_last_seen_timestamp_seconds` is the age.
  gauge('cr_site_last_seen_timestamp_seconds', "Unix time of the last message from the site's edge", (r) =>
    r.lastSeenAt === undefined ? undefined : r.lastSeenAt / 1000,
  );
  // A state set: one series per mode, 1 for the reported one, so `cr_site_mode{mode="lockdown"} == 1` selects sites.
  new Gauge({
    name: 'cr_site_mode',
    help: "the site's mode as its edge last reported it (1 for the current mode, 0 for the others)",
    labelNames: [...LABELS, 'mode'],
    registers: [registry],
    async collect() {
      const all = await rows();
      this.reset();
      for (const r of all) {
        if (r.mode === undefined) continue;
        for (const mode of SITE_MODES) this.set({ ...r.labels, mode }, mode === r.mode ? 1 : 0);
      }
    },
  });
}
