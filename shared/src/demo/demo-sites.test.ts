import { describe, expect, it } from 'vitest';
import { DEMO_SITES, DEMO_USERS, demoMembers } from './demo-sites';
import { deviceConfigSchema } from '../protocol/devices';
import { memberSchema } from '../access/permissions';
import { isId } from '../ids';

describe('demo data', () => {
  it('has the three contract sites with valid device configs, each reader bound to a door of its zone', () => {
    expect(DEMO_SITES.map((s) => s.id)).toEqual(['gangnam', 'hongdae', 'yeouido']);
    for (const site of DEMO_SITES) {
      const zoneIds = new Set(site.zones.map((z) => z.id));
      const byId = new Map(site.devices.map((d) => [d.id, d]));
      expect(byId.size).toBe(site.devices.length);
      for (const d of site.devices) {
        expect(deviceConfigSchema.safeParse(d).success, d.id).toBe(true);
        expect(zoneIds.has(d.zoneId)).toBe(true);
        if (d.kind === 'reader') expect(byId.get(d.doorId ?? '')?.zoneId).toBe(d.zoneId);
      }
      expect(site.devices.filter((d) => d.kind === 'fire-panel')).toHaveLength(1);
    }
  });

  it('has valid members: 100 cards plus a secure-mode night card', () => {
    const members = demoMembers();
    expect(members).toHaveLength(101);
    for (const m of members) expect(memberSchema.safeParse(m).success).toBe(true);
    expect(members.find((m) => m.credentials[0]?.value === 'card-night')?.secureMode).toBe(true);
    expect(members.filter((m) => m.offlineWhitelist).map((m) => m.id)).toEqual(['member-0001', 'member-night']);
  });

  it('has the four contract logins', () => {
    expect(DEMO_USERS.map((u) => u.email)).toEqual(['hq@demo.local', 'gangnam.manager@demo.local', 'vendor@demo.local', 'admin@demo.local']);
    for (const u of DEMO_USERS) for (const s of u.siteIds) expect(isId(s)).toBe(true);
  });
});
