import { describe, expect, it } from 'vitest';
import { Reachability, type ConnectionSnapshot } from '../../data/reachability';
import { bannerState } from './banner-state';

const NOW = 10_000_000;
const snap = (p: Partial<ConnectionSnapshot>): ConnectionSnapshot => ({ cloud: { reachable: true, lastOkAt: NOW }, edges: {}, ...p });

describe('bannerState', () => {
  it.each<[string, Partial<ConnectionSnapshot>, ReturnType<typeof bannerState>]>([
    ['live', {}, { kind: 'ok' }],
    ['starting', { cloud: { reachable: undefined } }, { kind: 'connecting' }],
    ['cloud gone 7 minutes', { cloud: { reachable: false, lastOkAt: NOW - 7 * 60_000 } }, { kind: 'offline', minutesOld: 7 }],
    ['opened offline, never reached', { cloud: { reachable: false } }, { kind: 'offline', minutesOld: undefined }],
    [
      'cloud gone, edge on the LAN answers',
      { cloud: { reachable: false, lastOkAt: NOW - 60_000 }, edges: { gangnam: { reachable: true }, hongdae: { reachable: false } } },
      { kind: 'lan', siteIds: ['gangnam'], minutesOld: 1 },
    ],
    ['just reconnected', { lastReconnect: { at: NOW - 2_000, mergedChanges: 12 } }, { kind: 'reconnected', merged: 12 }],
    ['reconnected long ago', { lastReconnect: { at: NOW - 60_000, mergedChanges: 12 } }, { kind: 'ok' }],
  ])('%s', (_name, p, expected) => expect(bannerState(snap(p), NOW)).toEqual(expected));
});

describe('Reachability', () => {
  it('notes a reconnect after an outage, adding up documents that resync together', () => {
    const r = new Reachability(undefined);
    r.cloudOk(1_000);
    r.cloudDown(2_000);
    r.cloudOk(50_000);
    r.reconnected(3, 50_100);
    r.reconnected(4, 50_200);
    expect(r.get().lastReconnect).toEqual({ at: 50_200, mergedChanges: 7 });
  });
  it('a token-refresh reconnect without changes is not news', () => {
    const r = new Reachability(undefined);
    r.cloudOk(1_000);
    r.reconnected(0, 500_000);
    expect(r.get().lastReconnect).toBeUndefined();
  });
  it('remembers the last good contact across restarts', () => {
    const store = new Map<string, string>();
    const storage = { getItem: (k: string) => store.get(k) ?? null, setItem: (k: string, v: string) => void store.set(k, v) } as Storage;
    new Reachability(storage).cloudOk(123_456);
    expect(new Reachability(storage).get().cloud.lastOkAt).toBe(123_456);
  });
});
