import { expect, it } from 'vitest';
import { describeBackends, type Backend } from './backends';
import { SiteReportsStore } from '../site-reports-store';
import { DeviceReportsStore } from '../device-reports-store';
import { PgDeviceReportsStore, PgSiteReportsStore } from '../postgres/pg-site-reports-store';
import { sqlitePort, type DeviceReportsPort, type SiteReportsPort } from '../ports';

const reportsOf = (b: Backend): SiteReportsPort =>
  b.kind === 'sqlite' ? sqlitePort(new SiteReportsStore(b.db)) : new PgSiteReportsStore(b.pg);
const devicesOf = (b: Backend): DeviceReportsPort =>
  b.kind === 'sqlite' ? sqlitePort(new DeviceReportsStore(b.db)) : new PgDeviceReportsStore(b.pg);

describeBackends('site reports store', (current) => {
  it('keeps the last mode and fire state per site', async () => {
    const s = reportsOf(current());
    await s.save('t1', 'a', { mode: 'normal', fireActive: false, reportedAt: 1 });
    await s.save('t1', 'a', { mode: 'emergency-unlock', fireActive: true, reportedAt: 2 });
    await s.save('t2', 'a', { mode: 'lockdown', fireActive: false, reportedAt: 3 });
    const all = await s.all();
    expect(all.get('t1/a')).toEqual({ mode: 'emergency-unlock', fireActive: true, reportedAt: 2 });
    expect(all.get('t2/a')).toEqual({ mode: 'lockdown', fireActive: false, reportedAt: 3 });
    expect(all.size).toBe(2);
  });

  it('skips a stored mode it does not know instead of failing every report', async () => {
    const b = current();
    const s = reportsOf(b);
    await s.save('t1', 'good', { mode: 'secure', fireActive: false, reportedAt: 1 });
    const bad = `INSERT INTO site_reports (tenant_id, site_id, mode, fire_active, reported_at) VALUES ('t1', 'bad', 'party', `;
    if (b.kind === 'sqlite') b.db.exec(`${bad} 0, 1)`);
    else await b.pg.pool.query(`${bad} false, 1)`);
    expect([...(await s.all()).keys()]).toEqual(['t1/good']);
  });
});

describeBackends('device reports store', (current) => {
  it('replaces a site device list whole and skips a list that does not parse', async () => {
    const b = current();
    const s = devicesOf(b);
    const door = {
      id: 'door-1',
      kind: 'door' as const,
      name: 'Lobby door',
      zoneId: 'lobby',
      online: true,
      approval: 'approved' as const,
    };
    await s.save('t1', 'a', { devices: [door, { ...door, id: 'door-2' }], reportedAt: 1 });
    await s.save('t1', 'a', { devices: [{ ...door, online: false, firmware: '1.2.0' }], reportedAt: 2 });
    const bad = `INSERT INTO site_devices (tenant_id, site_id, devices, reported_at) VALUES ('t1', 'bad', '[{"id":"../x"}]', 1)`;
    if (b.kind === 'sqlite') b.db.exec(bad);
    else await b.pg.pool.query(bad);
    const all = await s.all();
    expect(all.get('t1/a')).toEqual({ devices: [{ ...door, online: false, firmware: '1.2.0' }], reportedAt: 2 });
    expect(all.has('t1/bad')).toBe(false);
  });
});
