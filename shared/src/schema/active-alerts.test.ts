import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import fc from 'fast-check';
import { raiseAlert, acknowledgeAlert, resolveAlert, listAlerts, markAlertCause } from './alerts';
import { FEED_ALERTS_PER_SITE, feedEntriesOf, readActiveAlerts, setSiteActiveAlerts } from './active-alerts';
import { TenantDoc } from './tenant-doc';

const raise = (doc: Y.Doc, siteId: string, n: number, severity: 'critical' | 'major' | 'minor' = 'minor') =>
  raiseAlert(doc, { id: `${siteId}.d${n}.device.offline.${n}`, siteId, type: 'device.offline', severity, raisedAt: 1_000 + n, source: 'edge' });

describe('the tenant-wide active-alert feed', () => {
  it('holds exactly the unresolved alerts of a site, with their state and cleared cause, and drops resolved ones', () => {
    const site = new Y.Doc();
    for (let i = 0; i < 4; i++) raise(site, 'gangnam', i);
    acknowledgeAlert(site, 'gangnam.d1.device.offline.1', { by: 'op', at: 5, where: 'cloud' });
    resolveAlert(site, 'gangnam.d2.device.offline.2', { by: 'op', at: 6, where: 'cloud' });
    markAlertCause(site, 'gangnam.d3.device.offline.3', { state: 'cleared', by: 'edge', at: 7 });
    const tenant = new Y.Doc();
    setSiteActiveAlerts(tenant, 'gangnam', feedEntriesOf('gangnam', listAlerts(site)));
    const feed = new Map(readActiveAlerts(tenant).map((a) => [a.id, a]));
    expect([...feed.keys()].sort()).toEqual(['gangnam.d0.device.offline.0', 'gangnam.d1.device.offline.1', 'gangnam.d3.device.offline.3']);
    expect(feed.get('gangnam.d1.device.offline.1')?.state).toBe('acknowledged');
    expect(feed.get('gangnam.d3.device.offline.3')?.causeCleared).toBe(true);
  });

  it('writes nothing when nothing changed and leaves other sites alone', () => {
    const site = new Y.Doc();
    raise(site, 'gangnam', 1, 'critical');
    const tenant = new Y.Doc();
    const other = new Y.Doc();
    raise(other, 'hongdae', 1);
    setSiteActiveAlerts(tenant, 'hongdae', feedEntriesOf('hongdae', listAlerts(other)));
    expect(setSiteActiveAlerts(tenant, 'gangnam', feedEntriesOf('gangnam', listAlerts(site)))).toBe(1);
    let updates = 0;
    tenant.on('update', () => updates++);
    expect(setSiteActiveAlerts(tenant, 'gangnam', feedEntriesOf('gangnam', listAlerts(site)))).toBe(0);
    expect(updates).toBe(0);
    setSiteActiveAlerts(tenant, 'gangnam', []);
    expect(readActiveAlerts(tenant).map((a) => a.siteId)).toEqual(['hongdae']);
  });

  it('keeps the most urgent alerts of a flooding site, a critical one always among them', () => {
    const site = new Y.Doc();
    for (let i = 0; i < FEED_ALERTS_PER_SITE + 50; i++) raise(site, 'gangnam', i);
    raise(site, 'gangnam', 9_999, 'critical');
    const entries = feedEntriesOf('gangnam', listAlerts(site));
    expect(entries).toHaveLength(FEED_ALERTS_PER_SITE);
    expect(entries[0]?.severity).toBe('critical');
  });

  it('an entry planted under another site’s key, or not matching the schema, is not shown', () => {
    const tenant = new Y.Doc();
    tenant.getMap('activeAlerts').set('hongdae|x', { id: 'y', siteId: 'gangnam', type: 'door.forced', category: 'security', severity: 'critical', state: 'open', raisedAt: 1, causeCleared: false });
    tenant.getMap('activeAlerts').set('gangnam|z', { id: 'z', siteId: 'gangnam', severity: 'loud' });
    expect(readActiveAlerts(tenant)).toEqual([]);
  });

  it('removing a site from the directory removes its feed entries', () => {
    const doc = new Y.Doc();
    const site = new Y.Doc();
    raise(site, 'gangnam', 1);
    const td = new TenantDoc(doc);
    td.setActiveAlerts('gangnam', feedEntriesOf('gangnam', listAlerts(site)));
    td.removeSite('gangnam');
    expect(td.activeAlerts()).toEqual([]);
  });

  it('after any sequence of raises, acks and resolutions the feed equals the site’s unresolved alerts (seeded)', () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant('raise' as const), n: fc.integer({ min: 0, max: 20 }) }),
      fc.record({ kind: fc.constant('ack' as const), n: fc.integer({ min: 0, max: 20 }) }),
      fc.record({ kind: fc.constant('resolve' as const), n: fc.integer({ min: 0, max: 20 }) }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
        const site = new Y.Doc();
        const tenant = new Y.Doc();
        ops.forEach((o, i) => {
          const id = `gangnam.d${o.n}.device.offline.${o.n}`;
          if (o.kind === 'raise') raise(site, 'gangnam', o.n);
          else if (o.kind === 'ack') acknowledgeAlert(site, id, { by: 'op', at: i, where: 'cloud' });
          else resolveAlert(site, id, { by: 'op', at: i, where: 'cloud' });
          if (i % 3 === 0) setSiteActiveAlerts(tenant, 'gangnam', feedEntriesOf('gangnam', listAlerts(site)));
        });
        setSiteActiveAlerts(tenant, 'gangnam', feedEntriesOf('gangnam', listAlerts(site)));
        const expected = listAlerts(site).filter((a) => a.state !== 'resolved').map((a) => `${a.id}:${a.state}`).sort();
        expect(readActiveAlerts(tenant).map((a) => `${a.id}:${a.state}`).sort()).toEqual(expected);
      }),
      { seed: 1207, numRuns: 200 },
    );
  });
});
