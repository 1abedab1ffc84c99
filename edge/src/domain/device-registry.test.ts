import { describe, expect, it } from 'vitest';
import { DeviceRegistry } from './device-registry';

describe('device registry', () => {
  it('maps a reader to its door and zone, and refuses devices beyond the limit', () => {
    const r = new DeviceRegistry(2);
    expect(r.upsert({ id: 'door-1', kind: 'door', name: 'D', zoneId: 'lobby' }, 0)).toBe('added');
    expect(r.upsert({ id: 'reader-1', kind: 'reader', name: 'R', doorId: 'door-1' }, 0)).toBe('added');
    expect(r.doorOfReader('reader-1')).toEqual({ doorId: 'door-1', zoneId: 'lobby' });
    expect(r.upsert({ id: 'pir-1', kind: 'pir', name: 'P' }, 0)).toBe('full');
    expect(r.upsert({ id: 'door-1', kind: 'door', name: 'D', zoneId: 'lobby' }, 0)).toBe('unchanged');
  });

  it('reports nothing until a device is heard, then online, stale → offline, and back', () => {
    const r = new DeviceRegistry(10);
    r.upsert({ id: 'cam', kind: 'camera', name: 'C' }, 0);
    expect(r.sweep(10, 100)).toEqual([]);
    r.setAvailability('cam', 'online', 20);
    expect(r.sweep(20, 100)).toEqual([{ deviceId: 'cam', online: true, returned: false }]);
    expect(r.sweep(50, 100)).toEqual([]);
    expect(r.sweep(200, 100)).toEqual([{ deviceId: 'cam', online: false, returned: false }]);
    r.seen('cam', 210);
    expect(r.sweep(210, 100)).toEqual([{ deviceId: 'cam', online: true, returned: true }]);
    r.setAvailability('cam', 'offline', 220);
    expect(r.sweep(220, 100)).toEqual([{ deviceId: 'cam', online: false, returned: false }]);
  });
});
