import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDb, Settings, type Db } from '../store/db';
import { PolicyHolder } from './policy-holder';

const quiet = { info: () => {}, warn: () => {} };
const closedSundays = { openingHours: { sun: [] } };
// 2026-11-22 is a Sunday; 2026-11-23 a Monday.
const SUNDAY_NOON = Date.parse('2026-11-22T12:00:00+09:00');
const MONDAY_NOON = Date.parse('2026-11-23T12:00:00+09:00');

let dir: string;
let db: Db | undefined;
const open = () => {
  db?.close();
  db = openDb(dir, 'normal');
  return new PolicyHolder(new Settings(db), quiet);
};
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'edge-policy-'));
});
afterEach(() => {
  db?.close();
  db = undefined;
  rmSync(dir, { recursive: true, force: true });
});

describe('PolicyHolder', () => {
  it('has the site open while it holds no policy', () => {
    const holder = open();
    expect(holder.version).toBeUndefined();
    expect(holder.isOpen(SUNDAY_NOON, 'Asia/Seoul')).toBe(true);
  });

  it('applies a valid version, reports it, and keeps enforcing it after a restart', () => {
    const holder = open();
    expect(holder.adopt({ policyId: 'p1', version: 1, body: closedSundays })).toEqual({ type: 'policy.applied', policyId: 'p1', version: 1 });
    expect(holder.isOpen(SUNDAY_NOON, 'Asia/Seoul')).toBe(false);
    expect(holder.isOpen(MONDAY_NOON, 'Asia/Seoul')).toBe(true);
    const restarted = open();
    expect(restarted.current).toMatchObject({ policyId: 'p1', version: 1 });
    expect(restarted.isOpen(SUNDAY_NOON, 'Asia/Seoul')).toBe(false);
  });

  it('refuses an invalid version naming the field, and the previous one stays in force, also after a restart', () => {
    const holder = open();
    holder.adopt({ policyId: 'p1', version: 1, body: closedSundays });
    const report = holder.adopt({ policyId: 'p1', version: 2, body: { openingHours: { sun: [['25:00', '26:00']] } } });
    expect(report).toMatchObject({ type: 'policy.refused', policyId: 'p1', version: 2 });
    expect(report.type === 'policy.refused' && report.error).toMatch(/^body\.openingHours\.sun\.0\.0:/);
    expect(holder.version).toBe(1);
    expect(holder.isOpen(SUNDAY_NOON, 'Asia/Seoul')).toBe(false);
    expect(open().version).toBe(1);
  });

  it('takes an older version (a rollback) and tells its listeners once per change', () => {
    const holder = open();
    const seen: number[] = [];
    holder.onApplied((p) => seen.push(p.version));
    holder.adopt({ policyId: 'p1', version: 2, body: closedSundays });
    holder.adopt({ policyId: 'p1', version: 2, body: closedSundays });
    expect(holder.adopt({ policyId: 'p1', version: 1, body: {} })).toMatchObject({ type: 'policy.applied', version: 1 });
    expect(seen).toEqual([2, 1]);
    expect(holder.isOpen(SUNDAY_NOON, 'Asia/Seoul')).toBe(true);
  });

  it('ignores a stored policy it can no longer read (stays open rather than failing to start)', () => {
    dir = mkdtempSync(join(tmpdir(), 'edge-policy-'));
    db = openDb(dir, 'normal');
    new Settings(db).set('site.policy', JSON.stringify({ policyId: 'p1', version: 3, body: { openingHours: 'nonsense' } }));
    expect(open().version).toBeUndefined();
  });
});
