import type { AuditStore } from './audit-store';
import type { CommandsStore } from './commands-store';
import type { DeviceReportsStore } from './device-reports-store';
import type { DocUpdatesStore } from './doc-updates-store';
import type { EventsStore } from './events-store';
import type { MembersStore } from './members-store';
import type { ReportsStore } from './reports-store';
import type { SiteReportsStore } from './site-reports-store';
import type { TenantsStore } from './tenants-store';
import type { TokensStore } from './tokens-store';
import type { UsersStore } from './users-store';
import type { ZonesStore } from './zones-store';

/** A value answered at once (SQLite, in-process) or later (PostgreSQL, over the network). */
export type Awaitable<T> = T | Promise<T>;

/**
 * The interface of a store: the named methods of its SQLite class, each answered now or later.
 * Callers always `await`; the PostgreSQL class implements the same methods with promises. One
 * contract suite (store/contract/) holds both to the same behaviour.
 */
export type StorePort<T, K extends keyof T> = {
  [P in K]: T[P] extends (...args: infer A) => infer R ? (...args: A) => Awaitable<R> : never;
};

export type TenantsPort = StorePort<
  TenantsStore,
  'addTenant' | 'hasTenant' | 'tenantIds' | 'upsertSite' | 'site' | 'sites' | 'allSites'
>;
export type ZonesPort = StorePort<ZonesStore, 'put' | 'get' | 'ofSite'>;
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
export type AuditPort = StorePort<AuditStore, 'append' | 'appendOnce' | 'query' | 'redactBefore' | 'verifyAuditChain'>;
export type ReportsPort = StorePort<
  ReportsStore,
  'insert' | 'byId' | 'ofTenant' | 'setProgress' | 'finish' | 'content' | 'deleteBefore'
>;
export type SiteReportsPort = StorePort<SiteReportsStore, 'all' | 'save'>;
export type DeviceReportsPort = StorePort<DeviceReportsStore, 'all' | 'save'>;
export type DocUpdatesPort = StorePort<DocUpdatesStore, 'append' | 'load' | 'stats' | 'exists' | 'compact'>;
