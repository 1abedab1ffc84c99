import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { listAlerts, raiseAlert, acknowledgeAlert, type ActiveAlert } from '@cr/shared';
import { mergeAlertSources, sitesWithOpenCriticals } from './feed-merge';
import { unacknowledgedCriticals, type FeedAlert } from './alert-feed';

const entry = (siteId: string, n: number, over: Partial<ActiveAlert> = {}): ActiveAlert => ({
  id: `${siteId}.door-${n}.door.forced.${n}`,
  siteId,
  type: 'door.forced',
  category: 'security',
  severity: 'critical',
  state: 'open',
  raisedAt: 1_000 + n,
  causeCleared: false,
  ...over,
});
const decorate = (a: ReturnType<typeof mergeAlertSources>[number]): FeedAlert => ({ ...a, siteName: a.siteId, timezone: 'Asia/Seoul' });

describe('alerts from open site documents and from the tenant-wide feed', () => {
  it('a critical alarm at a site whose document is not open is listed and counts as waiting to sound', () => {
    const merged = mergeAlertSources([], [entry('site-200', 1)]).map(decorate);
    expect(merged).toHaveLength(1);
    expect(unacknowledgedCriticals(merged).map((a) => a.siteId)).toEqual(['site-200']);
  });

  it('the site document wins for its own alerts: an ack made here shows before the feed follows', () => {
    const doc = new Y.Doc();
    const e = entry('gangnam', 1);
    raiseAlert(doc, { id: e.id, siteId: 'gangnam', type: 'door.forced', severity: 'critical', raisedAt: e.raisedAt, source: 'edge' });
    acknowledgeAlert(doc, e.id, { by: 'op', at: 5, where: 'hq' });
    const merged = mergeAlertSources(listAlerts(doc), [e]);
    expect(merged).toHaveLength(1);
    expect(merged[0]?.state).toBe('acknowledged');
    expect(merged[0]?.acks).toHaveLength(1);
  });

  it('names the sites of open critical alarms once each, first raised first, leaving acknowledged and minor ones out', () => {
    const feed = [entry('b', 5), entry('a', 9), entry('b', 2), entry('c', 1, { state: 'acknowledged' }), entry('d', 0, { severity: 'minor' })];
    expect(sitesWithOpenCriticals(feed)).toEqual(['b', 'a']);
  });
});
