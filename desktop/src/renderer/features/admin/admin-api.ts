import type { InferResponseType } from 'hono/client';
import type { ApiClient } from '../../data/api-client';
import type { CloudRpc } from '../../data/cloud-rpc';
import { jsonBody } from '../../data/http';

/** Tenant-admin calls of the cloud (CONTRACT.md §5): sites, zones, edge tokens, members; typed from its routes. */

type V1 = CloudRpc['api']['v1'];
export type ZoneRow = InferResponseType<V1['sites'][':siteId']['zones']['$get']>[number];
/** What the console shows of an issued token. */
export type IssuedEdgeToken = Pick<InferResponseType<V1['sites'][':siteId']['edge-tokens']['$post']>, 'token' | 'jti' | 'expiresAt'>;
type Member = InferResponseType<V1['members'][':memberId']['$get']>;
/** What the console shows of a member. */
export type MemberRow = Pick<Member, 'id' | 'name' | 'active' | 'credentials' | 'grants' | 'afterHours'>;

export interface NewSiteBody {
  id: string;
  name: string;
  lat: number;
  lng: number;
  timezone: string;
  address?: string;
}

/** A member with one card and one grant: the zones of one site, at all times. */
export interface NewMemberBody {
  id: string;
  name: string;
  card: string;
  siteId: string;
  zoneIds: string[];
  afterHours: boolean;
}

const p = encodeURIComponent;

export function adminApi({ rpc }: Pick<ApiClient, 'rpc'>) {
  const v1 = rpc.api.v1;
  return {
    createSite: async (json: NewSiteBody) => jsonBody(await v1.sites.$post({ json })),
    zones: async (siteId: string) => jsonBody(await v1.sites[':siteId'].zones.$get({ param: { siteId: p(siteId) } })),
    putZone: async (siteId: string, zoneId: string, name: string) =>
      jsonBody(await v1.sites[':siteId'].zones[':zoneId'].$put({ param: { siteId: p(siteId), zoneId: p(zoneId) }, json: { name } })),
    issueEdgeToken: async (siteId: string): Promise<IssuedEdgeToken> =>
      jsonBody(await v1.sites[':siteId']['edge-tokens'].$post({ param: { siteId: p(siteId) } })),
    members: async (): Promise<{ members: MemberRow[] }> => jsonBody(await v1.members.$get()),
    putMember: async (m: NewMemberBody): Promise<MemberRow> =>
      jsonBody(
        await v1.members[':memberId'].$put({
          param: { memberId: p(m.id) },
          json: {
            name: m.name,
            active: true,
            credentials: [{ type: 'card', value: m.card }],
            grants: [{ zoneIds: m.zoneIds, siteIds: [m.siteId] }],
            secureMode: false,
            offlineWhitelist: false,
            afterHours: m.afterHours,
          },
        }),
      ),
  };
}
export type AdminApi = ReturnType<typeof adminApi>;
