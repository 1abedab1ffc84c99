import { authorize, type UserPrincipal } from '@cr/shared';
import type { User } from '../data/api-types';

/** What exists on screen for a user: derived from the one authorization function the servers use. */
export interface Capabilities {
  overview: boolean;
  siteView: boolean;
  alerts: boolean;
  /** acknowledge, assign, note, resolve (writes to the site document) */
  actOnAlerts: boolean;
  events: boolean;
  audit: boolean;
  /** door commands and site modes */
  control: boolean;
  editMap: boolean;
  /** reads alerts from the vendor document (facility faults only) */
  vendorView: boolean;
  /** sites, zones, edge tokens and members of the tenant (tenant-admin) */
  admin: boolean;
  /** the notifications page: delivery logs, dead letters and silences of the user's sites; creating silences */
  notifications: boolean;
  /** notification channels, routing rules, retrying dead letters (tenant-admin) */
  manageNotifications: boolean;
  /** silences and maintenance windows of the user's sites */
  silence: boolean;
  /** the booking timeline: booking, moving, cancelling and checking in for members (not vendors) */
  bookings: boolean;
  /** site policies, their rollout board and dry runs (not vendors, as the cloud's PolicyService) */
  policies: boolean;
  /** writing policies: versions, rollouts, rollbacks, stopping staged rollouts (tenant-admin) */
  managePolicies: boolean;
}

export function principalOf(user: User): UserPrincipal {
  return { kind: 'user', userId: user.id, role: user.role, tenantId: user.tenantId, siteIds: user.siteIds, name: user.name ?? user.email };
}

export function capabilitiesFor(user: User, siteId?: string): Capabilities {
  const p = principalOf(user);
  const site = siteId ?? user.siteIds[0] ?? '*';
  const can = (action: Parameters<typeof authorize>[2]): boolean => authorize(p, user.tenantId, action).allowed;
  const vendor = user.role === 'vendor';
  return {
    overview: !vendor,
    siteView: !vendor,
    alerts: true,
    actOnAlerts: can({ type: 'alert.act', siteId: site }),
    events: can({ type: 'events.read', siteId: site }),
    audit: can({ type: 'audit.read' }),
    control: can({ type: 'door.command', siteId: site, action: 'unlock' }),
    editMap: can({ type: 'map.edit', siteId: site }),
    vendorView: vendor,
    admin: can({ type: 'sites.manage' }),
    notifications: can({ type: 'notifications.read' }),
    manageNotifications: can({ type: 'notifications.manage' }),
    silence: can({ type: 'notifications.silence', siteId: site }),
    bookings: can({ type: 'bookings.manage', siteId: site }),
    policies: !vendor,
    managePolicies: user.role === 'tenant-admin',
  };
}
