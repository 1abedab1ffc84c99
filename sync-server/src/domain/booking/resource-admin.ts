import { holdsSlot, type UserPrincipal } from '@cr/shared';
import { ApiError, badRequest } from '../errors';
import { auditAdminChange } from '../audit/admin-audit';
import type { ResourceRecord } from '../../store/booking-records';
import type { SiteRecord } from '../../store/tenants-store';
import type { AuditPort, BookingResourcesPort, BookingsPort, ZonesPort } from '../../store/ports';
import type { BookingFeed } from './booking-feed';

/** How far ahead a removal looks for bookings still holding a resource. */
const REMOVAL_LOOKAHEAD_MS = 800 * 86_400_000;

/**
 * A site's bookable resources. The zone a resource opens must be one of the site's recorded
 * zones (threat: a booking opening a zone nobody placed on the site's plan); a change of zone
 * reaches the edge's copy of the resource's upcoming bookings at once.
 */
export class ResourceAdmin {
  constructor(
    private readonly d: { resources: BookingResourcesPort; bookings: BookingsPort; zones: Pick<ZonesPort, 'get'>; audit: AuditPort; feed: BookingFeed },
  ) {}

  list(tenantId: string, siteId: string): Promise<ResourceRecord[]> {
    return this.d.resources.ofSite(tenantId, siteId);
  }

  async put(user: UserPrincipal, site: SiteRecord, r: Omit<ResourceRecord, 'tenantId' | 'siteId'>, source: string): Promise<{ resource: ResourceRecord; created: boolean }> {
    if (!(await this.d.zones.get(site.tenantId, site.id, r.zoneId))) throw badRequest(`zoneId: no zone ${r.zoneId} at site ${site.id}`);
    const { minMs, maxMs } = r.rules;
    if (minMs !== undefined && maxMs !== undefined && minMs > maxMs) throw badRequest('rules.minMs: must not exceed rules.maxMs');
    const resource: ResourceRecord = { ...r, tenantId: site.tenantId, siteId: site.id };
    const created = await this.d.resources.put(resource);
    await auditAdminChange(this.d.audit, user, { action: created ? 'resource.create' : 'resource.update', target: `resource:${site.id}/${r.id}`, siteId: site.id, source, details: { kind: r.kind, zoneId: r.zoneId } });
    if (!created) {
      const now = Date.now();
      await this.d.feed.changed(await this.d.bookings.list({ tenantId: site.tenantId, siteId: site.id, from: now, to: now + 3 * 86_400_000, resourceId: r.id }), now);
    }
    return { resource, created };
  }

  /** Removes a resource no booking holds any more (409 otherwise: cancel or move them first). */
  async remove(user: UserPrincipal, site: SiteRecord, id: string, source: string): Promise<void> {
    const now = Date.now();
    const upcoming = await this.d.bookings.list({ tenantId: site.tenantId, siteId: site.id, from: now, to: now + REMOVAL_LOOKAHEAD_MS, resourceId: id });
    const holding = upcoming.filter((b) => holdsSlot(b.state));
    if (holding.length > 0)
      throw new ApiError(409, 'resource-booked', `${id} still has ${holding.length} booking(s); cancel or move them first`);
    if (!(await this.d.resources.remove(site.tenantId, site.id, id))) throw new ApiError(404, 'not-found', 'resource not found');
    await auditAdminChange(this.d.audit, user, { action: 'resource.remove', target: `resource:${site.id}/${id}`, siteId: site.id, source, details: {} });
  }
}
