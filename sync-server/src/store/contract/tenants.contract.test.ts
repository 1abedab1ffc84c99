import { expect, it } from 'vitest';
import { describeBackends, type Backend } from './backends';
import { TenantsStore } from '../tenants-store';
import { ZonesStore } from '../zones-store';
import { PgTenantsStore } from '../postgres/pg-tenants-store';
import { PgZonesStore } from '../postgres/pg-zones-store';
import { sqlitePort, type TenantsPort, type ZonesPort } from '../ports';

const tenantsOf = (b: Backend): TenantsPort =>
  b.kind === 'sqlite' ? sqlitePort(new TenantsStore(b.db)) : new PgTenantsStore(b.pg);
const zonesOf = (b: Backend): ZonesPort =>
  b.kind === 'sqlite' ? sqlitePort(new ZonesStore(b.db)) : new PgZonesStore(b.pg);

const site = (tenantId: string, id: string, name = id.toUpperCase()) => ({
  tenantId,
  id,
  name,
  lat: 37.5,
  lng: 127.03,
  timezone: 'Asia/Seoul',
});

describeBackends('tenants store', (current) => {
  it('adds a tenant once; adding it again changes nothing', async () => {
    const s = tenantsOf(current());
    await s.addTenant('t1', 'One');
    await s.addTenant('t1', 'Renamed');
    await s.addTenant('t0', 'Zero');
    expect(await s.tenantIds()).toEqual(['t0', 't1']);
    expect(await s.hasTenant('t1')).toBe(true);
    expect(await s.hasTenant('nobody')).toBe(false);
  });

  it('answers a site by tenant and id only: the same site id in another tenant is another site', async () => {
    const s = tenantsOf(current());
    await s.addTenant('t1', 'One');
    await s.addTenant('t2', 'Two');
    await s.upsertSite(site('t1', 'a'));
    expect(await s.site('t1', 'a')).toEqual(site('t1', 'a'));
    expect(await s.site('t2', 'a')).toBeUndefined();
    expect(await s.sites('t2')).toEqual([]);
  });

  it('replaces a site in place and keeps coordinates exactly, address optional', async () => {
    const s = tenantsOf(current());
    await s.addTenant('t1', 'One');
    await s.upsertSite({ ...site('t1', 'b'), address: '서울 강남구' });
    await s.upsertSite({ ...site('t1', 'b', 'Renamed'), lat: 37.497942, lng: 127.027621 });
    await s.upsertSite(site('t1', 'a'));
    const b = await s.site('t1', 'b');
    expect(b).toEqual({ ...site('t1', 'b', 'Renamed'), lat: 37.497942, lng: 127.027621 });
    expect((await s.sites('t1')).map((x) => x.id)).toEqual(['a', 'b']);
    expect((await s.allSites()).length).toBe(2);
  });
});

describeBackends('zones store', (current) => {
  it('tells a created zone from a renamed one and keys zones by tenant and site', async () => {
    const z = zonesOf(current());
    expect(await z.put('t1', 'a', { id: 'lobby', name: 'Lobby' })).toBe(true);
    expect(await z.put('t1', 'a', { id: 'lobby', name: '로비' })).toBe(false);
    expect(await z.put('t1', 'b', { id: 'lobby', name: 'Other lobby' })).toBe(true);
    await z.put('t1', 'a', { id: 'desk', name: 'Desks' });
    expect(await z.get('t1', 'a', 'lobby')).toEqual({ id: 'lobby', name: '로비' });
    expect(await z.get('t2', 'a', 'lobby')).toBeUndefined();
    expect(await z.ofSite('t1', 'a')).toEqual([
      { id: 'desk', name: 'Desks' },
      { id: 'lobby', name: '로비' },
    ]);
  });

  it('removes a zone of one site only, once', async () => {
    const z = zonesOf(current());
    await z.put('t1', 'a', { id: 'lobby', name: 'Lobby' });
    await z.put('t1', 'b', { id: 'lobby', name: 'Lobby' });
    await z.put('t2', 'a', { id: 'lobby', name: 'Lobby' });
    expect(await z.remove('t1', 'a', 'lobby')).toBe(true);
    expect(await z.remove('t1', 'a', 'lobby')).toBe(false);
    expect(await z.ofSite('t1', 'a')).toEqual([]);
    expect(await z.get('t1', 'b', 'lobby')).toEqual({ id: 'lobby', name: 'Lobby' });
    expect(await z.get('t2', 'a', 'lobby')).toEqual({ id: 'lobby', name: 'Lobby' });
  });
});
