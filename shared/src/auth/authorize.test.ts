import { describe, expect, it } from 'vitest';
import { authorize, docAccess, mayResetFire, type Action } from './authorize';
import type { EdgePrincipal, Role, UserPrincipal } from './roles';

const user = (role: Role, siteIds: string[] = []): UserPrincipal => ({ kind: 'user', userId: `u-${role}`, role, tenantId: 'demo', siteIds });
const hq = user('hq-operator');
const manager = user('site-manager', ['gangnam']);
const vendor = user('vendor', ['gangnam', 'hongdae']);
const admin = user('tenant-admin');
const edge: EdgePrincipal = { kind: 'edge', tenantId: 'demo', siteId: 'gangnam' };

const actions: Record<string, Action> = {
  readOwn: { type: 'site.read', siteId: 'gangnam' },
  readOther: { type: 'site.read', siteId: 'yeouido' },
  unlockOwn: { type: 'door.command', siteId: 'gangnam', action: 'unlock' },
  unlockOther: { type: 'door.command', siteId: 'yeouido', action: 'unlock' },
  lockdownOwn: { type: 'site.mode', siteId: 'gangnam', mode: 'lockdown' },
  facilityAlerts: { type: 'alert.read', siteId: 'gangnam', category: 'facility' },
  securityAlerts: { type: 'alert.read', siteId: 'gangnam', category: 'security' },
  ackOwn: { type: 'alert.act', siteId: 'gangnam' },
  events: { type: 'events.read', siteId: 'gangnam' },
  audit: { type: 'audit.read' },
  members: { type: 'members.manage' },
  mapEdit: { type: 'map.edit', siteId: 'gangnam' },
  sites: { type: 'sites.manage' },
  deliveriesOwn: { type: 'notifications.read', siteId: 'gangnam' },
  deliveriesOther: { type: 'notifications.read', siteId: 'yeouido' },
  notifications: { type: 'notifications.manage' },
  silenceOwn: { type: 'notifications.silence', siteId: 'gangnam' },
  silenceOther: { type: 'notifications.silence', siteId: 'yeouido' },
  bookOwn: { type: 'bookings.manage', siteId: 'gangnam' },
  bookOther: { type: 'bookings.manage', siteId: 'yeouido' },
  bookingsReadOwn: { type: 'bookings.read', siteId: 'gangnam' },
  resourcesOwn: { type: 'resources.manage', siteId: 'gangnam' },
  resourcesOther: { type: 'resources.manage', siteId: 'yeouido' },
  usage: { type: 'usage.read' },
};

// Expected allow (1) / deny (0), in the order of `actions`.
const matrix: Array<[string, UserPrincipal | EdgePrincipal, string]> = [
  ['hq-operator', hq, '111111111101011011' + '111000'],
  ['site-manager of gangnam', manager, '101011111101010010' + '101100'],
  ['vendor of gangnam+hongdae', vendor, '100001000000000000' + '000000'],
  ['tenant-admin', admin, '110001101110111111' + '111111'],
  ['edge of gangnam', edge, '100000000000000000' + '000000'],
];

describe('authorize', () => {
  const names = Object.keys(actions);
  for (const [who, principal, expected] of matrix) {
    it.each(names.map((n, i) => [n, expected[i] === '1'] as const))(`${who}: %s → %s`, (name, allowed) => {
      expect(authorize(principal, 'demo', actions[name]!).allowed).toBe(allowed);
    });
  }

  it('denies every action across tenants, whatever the role', () => {
    for (const [, principal] of matrix) {
      for (const action of Object.values(actions)) expect(authorize(principal, 'other', action).allowed).toBe(false);
    }
  });

  it('gives a reason when it refuses', () => {
    expect(authorize(vendor, 'demo', actions.securityAlerts!).reason).toMatch(/facility/);
  });

  it('lets HQ and the site manager reset a fire state, not vendors or admins', () => {
    expect(mayResetFire(hq, 'demo', 'gangnam')).toBe(true);
    expect(mayResetFire(manager, 'demo', 'gangnam')).toBe(true);
    expect(mayResetFire(manager, 'demo', 'hongdae')).toBe(false);
    expect(mayResetFire(vendor, 'demo', 'gangnam')).toBe(false);
    expect(mayResetFire(admin, 'demo', 'gangnam')).toBe(false);
  });
});

describe('docAccess', () => {
  it.each<[string, UserPrincipal | EdgePrincipal, string, string]>([
    ['hq site doc', hq, 'site:demo:yeouido', 'write'],
    ['manager own site', manager, 'site:demo:gangnam', 'write'],
    ['manager other site', manager, 'site:demo:hongdae', 'none'],
    ['vendor never a site doc', vendor, 'site:demo:gangnam', 'none'],
    ['vendor own view', vendor, 'vendor:demo:u-vendor', 'read'],
    ['vendor another vendor view', vendor, 'vendor:demo:u-other', 'none'],
    ['admin site doc read-only', admin, 'site:demo:gangnam', 'read'],
    ['hq tenant doc read-only (server-derived)', hq, 'tenant:demo', 'read'],
    ['admin tenant doc read-only', admin, 'tenant:demo', 'read'],
    ['manager tenant doc', manager, 'tenant:demo', 'none'],
    ['edge own site', edge, 'site:demo:gangnam', 'write'],
    ['edge other site', edge, 'site:demo:hongdae', 'none'],
    ['edge tenant doc', edge, 'tenant:demo', 'none'],
    ['other tenant', hq, 'site:acme:gangnam', 'none'],
    ['malformed name', hq, 'site:demo:gangnam:extra', 'none'],
    ['injected separator', hq, 'site:demo:../x', 'none'],
    ['unknown kind', hq, 'secret:demo', 'none'],
  ])('%s', (_n, principal, doc, expected) => {
    expect(docAccess(principal, doc)).toBe(expected);
  });
});
