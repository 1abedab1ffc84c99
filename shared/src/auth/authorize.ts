import type { Principal, UserPrincipal } from './roles';
import type { SiteMode } from '../protocol/site-mode';
import type { DoorAction } from '../protocol/commands';
import type { AlertCategory } from '../schema/alert-types';
import { parseDocName } from '../schema/doc-names';

/** Everything a principal may ask to do; every route and every sync document checks one of these. */
export type Action =
  | { type: 'site.read'; siteId: string }
  | { type: 'door.command'; siteId: string; action: DoorAction }
  | { type: 'site.mode'; siteId: string; mode: SiteMode }
  /** leaving a fire emergency: its own permission, never implied by `site.mode` */
  | { type: 'fire.reset'; siteId: string }
  | { type: 'alert.read'; siteId: string; category: AlertCategory }
  | { type: 'alert.act'; siteId: string }
  | { type: 'events.read'; siteId: string }
  | { type: 'audit.read'; siteId?: string }
  | { type: 'reports.read'; siteId?: string }
  | { type: 'map.edit'; siteId: string }
  /** creating, renaming and removing a site's zones (the ones doors and readers are placed in) */
  | { type: 'zones.manage'; siteId: string }
  /** admitting a pending door, reader or fire panel (CONTRACT.md §6) */
  | { type: 'device.approve'; siteId: string }
  /** the delivery log and dead letters of alert notifications (of one site, or the caller's sites) */
  | { type: 'notifications.read'; siteId?: string }
  /** notification channels, routing rules, retrying dead letters */
  | { type: 'notifications.manage' }
  /** quieting a site's (or device's) notifications for a while: a silence or maintenance window */
  | { type: 'notifications.silence'; siteId: string }
  /** firmware rollouts: reading one of a site, and starting one (CONTRACT.md §6) */
  | { type: 'firmware.read'; siteId: string }
  | { type: 'firmware.manage' }
  /** a site's bookings and bookable resources: seeing them, and booking, moving, cancelling (CONTRACT.md §8) */
  | { type: 'bookings.read'; siteId: string }
  | { type: 'bookings.manage'; siteId: string }
  /** adding, changing and removing a site's bookable resources and their rules */
  | { type: 'resources.manage'; siteId: string }
  /** the tenant's usage records (what members used, for billing) */
  | { type: 'usage.read' }
  | { type: 'members.manage' }
  | { type: 'users.manage' }
  | { type: 'edges.manage' }
  | { type: 'sites.manage' };

export interface Decision {
  allowed: boolean;
  /** why it was refused, for logs and 403 bodies (never names other tenants' data) */
  reason?: string;
}

const ALLOW: Decision = { allowed: true };
const deny = (reason: string): Decision => ({ allowed: false, reason });

/** True when a user's role reaches every site of the tenant. */
function seesAllSites(user: UserPrincipal): boolean {
  return user.role === 'hq-operator' || user.role === 'tenant-admin';
}

/** True when the user may see `siteId` at all (tenant checked by the caller). */
export function userCoversSite(user: UserPrincipal, siteId: string): boolean {
  return seesAllSites(user) || user.siteIds.includes(siteId);
}

function authorizeUser(user: UserPrincipal, action: Action): Decision {
  const role = user.role;
  const siteId = 'siteId' in action ? action.siteId : undefined;
  // Threat: a site manager or vendor reaching a site they are not assigned to by guessing its id.
  if (siteId !== undefined && !userCoversSite(user, siteId)) return deny('site not in your scope');
  switch (action.type) {
    case 'site.read':
      return ALLOW;
    case 'alert.read':
      // Threat: vendors learning about security incidents (forced doors, fire) at a client's site.
      if (role === 'vendor') return action.category === 'facility' ? ALLOW : deny('vendors see facility faults only');
      return ALLOW;
    case 'device.approve':
      return role === 'tenant-admin' || role === 'site-manager' ? ALLOW : deny(`${role} may not admit devices`);
    case 'fire.reset':
      // Those who answer for the site's people: the control room and the site's own manager.
      return role === 'hq-operator' || role === 'site-manager' ? ALLOW : deny(`${role} may not reset a fire state`);
    case 'door.command':
    case 'site.mode':
    case 'alert.act':
    case 'map.edit':
      return role === 'hq-operator' || role === 'site-manager' ? ALLOW : deny(`${role} may not do ${action.type}`);
    case 'events.read':
    case 'reports.read':
    case 'audit.read':
      return role === 'vendor' ? deny('vendors have no access log, reports or audit') : ALLOW;
    case 'notifications.read':
      // Threat: vendors learning who is told about which incident, and when.
      return role === 'vendor' ? deny('vendors see no notification deliveries') : ALLOW;
    case 'notifications.silence':
      // Those who plan work at a site: its manager, the control room, the tenant's admins.
      return role === 'vendor' ? deny('vendors may not silence notifications') : ALLOW;
    case 'firmware.read':
      // Threat: vendors learning which devices run which (possibly vulnerable) firmware.
      return role === 'vendor' ? deny('vendors see no firmware rollouts') : ALLOW;
    case 'bookings.read':
    case 'bookings.manage':
      // Threat: vendors learning who is in which room when, or opening a room to a member by booking it.
      return role === 'vendor' ? deny('vendors have no bookings') : ALLOW;
    case 'resources.manage':
      return role === 'tenant-admin' || role === 'site-manager' ? ALLOW : deny(`${role} may not manage bookable resources`);
    // Zones decide where doors open (CONTRACT.md §5): the tenant's admins create, rename and remove them.
    case 'zones.manage':
    case 'firmware.manage':
    case 'notifications.manage':
    case 'usage.read':
    case 'members.manage':
    case 'users.manage':
    case 'edges.manage':
    case 'sites.manage':
      return role === 'tenant-admin' ? ALLOW : deny('tenant-admin only');
  }
}

function authorizeEdge(edge: { siteId: string }, action: Action): Decision {
  // An edge acts only for its own site, and only for what a gateway does: report and execute.
  if (!('siteId' in action) || action.siteId !== edge.siteId) return deny('edge token is for another site');
  return action.type === 'site.read' ? ALLOW : deny('edges do not issue commands');
}

/**
 * The one authorization function of the product, used by the cloud's routes and sync server and by
 * the edge's local API. `tenantId` is the tenant that owns the resource.
 */
export function authorize(principal: Principal, tenantId: string, action: Action): Decision {
  // Threat: a token of one tenant used against another tenant's ids.
  if (principal.tenantId !== tenantId) return deny('other tenant');
  return principal.kind === 'edge' ? authorizeEdge(principal, action) : authorizeUser(principal, action);
}

export type DocAccess = 'none' | 'read' | 'write';

/**
 * Who may open which Yjs document, and how. Documents are cut along permission boundaries:
 * whoever opens one may read all of it, so vendors never open a site document.
 */
export function docAccess(principal: Principal, docName: string): DocAccess {
  const doc = parseDocName(docName);
  if (!doc || doc.tenantId !== principal.tenantId) return 'none';
  if (principal.kind === 'edge') return doc.kind === 'site' && doc.siteId === principal.siteId ? 'write' : 'none';
  const { role } = principal;
  switch (doc.kind) {
    case 'site':
      if (role === 'vendor') return 'none';
      if (!userCoversSite(principal, doc.siteId)) return 'none';
      return role === 'tenant-admin' ? 'read' : 'write';
    case 'tenant':
      // The tenant document lists every site: only roles that see every site may open it. The
      // server derives it (directory, edge-reported status), so nobody writes it. Threat: an
      // operator's console painting a locked-down site as normal on everyone's map.
      return role === 'hq-operator' || role === 'tenant-admin' ? 'read' : 'none';
    case 'vendor':
      // Server-derived view; the vendor only reads it.
      return role === 'vendor' && doc.userId === principal.userId ? 'read' : 'none';
  }
}

/** Who may reset a site out of a fire emergency (an "authorized person" of DESIGN.md). */
export function mayResetFire(principal: Principal, tenantId: string, siteId: string): boolean {
  return authorize(principal, tenantId, { type: 'fire.reset', siteId }).allowed;
}
