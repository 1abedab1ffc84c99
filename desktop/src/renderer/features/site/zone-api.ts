import type { ApiClient } from '../../data/api-client';
import { jsonBody } from '../../data/http';

/** What becomes of the devices of a zone being removed (CONTRACT.md §6). */
export type ZoneRemovalChoice = { devices: 'move'; to: string } | { devices: 'unassign' };

const p = encodeURIComponent;

/**
 * Zones change through the cloud, which records them and tells the site's edge: a zone drawn only
 * into the shared document places no door. Outlines are still reshaped in the document.
 */
export function zoneApi({ rpc }: Pick<ApiClient, 'rpc'>) {
  const zones = rpc.api.v1.sites[':siteId'].zones[':zoneId'];
  return {
    create: async (siteId: string, zoneId: string, name: string) =>
      jsonBody(await zones.$put({ param: { siteId: p(siteId), zoneId: p(zoneId) }, json: { name } })),
    remove: async (siteId: string, zoneId: string, choice: ZoneRemovalChoice | undefined) =>
      jsonBody(await zones.$delete({ param: { siteId: p(siteId), zoneId: p(zoneId) }, query: choice?.devices === 'move' ? { devices: 'move', to: choice.to } : choice ? { devices: 'unassign' } : {} })),
  };
}
export type ZoneApi = ReturnType<typeof zoneApi>;
