import type { InferResponseType } from 'hono/client';
import type { AlertType } from '@cr/shared';
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
  escalationOnly?: boolean;
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
  types?: AlertType[];
  startsAt?: number;
  endsAt: number;
  reason: string;
}

const p = encodeURIComponent;

export function notificationsApi({ rpc }: Pick<ApiClient, 'rpc'>) {
  const v1 = rpc.api.v1;
  const n = v1.notifications;
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
    silences: async (): Promise<SilenceRow[]> => jsonBody(await n.silences.$get()),
    createSilence: async (json: SilenceBody) => jsonBody(await n.silences.$post({ json })),
    endSilence: async (silenceId: string) =>
      void (await jsonBody(await n.silences[':silenceId'].$delete({ param: { silenceId: p(silenceId) } }))),
  };
}
export type NotificationsApi = ReturnType<typeof notificationsApi>;
