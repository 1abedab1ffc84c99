import type { SiteEvent } from '@cr/shared';
import type { EventsStore, StoredBatch } from '../store/events-store';
import type { CloudMetrics } from '../metrics';
import type { EventPrivacy } from './event-privacy';

/** Stores uploaded event batches exactly once per (tenant, site, event id), personal data minimised. */
export class EventIngest {
  constructor(
    private readonly events: EventsStore,
    private readonly privacy: EventPrivacy,
    private readonly metrics: CloudMetrics,
  ) {}

  store(tenantId: string, siteId: string, batch: SiteEvent[]): StoredBatch {
    const r = this.events.insertBatch(
      tenantId,
      siteId,
      batch.map((e) => this.privacy.minimise(e)),
    );
    this.metrics.eventsStored.inc(r.stored);
    this.metrics.eventsDuplicate.inc(r.duplicates);
    return r;
  }
}
