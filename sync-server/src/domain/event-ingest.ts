import { SiteDoc, siteDocName, type SiteEvent } from '@cr/shared';
import type { StoredBatch } from '../store/events-store';
import type { IngestWrite } from './ingest-writers';
import type { DocRegistry } from '../sync/doc-registry';
import type { CloudMetrics } from '../metrics';
import type { EventPrivacy } from './event-privacy';
import type { SiteDevices } from './site-devices';
import { AUDITED_EDGE_EVENTS, edgeEventAudit, type DeviceKindOf } from './audit/edge-event-audit';
import { BookingFacts } from './booking/booking-facts';
import type { CloudLog } from '../log';

export interface EventIngestDeps {
  /** where a batch and its audit records are made durable */
  write: IngestWrite;
  docs: DocRegistry;
  privacy: EventPrivacy;
  metrics: CloudMetrics;
  /** the site's devices as its edge reported them, which settle who a `by` is */
  devices?: Pick<SiteDevices, 'reported'>;
  /**
   * The event stream shared by instances (CONTRACT §10): a batch is acknowledged once the stream
   * holds every event, and the stream's consumer stores it through `persist`.
   */
  stream?: { publish(tenantId: string, siteId: string, events: SiteEvent[]): Promise<StoredBatch> };
  /** booking facts (check-ins, releases, overruns) the edge observed, recorded once and settled */
  bookingFacts?: Pick<BookingFacts, 'observe'>;
  log?: CloudLog;
}

/**
 * Stores uploaded event batches exactly once per (tenant, site, event id), personal data minimised.
 * Events that are actions on the site (commands executed at the edge, mode changes, fire alarms)
 * also become audit records, in the same transaction, so the audit log shows what happened at the
 * edge even while it was cut off from the cloud.
 */
export class EventIngest {
  constructor(private readonly d: EventIngestDeps) {}

  /**
   * Queues a batch for the next group commit (shared with every other edge link's batches) and
   * resolves once it is durably stored: only then may the edge be told it can drop the events.
   */
  async store(tenantId: string, siteId: string, batch: SiteEvent[]): Promise<StoredBatch> {
    const minimised = batch.map((e) => this.d.privacy.minimise(e));
    if (!this.d.stream) return this.persist(tenantId, siteId, minimised);
    const r = await this.d.stream.publish(tenantId, siteId, minimised);
    this.d.metrics.eventsStreamed.inc(r.stored);
    return r;
  }

  /** Stores events already minimised (a batch from the event stream) with the audit records they imply. */
  async persist(tenantId: string, siteId: string, events: SiteEvent[]): Promise<StoredBatch> {
    const actions = events.filter((e) => AUDITED_EDGE_EVENTS.has(e.type));
    const kindOf = actions.length > 0 ? await this.deviceKinds(tenantId, siteId) : () => undefined;
    const audits = actions.flatMap((e) => edgeEventAudit(tenantId, siteId, e, kindOf) ?? []);
    const r = await this.d.write(tenantId, siteId, events, audits, Date.now());
    this.d.metrics.eventsStored.inc(r.stored);
    this.d.metrics.eventsDuplicate.inc(r.duplicates);
    // After the batch is durable, on both paths; a re-sent batch finds its facts recorded already.
    if (this.d.bookingFacts && BookingFacts.concerns(events))
      await this.d.bookingFacts.observe(tenantId, siteId, events).catch((err: Error) => {
        // Never stops ingest: the facts are in the stored events, and the next upload or sweep settles them.
        this.d.metrics.bookingFactsRejected.inc();
        this.d.log?.error({ tenantId, siteId }, `bookings: facts of ${siteId} not settled: ${err.message}`);
      });
    return r;
  }

  /** Kinds by device id: the edge's report; for an edge that never reported, the site document's copy. */
  private async deviceKinds(tenantId: string, siteId: string): Promise<DeviceKindOf> {
    const reported = this.d.devices?.reported(tenantId, siteId);
    if (reported) {
      const kinds = new Map(reported.map((dev) => [dev.id, dev.kind as string]));
      return (id) => kinds.get(id);
    }
    const kinds = await this.d.docs.read(
      siteDocName(tenantId, siteId),
      (doc) => new Map(new SiteDoc(doc).devices().map((dev) => [dev.id, dev.kind as string])),
    );
    return (id) => kinds.get(id);
  }
}
