import { describe, expect, it } from 'vitest';
import { DeviceHealth, HEALTH_REPORT_MS } from './device-health';
import { DeviceReporter, LAST_SEEN_REPORT_MS } from '../uplink/device-report';
import type { EdgeToCloud, ReportedDevice } from '@cr/shared';

const HOUR = 3_600_000;

describe('device health', () => {
  it('counts errors of the last 24 hours per device, older ones age out hour by hour', () => {
    const h = new DeviceHealth();
    const t0 = 100 * HOUR + 10;
    h.error('env-1', t0);
    h.error('env-1', t0 + 1);
    h.error('env-1', t0 + 5 * HOUR);
    h.error('door-1', t0);
    expect(h.errors24h('env-1', t0 + 5 * HOUR)).toBe(3);
    expect(h.errors24h('env-1', t0 + 24 * HOUR)).toBe(1);
    expect(h.errors24h('env-1', t0 + 29 * HOUR)).toBe(0);
    expect(h.errors24h('door-1', t0)).toBe(1);
    h.forget('door-1');
    expect(h.errors24h('door-1', t0)).toBe(0);
  });

  it('keeps a flood of errors in at most one number per hour', () => {
    const h = new DeviceHealth();
    for (let i = 0; i < 10_000; i++) h.error('env-1', i * 60_000);
    expect(h.errors24h('env-1', 10_000 * 60_000)).toBeLessThanOrEqual(24 * 60);
    expect((h as unknown as { errors: Map<string, unknown[]> }).errors.get('env-1')!.length).toBeLessThanOrEqual(24);
  });

  it('asks for a look at the report once a minute', () => {
    const h = new DeviceHealth();
    expect(h.reportDue(1_000)).toBe(true);
    expect(h.reportDue(1_000 + HEALTH_REPORT_MS - 1)).toBe(false);
    expect(h.reportDue(1_000 + HEALTH_REPORT_MS)).toBe(true);
  });
});

describe('device report', () => {
  it('sends a list that differs only in when devices were last heard at most every five minutes', () => {
    let now = 1_000;
    let devices: ReportedDevice[] = [{ id: 'env-1', kind: 'env', name: 'Climate', online: true, approval: 'approved', lastSeenAt: now }];
    const sent: EdgeToCloud[] = [];
    const r = new DeviceReporter(() => devices, (m) => sent.push(m) > 0, () => now);
    r.onWelcome();
    devices = [{ ...devices[0]!, lastSeenAt: (now += 60_000) }];
    r.flush();
    expect(sent).toHaveLength(1);
    devices = [{ ...devices[0]!, errors24h: 1 }];
    r.flush();
    expect(sent).toHaveLength(2);
    devices = [{ ...devices[0]!, lastSeenAt: (now += LAST_SEEN_REPORT_MS) }];
    r.flush();
    r.flush();
    expect(sent).toHaveLength(3);
    r.cancel();
  });
});
