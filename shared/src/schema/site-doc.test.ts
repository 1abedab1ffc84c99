import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { SiteDoc } from './site-doc';
import { parseDocName, siteDocName } from './doc-names';
import { TenantDoc } from './tenant-doc';

const sync = (a: Y.Doc, b: Y.Doc): void => {
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)));
  Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)));
};

describe('SiteDoc', () => {
  it('joins descriptors, pins, availability and state into device views', () => {
    const site = new SiteDoc(new Y.Doc());
    site.upsertDevice({ id: 'door-1', kind: 'door', name: 'Main door', zoneId: 'lobby' });
    site.setDevicePosition('door-1', { x: 10, y: 20 }, 'hq', 1);
    site.setAvailability('door-1', true, 2);
    site.setDeviceState('door-1', { locked: true, open: false, ts: 3 }, 3);
    expect(site.device('door-1')).toMatchObject({ position: { x: 10, y: 20 }, online: true, state: { locked: true } });
  });

  it('merges a pin moved by HQ with state written by the edge while apart', () => {
    const edge = new SiteDoc(new Y.Doc());
    const hq = new SiteDoc(new Y.Doc());
    edge.upsertDevice({ id: 'door-1', kind: 'door', name: 'Main door', zoneId: 'lobby' });
    sync(edge.doc, hq.doc);
    hq.setDevicePosition('door-1', { x: 50, y: 60 }, 'hq', 10);
    hq.setZone({ id: 'lobby', name: '로비', polygon: [[0, 0], [100, 0], [100, 100]] });
    edge.setDeviceState('door-1', { locked: false, open: true, ts: 11 }, 11);
    edge.setAvailability('door-1', true, 11);
    edge.setMeta({ mode: 'secure' });
    sync(edge.doc, hq.doc);
    for (const s of [edge, hq]) {
      expect(s.device('door-1')).toMatchObject({ position: { x: 50, y: 60 }, online: true, state: { open: true } });
      expect(s.zones()[0]?.name).toBe('로비');
      expect(s.meta().mode).toBe('secure');
    }
  });

  it('ignores malformed entries written by a foreign peer instead of failing', () => {
    const doc = new Y.Doc();
    doc.getMap('devices').set('bad', { id: 'BAD ID', kind: 'toaster' });
    doc.getMap('meta').set('mode', 'party');
    const site = new SiteDoc(doc);
    expect(site.devices()).toEqual([]);
    expect(site.meta().mode).toBe('normal');
    expect(() => site.setMeta({ mode: 'party' as never })).toThrow();
  });

  it.each([['Not/AZone'], [42], ['${x}'], ['']])('reads a time zone of %j written into the document as the default', (zone) => {
    const doc = new Y.Doc();
    doc.getMap('meta').set('timezone', zone);
    expect(new SiteDoc(doc).meta().timezone).toBe('Asia/Seoul');
  });

  it('names and parses documents', () => {
    expect(parseDocName(siteDocName('demo', 'gangnam'))).toEqual({ kind: 'site', tenantId: 'demo', siteId: 'gangnam' });
    expect(parseDocName('tenant:demo')).toEqual({ kind: 'tenant', tenantId: 'demo' });
    expect(parseDocName('tenant:demo:x')).toBeUndefined();
  });
});

describe('TenantDoc', () => {
  it('keeps a site directory and writes status only when it changes', () => {
    const t = new TenantDoc(new Y.Doc());
    t.setSite({ id: 'gangnam', name: '강남', lat: 37.498, lng: 127.028, timezone: 'Asia/Seoul' });
    let updates = 0;
    t.doc.on('update', () => updates++);
    t.setStatus('gangnam', { online: true, mode: 'normal', openAlerts: 0, ts: 1 });
    t.setStatus('gangnam', { online: true, mode: 'normal', openAlerts: 0, ts: 2 });
    expect(updates).toBe(1);
    t.setStatus('gangnam', { online: false, mode: 'normal', openAlerts: 1, worstSeverity: 'major', ts: 3 });
    expect(updates).toBe(2);
    expect(t.status('gangnam')).toMatchObject({ online: false, openAlerts: 1 });
    expect(t.sites().map((s) => s.id)).toEqual(['gangnam']);
  });
});
