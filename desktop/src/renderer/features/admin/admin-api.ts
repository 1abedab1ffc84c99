import { z } from 'zod';
import type { ApiClient } from '../../data/api-client';
import { siteSummarySchema } from '../../data/api-types';

/** Tenant-admin calls of the cloud (CONTRACT.md §5): sites, zones, edge tokens, members. */

export const zoneSchema = z.object({ id: z.string(), name: z.string() });
export type ZoneRow = z.infer<typeof zoneSchema>;

export const edgeTokenSchema = z.object({ token: z.string(), jti: z.string(), expiresAt: z.number() });
export type IssuedEdgeToken = z.infer<typeof edgeTokenSchema>;

const memberSchema = z.object({
  id: z.string(),
  name: z.string().optional(),
  active: z.boolean(),
  credentials: z.array(z.object({ type: z.string(), value: z.string() })),
  grants: z.array(z.object({ zoneIds: z.array(z.string()), siteIds: z.array(z.string()).optional() })),
  afterHours: z.boolean().optional(),
});
export type MemberRow = z.infer<typeof memberSchema>;

export interface NewSiteBody {
  id: string;
  name: string;
  lat: number;
  lng: number;
  timezone: string;
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

const path = (...parts: string[]): string => parts.map(encodeURIComponent).join('/');

export function adminApi(api: ApiClient) {
  return {
    createSite: (body: NewSiteBody) => api.call('/api/v1/sites', { method: 'POST', body, schema: siteSummarySchema }),
    zones: (siteId: string) => api.call(`/api/v1/sites/${path(siteId)}/zones`, { schema: z.array(zoneSchema) }),
    putZone: (siteId: string, zoneId: string, name: string) =>
      api.call(`/api/v1/sites/${path(siteId, 'zones', zoneId)}`, { method: 'PUT', body: { name }, schema: zoneSchema }),
    issueEdgeToken: (siteId: string) =>
      api.call(`/api/v1/sites/${path(siteId, 'edge-tokens')}`, { method: 'POST', schema: edgeTokenSchema }),
    members: () => api.call('/api/v1/members', { schema: z.object({ members: z.array(memberSchema) }) }),
    putMember: (m: NewMemberBody) =>
      api.call(`/api/v1/members/${path(m.id)}`, {
        method: 'PUT',
        body: {
          name: m.name,
          active: true,
          credentials: [{ type: 'card', value: m.card }],
          grants: [{ zoneIds: m.zoneIds, siteIds: [m.siteId] }],
          secureMode: false,
          offlineWhitelist: false,
          afterHours: m.afterHours,
        },
        schema: memberSchema,
      }),
  };
}
export type AdminApi = ReturnType<typeof adminApi>;
