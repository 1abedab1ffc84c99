import { describe, expect, it } from 'vitest';
import type { FeedAlert } from './alert-feed';
import { DEFAULT_FILTER, matchesFilter, sortAlerts, takeNewCriticals, visibleAlerts, whereOf } from './alert-feed';

const alert = (p: Partial<FeedAlert>): FeedAlert => ({
  id: 'x',
  siteId: 'gangnam',
  type: 'door.forced',
  severity: 'critical',
  raisedAt: 1,
  source: 'edge',
  category: 'security',
  state: 'open',
  acks: [],
  notes: [],
  assignments: [],
  resolutions: [],
  causes: [],
  causeCleared: false,
  siteName: 'Gangnam',
  timezone: 'Asia/Seoul',
  ...p,
});

describe('filters and order', () => {
  const list = [
    alert({ id: 'old-minor', severity: 'minor', type: 'device.offline', raisedAt: 1 }),
    alert({ id: 'new-critical', raisedAt: 5 }),
    alert({ id: 'acked-critical', raisedAt: 9, state: 'acknowledged' }),
    alert({ id: 'resolved', raisedAt: 10, state: 'resolved', siteId: 'hongdae', siteName: 'Hongdae' }),
    alert({ id: 'major', severity: 'major', type: 'door.held-open', raisedAt: 3, deviceId: 'door-lobby' }),
  ];
  it('active hides resolved; open first, then by severity, newest first', () => {
    expect(visibleAlerts(list, DEFAULT_FILTER, 'severity').map((a) => a.id)).toEqual(['new-critical', 'major', 'old-minor', 'acked-critical']);
  });
  it('sorts by time when asked, still open before acknowledged', () => {
    expect(sortAlerts(list, 'oldest').map((a) => a.id)).toEqual(['old-minor', 'major', 'new-critical', 'acked-critical', 'resolved']);
  });
  it.each<[Partial<typeof DEFAULT_FILTER>, string[]]>([
    [{ state: 'resolved' }, ['resolved']],
    [{ state: 'all', siteId: 'hongdae' }, ['resolved']],
    [{ severity: 'major' }, ['major']],
    [{ text: 'LOBBY' }, ['major']],
    [{ text: 'held-open' }, ['major']],
  ])('filter %j', (f, ids) => {
    expect(list.filter((a) => matchesFilter(a, { ...DEFAULT_FILTER, ...f })).map((a) => a.id)).toEqual(ids);
  });
});

describe('takeNewCriticals', () => {
  it('announces each open critical alert once, never acknowledged or minor ones', () => {
    const seen = new Set<string>();
    const list = [alert({ id: 'c1' }), alert({ id: 'c2', state: 'acknowledged' }), alert({ id: 'm', severity: 'major' })];
    expect(takeNewCriticals(list, seen).map((a) => a.id)).toEqual(['c1']);
    expect(takeNewCriticals(list, seen)).toEqual([]);
    expect(takeNewCriticals([...list, alert({ id: 'c3' })], seen).map((a) => a.id)).toEqual(['c3']);
  });
});

describe('whereOf', () => {
  it.each([
    ['hq-operator', 'cloud', 'hq'],
    ['site-manager', 'cloud', 'console'],
    ['site-manager', 'lan', 'lan'],
    ['hq-operator', 'offline', 'offline'],
  ] as const)('%s via %s records %s', (role, via, where) => expect(whereOf(role, via)).toBe(where));
});
