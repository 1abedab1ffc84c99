import type { InferResponseType } from 'hono/client';
import type { ApiClient } from '../../data/api-client';
import type { CloudRpc } from '../../data/cloud-rpc';
import { jsonBody } from '../../data/http';

/**
 * Alert notifications at the cloud: channels and routing rules (tenant-admin), the delivery log of
 * an alert, dead letters, and silences. Built on the same typed client as the admin calls, so the
 * session's token, its refresh on 401 and the reachability banner apply alike.
 */

type V1 = CloudRpc['api']['v1'];
export type ChannelRow = InferResponseType<V1['notifications']['channels']['$get'], 200>[number];
export type RuleRow = InferResponseType<V1['notifications']['rules']['$get'], 200>[number];
export type DeliveryRow = InferResponseType<V1['alerts'][':alertId']['deliveries']['$get'], 200>[number];

export type ChannelBody =
  | { kind: 'webhook'; url: string; secret: string }
  | { kind: 'email'; to: string[] }
  | { kind: 'sms'; to: string[]; provider: 'alimtalk' | 'sms' };

export const CATEGORIES = ['security', 'safety', 'facility', 'system'] as const;
export type Category = (typeof CATEGORIES)[number];
export const RULE_SEVERITIES = ['minor', 'major', 'critical'] as const;
export type RuleSeverity = (typeof RULE_SEVERITIES)[number];

export interface RuleBody {
  channelId: string;
  siteIds?: string[];
  categories?: Category[];
  minSeverity?: RuleSeverity;
  escalateAfterMin?: number;
  notifyResolved?: boolean;
}

/** A silence: notifications (not the console) stay quiet for alerts it covers that are raised while it is active. */
export interface SilenceRow {
  id: string;
  siteId: string;
  deviceId?: string;
  types?: string[];
  startsAt: number;
  endsAt: number;
  reason: string;
  author: { id: string; name: string };
  createdAt: number;
  endedAt?: number;
}

export interface SilenceBody {
  siteId: string;
  deviceId?: string;
  types?: string[];
  startsAt?: number;
  endsAt: number;
  reason: string;
}

interface Answer {
  ok: boolean;
  status: number;
  statusText: string;
  url: string;
  json(): Promise<unknown>;
}

/**
 * `/api/v1/notifications/silences`, which the cloud's route types do not carry yet: the same typed
 * client's paths, with the shapes of the API's description.
 */
interface SilenceRoutes {
  $get(): Promise<Answer>;
  $post(args: { json: SilenceBody }): Promise<Answer>;
  ':id': { $delete(args: { param: { id: string } }): Promise<Answer> };
}

const p = encodeURIComponent;

export function notificationsApi({ rpc }: Pick<ApiClient, 'rpc'>) {
  const v1 = rpc.api.v1;
  const n = v1.notifications;
  const silences = (n as unknown as { silences: SilenceRoutes }).silences;
  return {
    channels: async () => jsonBody(await n.channels.$get()),
    createChannel: async (json: ChannelBody) => jsonBody(await n.channels.$post({ json })),
    removeChannel: async (channelId: string) =>
      void (await jsonBody(await n.channels[':channelId'].$delete({ param: { channelId: p(channelId) } }))),
    rules: async () => jsonBody(await n.rules.$get()),
    createRule: async (json: RuleBody) => jsonBody(await n.rules.$post({ json })),
    removeRule: async (ruleId: string) =>
      void (await jsonBody(await n.rules[':ruleId'].$delete({ param: { ruleId: p(ruleId) } }))),
    deliveries: async (alertId: string) =>
      jsonBody(await v1.alerts[':alertId'].deliveries.$get({ param: { alertId: p(alertId) } })),
    deadLetters: async () => jsonBody(await n['dead-letters'].$get()),
    retry: async (id: string) => jsonBody(await n['dead-letters'][':id'].retry.$post({ param: { id: p(id) } })),
    silences: async () => (await jsonBody(await silences.$get())) as SilenceRow[],
    createSilence: async (json: SilenceBody) => (await jsonBody(await silences.$post({ json }))) as { id: string },
    endSilence: async (id: string) => void (await jsonBody(await silences[':id'].$delete({ param: { id: p(id) } }))),
  };
}
export type NotificationsApi = ReturnType<typeof notificationsApi>;
