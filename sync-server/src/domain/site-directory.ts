import { SiteDoc, TenantDoc, siteDocName, tenantDocName, type DemoSite } from '@cr/shared';
import type { DocRegistry } from '../sync/doc-registry';
import type { SiteRecord } from '../store/tenants-store';
import type { TenantsPort } from '../store/ports';

/** Which of `siteIds` are not sites of the tenant (a grant or scope must name only its own sites). */
export async function unknownSites(tenants: Pick<TenantsPort, 'site'>, tenantId: string, siteIds: readonly string[]): Promise<string[]> {
  const unknown: string[] = [];
  for (const s of new Set(siteIds)) if (!(await tenants.site(tenantId, s))) unknown.push(s);
  return unknown;
}

/**
 * Creates a site: its directory row, its entry in the tenant document and, only when the site
 * document has never been stored, its initial content. Seeding happens once on the server; it is
 * never rebuilt from plain data later (that would fork histories and duplicate content).
 */
export async function createSite(
  tenants: TenantsPort,
  docs: DocRegistry,
  site: SiteRecord,
  plan?: Pick<DemoSite, 'zones' | 'devices'>,
): Promise<void> {
  await tenants.upsertSite(site);
  await docs.mutate(tenantDocName(site.tenantId), (doc) => {
    new TenantDoc(doc).setSite({
      id: site.id,
      name: site.name,
      lat: site.lat,
      lng: site.lng,
      timezone: site.timezone,
      ...(site.address ? { address: site.address } : {}),
    });
  });
  const name = siteDocName(site.tenantId, site.id);
  if (await docs.exists(name)) return;
  await docs.mutate(name, (doc) => {
    const sd = new SiteDoc(doc);
    sd.setMeta({
      id: site.id,
      tenantId: site.tenantId,
      name: site.name,
      lat: site.lat,
      lng: site.lng,
      timezone: site.timezone,
      mode: 'normal',
      fireActive: false,
    });
    for (const zone of plan?.zones ?? []) sd.setZone(zone);
    for (const d of plan?.devices ?? []) {
      sd.upsertDevice({
        id: d.id,
        kind: d.kind,
        name: d.name,
        zoneId: d.zoneId,
        ...(d.doorId ? { doorId: d.doorId } : {}),
      });
      sd.setDevicePosition(d.id, d.position, 'seed', 0);
    }
  });
}
