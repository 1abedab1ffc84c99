import { onboardingTestMember, type ReportedEvent } from '@cr/shared';
import type { InferResponseType } from 'hono/client';
import type { ApiClient } from '../../data/api-client';
import type { CloudRpc } from '../../data/cloud-rpc';
import { jsonBody } from '../../data/http';

/** The cloud calls of a site's onboarding (CONTRACT.md §5, §6), typed from the cloud's routes. */

type V1 = CloudRpc['api']['v1'];
export type DiscoveredDevice = InferResponseType<V1['sites'][':siteId']['devices']['$get'], 200>[number];
export type SiteLink = Pick<InferResponseType<V1['sites'][':siteId']['$get'], 200>, 'online' | 'lastSeenAt' | 'permissionsSyncedAt'>;

const p = encodeURIComponent;

export function onboardingApi(api: Pick<ApiClient, 'rpc' | 'site' | 'events'>) {
  const site = api.rpc.api.v1.sites[':siteId'];
  return {
    /** What the site's edge reports of its devices, pending ones included. */
    devices: async (siteId: string): Promise<DiscoveredDevice[]> => jsonBody(await site.devices.$get({ param: { siteId: p(siteId) } })),
    /** Admits a pending device in a zone; answered once the edge confirmed it. */
    approve: async (siteId: string, deviceId: string, zoneId: string): Promise<DiscoveredDevice> =>
      jsonBody(await site.devices[':deviceId'].approve.$post({ param: { siteId: p(siteId), deviceId: p(deviceId) }, json: { zoneId } })),
    commissioning: async (siteId: string, minutes: number): Promise<{ until: number }> =>
      jsonBody(await site.commissioning.$post({ param: { siteId: p(siteId) }, json: { minutes } })),
    link: async (siteId: string): Promise<SiteLink> => {
      const s = await api.site(siteId);
      return { online: s.online, lastSeenAt: s.lastSeenAt, permissionsSyncedAt: s.permissionsSyncedAt };
    },
    events: async (siteId: string, type: string, from: number): Promise<ReportedEvent[]> =>
      (await api.events({ siteId, type, from, limit: 100 })).items as ReportedEvent[],
    alerts: async (siteId: string) => jsonBody(await api.rpc.api.v1.alerts.$get({ query: { siteId } })),
    /** Creates (or, with `active: false`, retires) the test member holding the test card. */
    putTestMember: async (memberId: string, a: { card: string; zoneIds: string[]; siteId: string; active?: boolean }) =>
      jsonBody(await api.rpc.api.v1.members[':memberId'].$put({ param: { memberId: p(memberId) }, json: onboardingTestMember(a) })),
  };
}
export type OnboardingApi = ReturnType<typeof onboardingApi>;
