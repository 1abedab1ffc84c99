import { DEMO_PASSWORD, DEMO_SITES, DEMO_TENANT, DEMO_USERS, demoMembers } from '@cr/shared';
import type { DocRegistry } from '../sync/doc-registry';
import type { AuthService } from './auth-service';
import type { SiteAdmin } from './site-admin';
import { hashPassword } from './passwords';
import { createSite } from './site-directory';
import type { BookingResourcesPort, MembersPort, TenantsPort, UsersPort } from '../store/ports';
import type { ResourceRecord } from '../store/booking-records';

interface DemoDeps {
  tenants: TenantsPort;
  users: UsersPort;
  members: MembersPort;
  docs: DocRegistry;
  auth: AuthService;
  siteAdmin: Pick<SiteAdmin, 'recordZones'>;
  stores: { bookingResources: BookingResourcesPort };
}

/** Bookable resources of every demo site (CONTRACT.md §8: a meeting room in zone `meeting`). */
export const DEMO_RESOURCES: ReadonlyArray<Omit<ResourceRecord, 'tenantId' | 'siteId'>> = [
  { id: 'meeting-room', kind: 'meeting-room', name: 'Meeting room', zoneId: 'meeting', capacity: 8, rules: { maxMs: 4 * 3_600_000, maxAheadDays: 90 } },
  { id: 'phone-booth', kind: 'phone-booth', name: 'Phone booth', zoneId: 'lounge', capacity: 1, rules: { maxMs: 3_600_000, maxAheadDays: 14 } },
  { id: 'recharging-zone', kind: 'recharging-zone', name: 'Recharging zone', zoneId: 'lounge', capacity: 4, rules: { maxMs: 2 * 3_600_000, maxAheadDays: 14 } },
];

/** Seeds the demo sites' resources where a site has none yet (a data directory from before bookings gets them too). */
async function seedDemoResources(d: DemoDeps): Promise<void> {
  for (const s of DEMO_SITES) {
    if ((await d.stores.bookingResources.ofSite(DEMO_TENANT.id, s.id)).length > 0) continue;
    for (const r of DEMO_RESOURCES) await d.stores.bookingResources.put({ ...r, tenantId: DEMO_TENANT.id, siteId: s.id });
  }
}

/** The demo cards `card-0001` … `card-0100` enter also while a site's policy has it closed (CONTRACT.md §5). */
const AFTER_HOURS_CARD = /^card-\d{4}$/;

/** Demo user ids are the e-mail's local part (`hq`, `gangnam.manager`, `vendor`, `admin`). */
export const demoUserId = (email: string): string => email.split('@')[0]!;

/**
 * Seeds CONTRACT.md §1 once: tenant `demo`, its three sites with zones, devices and positions,
 * the four logins and the demo members. A data directory that already holds the tenant is left
 * as it is (seeding twice would fork the site documents' histories).
 */
export async function seedDemo(d: DemoDeps): Promise<void> {
  if (await d.tenants.hasTenant(DEMO_TENANT.id)) return seedDemoResources(d);
  await d.tenants.addTenant(DEMO_TENANT.id, DEMO_TENANT.name);
  for (const s of DEMO_SITES) {
    await createSite(
      d.tenants,
      d.docs,
      {
        tenantId: DEMO_TENANT.id,
        id: s.id,
        name: s.name,
        lat: s.lat,
        lng: s.lng,
        timezone: s.timezone,
        address: s.address,
      },
      s,
    );
    await d.siteAdmin.recordZones(DEMO_TENANT.id, s.id, s.zones);
  }
  for (const u of DEMO_USERS) {
    await d.users.insert({
      id: demoUserId(u.email),
      tenantId: DEMO_TENANT.id,
      email: u.email,
      name: u.name,
      role: u.role,
      siteIds: u.siteIds,
      passwordHash: await hashPassword(DEMO_PASSWORD),
      disabled: false,
    });
  }
  await d.members.upsert(
    DEMO_TENANT.id,
    demoMembers().map((m) => ({ ...m, afterHours: m.credentials.some((c) => AFTER_HOURS_CARD.test(c.value)) })),
  );
  await seedDemoResources(d);
}

/** A fresh edge token for each demo site (printed at start so `npm start` can hand them to edges). */
export async function demoEdgeTokens(auth: AuthService): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const s of DEMO_SITES) out[s.id] = (await auth.edgeToken(DEMO_TENANT.id, s.id)).token;
  return out;
}
