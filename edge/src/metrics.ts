import { Counter, Gauge, Histogram, Registry } from 'prom-client';

/** Bad input the edge counts by kind (the `kind` label of edge_malformed_messages_total). */
export type BadInputKind =
  | 'json'
  | 'schema'
  | 'oversize'
  | 'topic'
  | 'unknown-device'
  | 'replay'
  | 'clock-skew'
  | 'config-mismatch'
  | 'too-many-devices'
  /** a client other than the edge publishing on an edge-only topic */
  | 'forged'
  /** a door, reader or fire panel not admitted yet asking to act */
  | 'device-pending';

/**
 * Errors no code path caught, counted by the process guard. One per process (a fault belongs to the
 * process, not to one edge), shown in every edge registry; in no registry until an edge adds it.
 */
export const uncaughtErrorsTotal = new Counter({
  name: 'edge_uncaught_errors_total',
  help: 'Uncaught exceptions and unhandled rejections the process guard logged and survived',
  labelNames: ['origin'],
  registers: [],
});

/** The edge's Prometheus metrics, in a registry of its own (several edges may share a process in tests). */
export function createMetrics() {
  const registry = new Registry();
  registry.registerMetric(uncaughtErrorsTotal);
  const r = [registry];
  return {
    registry,
    decisions: new Counter({ name: 'edge_access_decisions_total', help: 'Access decisions by reason', labelNames: ['reason', 'granted'], registers: r }),
    decisionSeconds: new Histogram({
      name: 'edge_access_decision_seconds',
      help: 'Access request received → response published',
      buckets: [0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25],
      registers: r,
    }),
    outboxDepth: new Gauge({ name: 'edge_outbox_depth', help: 'Events waiting for upload', registers: r }),
    outboxRefused: new Counter({ name: 'edge_outbox_refused_total', help: 'Events refused because the outbox was full', registers: r }),
    outboxFailed: new Counter({ name: 'edge_outbox_failed_total', help: 'Events lost: the outbox commit failed and the memory hold was full', registers: r }),
    outboxHeld: new Counter({ name: 'edge_outbox_held_total', help: 'Events kept in memory because the disk refused their commit', registers: r }),
    eventsUploaded: new Counter({ name: 'edge_events_uploaded_total', help: 'Events acknowledged by the cloud', registers: r }),
    devicesOnline: new Gauge({ name: 'edge_devices_online', help: 'Devices currently online', registers: r }),
    devicesRegistered: new Gauge({ name: 'edge_devices_registered', help: 'Devices registered from discovery', registers: r }),
    cloudConnected: new Gauge({ name: 'edge_cloud_link_up', help: '1 when the cloud link is connected', registers: r }),
    mqttRefused: new Counter({ name: 'edge_mqtt_refused_total', help: 'Broker logins, publishes and subscriptions refused by --mqtt-users', labelNames: ['why'], registers: r }),
    malformed: new Counter({ name: 'edge_malformed_messages_total', help: 'Bad input by kind', labelNames: ['kind'], registers: r }),
    commands: new Counter({ name: 'edge_commands_total', help: 'Commands by source and final status', labelNames: ['source', 'status'], registers: r }),
    cacheStale: new Gauge({ name: 'edge_permission_cache_stale', help: '1 when the permission cache is older than its TTL', registers: r }),
    mode: new Gauge({ name: 'edge_site_mode', help: '1 for the current site mode', labelNames: ['mode'], registers: r }),
    bookingGrants: new Counter({ name: 'edge_booking_grants_total', help: 'Doors opened by a booking for members without a grant on the zone', registers: r }),
    bookingFacts: new Counter({ name: 'edge_booking_facts_total', help: 'Booking check-ins and releases the edge observed and recorded', labelNames: ['kind', 'source'], registers: r }),
    bookingMessages: new Counter({ name: 'edge_booking_messages_total', help: 'Bookings messages from the cloud, applied or refused', labelNames: ['result'], registers: r }),
    bookingsHeld: new Gauge({ name: 'edge_bookings_held', help: 'Bookings the edge holds (running or upcoming)', registers: r }),
    uncaughtErrors: uncaughtErrorsTotal,
  };
}

export type EdgeMetrics = ReturnType<typeof createMetrics>;
