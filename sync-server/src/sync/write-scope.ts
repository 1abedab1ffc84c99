import { authorize, docAccess, parseDocName, type DocAccess, type Principal } from '@cr/shared';

/**
 * How a principal may hold a document on the sync server: docAccess decides whether they may open
 * it at all; writing is narrowed to what `authorize` grants, so the two can never disagree.
 * Yjs updates cannot be applied in part, so the write scope is per connection, not per change:
 * - a site document carries zones (floor plans), pins and alert actions in one update stream, so
 *   only a principal allowed both `map.edit` and `alert.act` there writes it (threat: a role without
 *   `map.edit` redrawing zones by editing the shared document instead of using the console's rules);
 * - tenant and vendor documents are derived by the server (site directory, the edge-reported status
 *   the overview map shows, vendors' facility faults): nobody but the server writes them (threat:
 *   an operator's console painting a locked-down site as normal on everyone's map).
 */
export function syncAccess(principal: Principal, docName: string): DocAccess {
  const access = docAccess(principal, docName);
  if (access !== 'write') return access;
  const doc = parseDocName(docName);
  if (doc?.kind !== 'site') return 'read';
  if (principal.kind === 'edge') return 'write';
  const may = (type: 'map.edit' | 'alert.act') => authorize(principal, doc.tenantId, { type, siteId: doc.siteId }).allowed;
  return may('map.edit') && may('alert.act') ? 'write' : 'read';
}

/**
 * The audit log's actor for a principal: the account id (names change and two people may share
 * one; the name goes beside it), or `edge:<site>` for a gateway.
 */
export function actorOf(principal: Principal): { actor: string; actorName?: string } {
  if (principal.kind === 'edge') return { actor: `edge:${principal.siteId}` };
  return { actor: principal.userId, ...(principal.name ? { actorName: principal.name } : {}) };
}

/** The authenticated principal behind a document change: its origin is the peer that sent it. */
export function principalOf(origin: unknown): Principal | undefined {
  if (typeof origin !== 'object' || origin === null || !('principal' in origin)) return undefined;
  return (origin as { principal?: Principal }).principal;
}
