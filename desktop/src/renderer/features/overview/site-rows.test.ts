import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { raiseAlert, resolveAlert, SiteDoc } from '@cr/shared';
import type { SiteSummary } from '../../data/api-types';
import { countByTone, mergeSiteRows, siteFactsFromDoc, siteTone, type SiteRow } from './site-rows';

const row = (p: Partial<SiteRow> = {}): SiteRow => ({ id: 'gangnam', name: 'Gangnam', lat: 37.5, lng: 127, timezone: 'Asia/Seoul', online: true, mode: 'normal', fireActive: false, openAlerts: 0, worstSeverity: undefined, ...p });
const rest = (p: Partial<SiteSummary> = {}): SiteSummary => ({ id: 'gangnam', name: 'Gangnam', lat: 37.5, lng: 127, timezone: 'Asia/Seoul', online: true, mode: 'normal', openAlerts: 0, ...p });

describe('siteTone', () => {
  it.each<[Partial<SiteRow>, string]>([
    [{}, 'ok'],
    [{ online: undefined }, 'unknown'],
    [{ online: false }, 'offline'],
    [{ online: false, worstSeverity: 'critical', openAlerts: 1 }, 'critical'],
    [{ fireActive: true, worstSeverity: 'critical' }, 'fire'],
    [{ worstSeverity: 'major', openAlerts: 2 }, 'major'],
    [{ online: false, worstSeverity: 'major', openAlerts: 1 }, 'offline'],
    [{ mode: 'lockdown' }, 'mode'],
    [{ mode: 'secure', worstSeverity: 'major', openAlerts: 1 }, 'major'],
    [{ worstSeverity: 'minor', openAlerts: 1 }, 'minor'],
    [{ openAlerts: 1 }, 'minor'],
  ])('%j → %s (worst first)', (p, tone) => expect(siteTone(row(p))).toBe(tone));
});

describe('mergeSiteRows', () => {
  it('live site-document alerts win over the REST summary', () => {
    const rows = mergeSiteRows({
      rest: [rest({ mode: 'normal', openAlerts: 0 })],
      live: { gangnam: { openAlerts: 2, worstSeverity: 'critical' } },
    });
    expect(rows[0]).toMatchObject({ mode: 'normal', openAlerts: 2, worstSeverity: 'critical', online: true });
  });

  it('takes mode, fire state and time zone from the cloud, never from what a console wrote into the site document', () => {
    const doc = new Y.Doc();
    const site = new SiteDoc(doc);
    // A console rewrites the document's copy during a lockdown the edge reported.
    site.setMeta({ mode: 'normal', fireActive: false, timezone: 'America/New_York' });
    const rows = mergeSiteRows({
      rest: [rest({ mode: 'lockdown', fireActive: true, timezone: 'Asia/Seoul' })],
      status: { gangnam: { online: true, mode: 'lockdown', fireActive: true, openAlerts: 0, ts: 1 } },
      live: { gangnam: siteFactsFromDoc(site) },
    });
    expect(rows[0]).toMatchObject({ mode: 'lockdown', fireActive: true, timezone: 'Asia/Seoul' });
  });

  it('the tenant summary fills online state for sites listed by the directory only', () => {
    const rows = mergeSiteRows({
      directory: [{ id: 'hongdae', name: 'Hongdae', lat: 37.55, lng: 126.92, timezone: 'Asia/Seoul' }],
      status: { hongdae: { online: false, mode: 'normal', openAlerts: 1, worstSeverity: 'major', ts: 1 } },
    });
    expect(rows[0]).toMatchObject({ id: 'hongdae', online: false, openAlerts: 1 });
  });

  it('keeps the identity of rows that did not change, so views re-render only what changed', () => {
    const first = mergeSiteRows({ rest: [rest(), rest({ id: 'hongdae', name: 'Hongdae' })] });
    const prev = new Map(first.map((r) => [r.id, r]));
    const second = mergeSiteRows({ rest: [rest(), rest({ id: 'hongdae', name: 'Hongdae', online: false })] }, prev);
    expect(second.find((r) => r.id === 'gangnam')).toBe(prev.get('gangnam'));
    expect(second.find((r) => r.id === 'hongdae')).not.toBe(prev.get('hongdae'));
  });

  it('counts sites per tone', () => {
    const counts = countByTone([row(), row({ id: 'b', online: false }), row({ id: 'c', worstSeverity: 'critical', openAlerts: 1 })]);
    expect(counts).toMatchObject({ ok: 1, offline: 1, critical: 1, major: 0 });
  });
});

describe('siteFactsFromDoc', () => {
  it('counts unresolved alerts and their worst severity from the document', () => {
    const doc = new Y.Doc();
    const site = new SiteDoc(doc);
    site.setMeta({ mode: 'secure', fireActive: true });
    raiseAlert(doc, { id: 'a1', siteId: 'gangnam', type: 'door.held-open', severity: 'major', raisedAt: 1, source: 'edge' });
    raiseAlert(doc, { id: 'a2', siteId: 'gangnam', type: 'door.forced', severity: 'critical', raisedAt: 2, source: 'edge' });
    resolveAlert(doc, 'a2', { by: 'edge', at: 3, where: 'edge' });
    expect(siteFactsFromDoc(site)).toEqual({ openAlerts: 1, worstSeverity: 'major' });
  });
});
