import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** The cloud's Prometheus metrics, one registry per app instance (tests run several side by side). */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const r = [registry];
  return {
    /** process-level metrics: no tenant, site or person in any label; served to every scrape */
    registry,
    /** per-site gauges (`cr_site_*`, see domain/fleet-metrics.ts): served only to a scrape with the metrics token */
    fleet: new Registry(),
    httpRequests: new Counter({
      name: 'cloud_http_requests_total',
      help: 'HTTP requests',
      labelNames: ['method', 'status'],
      registers: r,
    }),
    httpDuration: new Histogram({
      name: 'cloud_http_request_seconds',
      help: 'HTTP request duration',
      buckets: [0.005, 0.02, 0.1, 0.5, 2],
      registers: r,
    }),
    docsLoaded: new Gauge({ name: 'cloud_sync_docs_loaded', help: 'Yjs documents held in memory', registers: r }),
    syncConnections: new Gauge({ name: 'cloud_sync_connections', help: 'open y-websocket connections', registers: r }),
    syncRefused: new Counter({
      name: 'cloud_sync_refused_total',
      help: 'sync connections refused',
      labelNames: ['code'],
      registers: r,
    }),
    updatesPersisted: new Counter({
      name: 'cloud_sync_updates_persisted_total',
      help: 'Yjs updates appended to the store',
      registers: r,
    }),
    updateBytes: new Counter({
      name: 'cloud_sync_update_bytes_total',
      help: 'bytes of Yjs updates appended',
      registers: r,
    }),
    compactions: new Counter({ name: 'cloud_sync_compactions_total', help: 'document compactions', registers: r }),
    edgeLinks: new Gauge({ name: 'cloud_edge_links', help: 'connected edge gateways', registers: r }),
    eventsStored: new Counter({ name: 'cloud_events_stored_total', help: 'events stored from edges', registers: r }),
    eventsStreamed: new Counter({
      name: 'cloud_events_streamed_total',
      help: 'events from edges the event stream accepted (stored by its consumer)',
      registers: r,
    }),
    eventsDuplicate: new Counter({
      name: 'cloud_events_duplicate_total',
      help: 'events received again and not stored twice',
      registers: r,
    }),
    bookingFactsRejected: new Counter({
      name: 'cloud_booking_facts_rejected_total',
      help: 'booking facts from edges ignored (malformed, or naming a booking of another site)',
      registers: r,
    }),
    edgeMessagesRejected: new Counter({
      name: 'cloud_edge_messages_rejected_total',
      help: 'malformed edge link messages',
      registers: r,
    }),
    commands: new Counter({
      name: 'cloud_commands_total',
      help: 'remote commands by final status',
      labelNames: ['status'],
      registers: r,
    }),
    storeCommits: new Counter({
      name: 'cloud_store_commits_total',
      help: 'group commits of event batches and document updates (one fsync each)',
      registers: r,
    }),
    storeCommitWrites: new Counter({
      name: 'cloud_store_commit_writes_total',
      help: 'writes (event batches, document updates) carried by group commits',
      registers: r,
    }),
    storeCommitSeconds: new Histogram({
      name: 'cloud_store_commit_seconds',
      help: 'time to run and commit one group',
      buckets: [0.001, 0.003, 0.01, 0.03, 0.1, 0.3],
      registers: r,
    }),
    sitesOnline: new Gauge({ name: 'cloud_sites_online', help: 'sites whose edge link is live', registers: r }),
  };
}

export type CloudMetrics = ReturnType<typeof createMetrics>;

/** The text of one scrape: the process-level metrics, and the per-site ones when `withFleet`. */
export function exposition(metrics: CloudMetrics, withFleet: boolean): Promise<string> {
  // Merged per scrape: a merged registry holds the metrics registered at merge time only.
  return (withFleet ? Registry.merge([metrics.registry, metrics.fleet]) : metrics.registry).metrics();
}
