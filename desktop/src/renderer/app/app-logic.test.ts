import { describe, expect, it } from 'vitest';
import type { User } from '../data/api-types';
import { startOfLocalDay, endOfLocalDay } from '../features/events/local-day';
import { capabilitiesFor } from './capabilities';
import { watchedSiteIds } from './live-data';
import { parseRoute, routeHash } from './router';
import { matchShortcut, type Shortcut } from './shortcuts';
import { generatedSites } from '../features/overview/load-test';

const user = (role: User['role'], siteIds: string[] = []): User => ({ id: `u-${role}`, role, tenantId: 'demo', siteIds });

describe('capabilitiesFor: the role decides what exists on screen', () => {
  it('HQ sees and does everything an operator does', () => {
    expect(capabilitiesFor(user('hq-operator'), 'gangnam')).toMatchObject({ overview: true, control: true, actOnAlerts: true, editMap: true, events: true, audit: true, vendorView: false });
  });
  it('a site manager controls their own site only', () => {
    const m = user('site-manager', ['gangnam']);
    expect(capabilitiesFor(m, 'gangnam')).toMatchObject({ control: true, editMap: true, actOnAlerts: true });
    expect(capabilitiesFor(m, 'hongdae')).toMatchObject({ control: false, editMap: false, actOnAlerts: false, events: false });
  });
  it('a vendor has no map, no access log, no audit and no door control', () => {
    expect(capabilitiesFor(user('vendor', ['gangnam']), 'gangnam')).toMatchObject({ overview: false, siteView: false, events: false, audit: false, control: false, actOnAlerts: false, vendorView: true, alerts: true });
  });
  it('a tenant admin reads but does not command', () => {
    expect(capabilitiesFor(user('tenant-admin'), 'gangnam')).toMatchObject({ overview: true, control: false, actOnAlerts: false, audit: true });
  });
  it('notifications: tenant admins manage them, HQ and site managers read and silence, vendors see nothing', () => {
    expect(capabilitiesFor(user('tenant-admin'))).toMatchObject({ notifications: true, manageNotifications: true, silence: true });
    expect(capabilitiesFor(user('hq-operator'))).toMatchObject({ notifications: true, manageNotifications: false, silence: true });
    expect(capabilitiesFor(user('site-manager', ['gangnam']))).toMatchObject({ notifications: true, manageNotifications: false, silence: true });
    expect(capabilitiesFor(user('vendor', ['gangnam']))).toMatchObject({ notifications: false, manageNotifications: false, silence: false });
  });
});

describe('routes', () => {
  it.each([
    ['#/overview', { name: 'overview' }],
    ['', { name: 'overview' }],
    ['#/sites/gangnam', { name: 'site', siteId: 'gangnam' }],
    ['#/alerts/gangnam.door-lobby.door.forced.17', { name: 'alerts', alertId: 'gangnam.door-lobby.door.forced.17' }],
    ['#/events/hongdae', { name: 'events', siteId: 'hongdae' }],
    ['#/notifications', { name: 'notifications' }],
    ['#/sites/..%2F', { name: 'overview' }],
    ['#/sites/<script>', { name: 'overview' }],
    ['#/nonsense', { name: 'overview' }],
  ])('%s', (hash, route) => {
    expect(parseRoute(hash)).toEqual(route);
  });
  it('round-trips', () => {
    for (const h of ['#/overview', '#/alerts', '#/sites/gangnam', '#/events', '#/audit', '#/settings']) expect(routeHash(parseRoute(h))).toBe(h);
  });
});

describe('watchedSiteIds', () => {
  it('opens every site document while there are few sites', () => {
    expect(watchedSiteIds(generatedSites(3), undefined)).toHaveLength(3);
  });
  it('with 200 sites opens only those with open alerts, plus the one on screen', () => {
    const rows = generatedSites(200).map((r, i) => (i % 50 === 0 ? { ...r, openAlerts: 1 } : r));
    expect(watchedSiteIds(rows, 'load-199')).toEqual(['load-000', 'load-050', 'load-100', 'load-150', 'load-199']);
  });
  it('opens every site with an unacknowledged critical alarm first, beyond the cap', () => {
    const rows = generatedSites(200).map((r) => ({ ...r, openAlerts: 1 }));
    const urgent = Array.from({ length: 70 }, (_, i) => `load-${String(130 + i).padStart(3, '0')}`);
    const ids = watchedSiteIds(rows, undefined, urgent);
    expect(ids.slice(0, 70)).toEqual(urgent);
    expect(ids).toContain('load-199');
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe('matchShortcut', () => {
  const list: Shortcut[] = [
    { key: 'a', help: 'help.ackAlert', run: () => undefined },
    { key: 'Escape', help: 'help.close', run: () => undefined, inFields: true },
  ];
  const ev = { ctrlKey: false, metaKey: false, altKey: false, typing: false };
  it('fires on the bare key, not while typing, not with modifiers', () => {
    expect(matchShortcut(list, { ...ev, key: 'a' })?.key).toBe('a');
    expect(matchShortcut(list, { ...ev, key: 'a', typing: true })).toBeUndefined();
    expect(matchShortcut(list, { ...ev, key: 'a', ctrlKey: true })).toBeUndefined();
    expect(matchShortcut(list, { ...ev, key: 'Escape', typing: true })?.key).toBe('Escape');
  });
});

describe('local days', () => {
  it('a Seoul date starts at 15:00 UTC the day before', () => {
    expect(new Date(startOfLocalDay('2025-03-10', 'Asia/Seoul')!).toISOString()).toBe('2025-03-09T15:00:00.000Z');
    expect(new Date(endOfLocalDay('2025-03-10', 'Asia/Seoul')!).toISOString()).toBe('2025-03-10T14:59:59.999Z');
    expect(new Date(startOfLocalDay('2025-03-10', 'America/New_York')!).toISOString()).toBe('2025-03-10T04:00:00.000Z');
    expect(startOfLocalDay('10/03/2025', 'Asia/Seoul')).toBeUndefined();
  });
});
