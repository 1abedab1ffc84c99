import { SiteDoc, TenantDoc, siteDocName, tenantDocName, type UserPrincipal } from '@cr/shared';
import type { SiteRecord } from '../store/tenants-store';
import type { DocRegistry } from '../sync/doc-registry';
import type { SiteStatusService } from './site-status';
import type { ZoneRecord } from '../store/zones-store';
import { createSite } from './site-directory';
import { outlineForNewZone } from './zone-layout';
import { auditAdminChange } from './audit/admin-audit';
import { ApiError, badRequest, notFound } from './errors';
import type { AuditPort, TenantsPort, ZonesPort } from '../store/ports';
import type { LinkHub } from '../edge-link/link-hub';
import type { SiteDevices } from './site-devices';

export type NewSite = Omit<SiteRecord, 'tenantId'>;
export type SitePatch = Partial<Omit<SiteRecord, 'tenantId' | 'id'>>;

interface Deps {
  tenants: TenantsPort;
  docs: DocRegistry;
  status: SiteStatusService;
  audit: AuditPort;
  zones: ZonesPort;
  /** the sites' live edges: they place devices by the zones (CONTRACT.md §6) */
  hub: Pick<LinkHub, 'deliver'>;
  /** what each edge reports of its devices (which are in a zone) */
  devices: Pick<SiteDevices, 'reported'>;
}

/** What to do with the devices of a zone being removed. */
export type ZoneRemoval = { devices?: undefined } | { devices: 'unassign' } | { devices: 'move'; to: string };

/** True for an IANA time zone the runtime knows (the one access schedules are evaluated in). */
export function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/**
 * The site directory of a tenant (tenant-admin). Creating a site writes its directory row, its
 * entry in the tenant document and, once, its site document on the server; an edge then syncs
 * into that document. Updates change the same three places and never touch the site's mode.
 */
export class SiteAdmin {
  constructor(private readonly d: Deps) {}

  async create(admin: UserPrincipal, site: NewSite, source: string): Promise<SiteRecord> {
    if (!isTimeZone(site.timezone)) throw badRequest(`timezone: unknown time zone ${site.timezone}`);
    if (await this.d.tenants.site(admin.tenantId, site.id)) throw new ApiError(409, 'conflict', 'a site with this id exists');
    const record: SiteRecord = { ...site, tenantId: admin.tenantId };
    await createSite(this.d.tenants, this.d.docs, record);
    await this.d.status.refresh(admin.tenantId, site.id);
    await this.audited(admin, 'site.create', site.id, source, { name: site.name, timezone: site.timezone });
    return record;
  }

  async update(admin: UserPrincipal, siteId: string, patch: SitePatch, source: string): Promise<SiteRecord> {
    const cur = await this.d.tenants.site(admin.tenantId, siteId);
    if (!cur) throw notFound('site');
    if (patch.timezone !== undefined && !isTimeZone(patch.timezone))
      throw badRequest(`timezone: unknown time zone ${patch.timezone}`);
    const next: SiteRecord = {
      ...cur,
      ...Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)),
    };
    await this.d.tenants.upsertSite(next);
    const entry = { id: next.id, name: next.name, lat: next.lat, lng: next.lng, timezone: next.timezone };
    await this.d.docs.mutate(tenantDocName(next.tenantId), (doc) =>
      new TenantDoc(doc).setSite({ ...entry, ...(next.address ? { address: next.address } : {}) }),
    );
    await this.d.docs.mutate(siteDocName(next.tenantId, next.id), (doc) => {
      const { id: _id, ...meta } = entry;
      new SiteDoc(doc).setMeta(meta);
    });
    await this.d.status.refresh(next.tenantId, next.id);
    await this.audited(admin, 'site.update', siteId, source, { changed: Object.keys(patch) });
    return next;
  }

  /** The zones the server records for a site of the admin's tenant. */
  async zones(tenantId: string, siteId: string): Promise<ZoneRecord[]> {
    if (!await this.d.tenants.site(tenantId, siteId)) throw notFound('site');
    return await this.d.zones.ofSite(tenantId, siteId);
  }

  /** Records zones a seeded site document already draws (demo data), without touching the document. */
  async recordZones(tenantId: string, siteId: string, zones: readonly ZoneRecord[]): Promise<void> {
    for (const z of zones) await this.d.zones.put(tenantId, siteId, { id: z.id, name: z.name });
  }

  /**
   * Creates or renames a zone. The record is the server's; the site document gets the name (and,
   * for a new zone, an outline to reshape on the floor plan) so consoles and the edge show it.
   */
  async putZone(admin: UserPrincipal, siteId: string, zone: ZoneRecord, source: string): Promise<{ zone: ZoneRecord; created: boolean }> {
    if (!await this.d.tenants.site(admin.tenantId, siteId)) throw notFound('site');
    const created = await this.d.zones.put(admin.tenantId, siteId, zone);
    await this.d.docs.mutate(siteDocName(admin.tenantId, siteId), (doc) => {
      const sd = new SiteDoc(doc);
      const zones = sd.zones();
      const polygon = zones.find((z) => z.id === zone.id)?.polygon ?? outlineForNewZone(zones);
      sd.setZone({ id: zone.id, name: zone.name, polygon });
    });
    await this.pushZones(admin.tenantId, siteId);
    await auditAdminChange(this.d.audit, admin, {
      action: created ? 'zone.create' : 'zone.rename',
      target: `zone:${siteId}/${zone.id}`,
      siteId,
      source,
      details: { name: zone.name },
    });
    return { zone, created };
  }

  /**
   * Removes a zone. Devices still in it are not silently dropped: without a choice the answer is
   * 409 naming them; `move` places each in another zone first (through the live edge), `unassign`
   * leaves them without a zone, so doors and readers there wait, pending, for a person to place them.
   */
  async removeZone(admin: UserPrincipal, siteId: string, zoneId: string, choice: ZoneRemoval, source: string, place: (deviceId: string, zoneId: string) => Promise<unknown>): Promise<{ moved: string[]; unassigned: string[] }> {
    if (!await this.d.tenants.site(admin.tenantId, siteId)) throw notFound('site');
    if (!await this.d.zones.get(admin.tenantId, siteId, zoneId)) throw notFound('zone');
    const inZone = (this.d.devices.reported(admin.tenantId, siteId) ?? []).filter((d) => d.zoneId === zoneId).map((d) => d.id);
    if (inZone.length > 0 && choice.devices === undefined) {
      throw new ApiError(409, 'zone-has-devices', `zone ${zoneId} still holds ${inZone.length} device(s): ${inZone.slice(0, 20).join(', ')}; say devices=move&to=ZONE or devices=unassign`);
    }
    if (choice.devices === 'move') {
      if (choice.to === zoneId || !await this.d.zones.get(admin.tenantId, siteId, choice.to)) throw badRequest(`to: the site has no other zone ${choice.to}`);
      for (const id of inZone) await place(id, choice.to);
    }
    await this.d.zones.remove(admin.tenantId, siteId, zoneId);
    await this.d.docs.mutate(siteDocName(admin.tenantId, siteId), (doc) => new SiteDoc(doc).removeZone(zoneId));
    await this.pushZones(admin.tenantId, siteId);
    const moved = choice.devices === 'move' ? inZone : [];
    const unassigned = choice.devices === 'move' ? [] : inZone;
    await auditAdminChange(this.d.audit, admin, { action: 'zone.remove', target: `zone:${siteId}/${zoneId}`, siteId, source, details: { moved, unassigned } });
    return { moved, unassigned };
  }

  /** The zones the site's edge places devices by; undefined while the cloud records none (devices' own configs stand). */
  async zoneFacts(tenantId: string, siteId: string): Promise<ZoneRecord[] | undefined> {
    const zones = await this.d.zones.ofSite(tenantId, siteId);
    return zones.length > 0 ? zones : undefined;
  }

  /** Tells the site's live edge its zones; an edge offline now learns them in its next welcome. */
  private async pushZones(tenantId: string, siteId: string): Promise<void> {
    const zones = await this.d.zones.ofSite(tenantId, siteId);
    await this.d.hub.deliver(tenantId, siteId, { type: 'site.zones', zones: zones.map((z) => ({ id: z.id, name: z.name })) });
  }

  private async audited(admin: UserPrincipal, action: string, siteId: string, source: string, details: Record<string, unknown>): Promise<void> {
    await auditAdminChange(this.d.audit, admin, { action, target: `site:${siteId}`, siteId, source, details });
  }
}
