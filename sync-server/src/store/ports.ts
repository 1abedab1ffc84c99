import type { AuditStore } from './audit-store';
import type { CommandsStore } from './commands-store';
import type { DeviceAvailabilityStore } from './device-availability-store';
import type { TelemetryMinutesStore } from './telemetry-minutes-store';
import type { DeviceLoginsStore } from './device-logins-store';
import type { DeviceReportsStore } from './device-reports-store';
import type { DocUpdatesStore } from './doc-updates-store';
import type { EventsStore } from './events-store';
import type { FirmwareRolloutsStore } from './firmware-rollouts-store';
import type { MembersStore } from './members-store';
import type { NotificationOutboxStore } from './notification-outbox-store';
import type { NotificationSetupStore } from './notification-setup-store';
import type { SilencesStore } from './silences-store';
import type { ReportsStore } from './reports-store';
import type { SiteReportsStore } from './site-reports-store';
import type { TenantsStore } from './tenants-store';
import type { TokensStore } from './tokens-store';
import type { UsersStore } from './users-store';
import type { ZonesStore } from './zones-store';
import type { BookingsStore } from './bookings-store';
import type { BookingResourcesStore } from './booking-resources-store';
import type { BookingSeriesStore } from './booking-series-store';
import type { BookingUsageStore } from './booking-usage-store';
import type { PoliciesStore } from './policies-store';
import type { PolicyRolloutsStore } from './policy-rollouts-store';

/**
 * The interface of a store: the named methods of its SQLite class, each answered with a promise.
 * The PostgreSQL class implements them; the SQLite class is adapted by `sqlitePort`. Promises
 * everywhere let the compiler find a call whose answer is not awaited. One contract suite
 * (store/contract/) holds both backends to the same behaviour.
 */
export type StorePort<T, K extends keyof T> = {
  [P in K]: T[P] extends (...args: infer A) => infer R ? (...args: A) => Promise<Awaited<R>> : never;
};

/** The names of an object's methods. */
export type MethodOf<T> = { [K in keyof T]: T[K] extends (...args: never[]) => unknown ? K : never }[keyof T];

/** A synchronous SQLite store seen through its port: every answer (or error) as a promise. */
export function sqlitePort<T extends object>(store: T): StorePort<T, MethodOf<T>> {
  return new Proxy(store, {
    get(target, prop, receiver) {
      const v: unknown = Reflect.get(target, prop, receiver);
      if (typeof v !== 'function') return v;
      return (...args: unknown[]) => {
        try {
          return Promise.resolve((v as (...a: unknown[]) => unknown).apply(target, args));
        } catch (err) {
          return Promise.reject(err);
        }
      };
    },
  }) as unknown as StorePort<T, MethodOf<T>>;
}

export type TenantsPort = StorePort<
  TenantsStore,
  'addTenant' | 'hasTenant' | 'tenantIds' | 'upsertSite' | 'site' | 'sites' | 'allSites'
>;
export type ZonesPort = StorePort<ZonesStore, 'put' | 'get' | 'ofSite' | 'remove'>;
export type DeviceLoginsPort = StorePort<DeviceLoginsStore, 'issue' | 'revoke' | 'ofSite'>;
export type UsersPort = StorePort<UsersStore, 'insert' | 'update' | 'setPassword' | 'byEmail' | 'byId' | 'ofTenant'>;
export type TokensPort = StorePort<
  TokensStore,
  | 'addRefresh'
  | 'refresh'
  | 'markUsed'
  | 'revokeFamily'
  | 'revokeUser'
  | 'pruneRefreshBefore'
  | 'addEdgeToken'
  | 'edgeToken'
  | 'edgeTokensOfSite'
  | 'revokeEdgeToken'
  | 'revokeUserTokens'
  | 'revokeTokenId'
  | 'revocations'
  | 'userRevokedBefore'
  | 'tokenRevoked'
>;
export type MembersPort = StorePort<
  MembersStore,
  'version' | 'upsert' | 'remove' | 'member' | 'members' | 'credentialHolder' | 'changesSince'
>;
export type EventsPort = StorePort<
  EventsStore,
  'insertBatch' | 'page' | 'countByType' | 'deviceTransitions' | 'types' | 'deleteBefore'
>;
export type CommandsPort = StorePort<CommandsStore, 'insert' | 'byId' | 'transition' | 'open' | 'countByStatus'>;
export type AuditPort = StorePort<AuditStore, 'append' | 'appendOnce' | 'digestOf' | 'query' | 'redactBefore' | 'verifyAuditChain'>;
export type ReportsPort = StorePort<
  ReportsStore,
  'insert' | 'byId' | 'ofTenant' | 'setProgress' | 'finish' | 'content' | 'deleteBefore'
>;
export type SiteReportsPort = StorePort<SiteReportsStore, 'all' | 'save'>;
export type DeviceReportsPort = StorePort<DeviceReportsStore, 'all' | 'save'>;
export type DeviceAvailabilityPort = StorePort<DeviceAvailabilityStore, 'append' | 'latest' | 'since' | 'deleteBefore'>;
export type TelemetryMinutesPort = StorePort<TelemetryMinutesStore, 'add' | 'series' | 'deleteBefore'>;
export type DocUpdatesPort = StorePort<DocUpdatesStore, 'append' | 'load' | 'since' | 'stats' | 'exists' | 'compact'>;
export type NotificationSetupPort = StorePort<
  NotificationSetupStore,
  'addChannel' | 'channel' | 'channels' | 'removeChannel' | 'addRule' | 'rules' | 'removeRule'
>;
export type SilencesPort = StorePort<SilencesStore, 'add' | 'one' | 'since' | 'end'>;
export type NotificationOutboxPort = StorePort<
  NotificationOutboxStore,
  | 'enqueue'
  | 'enqueueAfter'
  | 'claim'
  | 'releaseClaims'
  | 'defer'
  | 'postpone'
  | 'recordAttempt'
  | 'cancel'
  | 'byId'
  | 'ofAlert'
  | 'attemptsOfAlert'
  | 'deadLetters'
  | 'retryDead'
>;
export type FirmwareRolloutsPort = StorePort<FirmwareRolloutsStore, 'insert' | 'save' | 'byId' | 'running'>;
export type BookingResourcesPort = StorePort<BookingResourcesStore, 'put' | 'get' | 'ofSite' | 'remove'>;
export type BookingsPort = StorePort<
  BookingsStore,
  | 'insert'
  | 'move'
  | 'extend'
  | 'byId'
  | 'list'
  | 'window'
  | 'startingBetween'
  | 'due'
  | 'ofSeries'
  | 'cancel'
  | 'addFacts'
  | 'facts'
  | 'settle'
>;
export type BookingSeriesPort = StorePort<BookingSeriesStore, 'insert' | 'get' | 'update'>;
export type BookingUsagePort = StorePort<BookingUsageStore, 'record' | 'query'>;
export type PoliciesPort = StorePort<
  PoliciesStore,
  'create' | 'addVersion' | 'policy' | 'policies' | 'versions' | 'version' | 'assign' | 'assignment' | 'assignmentsOf' | 'markDelivered' | 'report'
>;
export type PolicyRolloutsPort = StorePort<PolicyRolloutsStore, 'insert' | 'save' | 'byId' | 'ofPolicy' | 'active' | 'activeOfTenant'>;
