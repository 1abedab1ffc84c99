import type { InferResponseType } from 'hono/client';
import type { ApiClient } from '../../data/api-client';
import type { CloudRpc } from '../../data/cloud-rpc';
import { jsonBody } from '../../data/http';

/** The fleet list and one device's health history, on the same typed client as the other cloud calls. */

type V1 = CloudRpc['api']['v1'];
export type FleetRow = InferResponseType<V1['devices']['$get'], 200>[number];
export type DeviceHealthView = InferResponseType<V1['sites'][':siteId']['devices'][':deviceId']['health']['$get'], 200>;

const p = encodeURIComponent;

export function fleetApi({ rpc }: Pick<ApiClient, 'rpc'>) {
  const v1 = rpc.api.v1;
  return {
    devices: async () => jsonBody(await v1.devices.$get({ query: {} })),
    health: async (siteId: string, deviceId: string) =>
      jsonBody(await v1.sites[':siteId'].devices[':deviceId'].health.$get({ param: { siteId: p(siteId), deviceId: p(deviceId) } })),
  };
}
export type FleetApi = ReturnType<typeof fleetApi>;
