import { describe, expect, it } from 'vitest';
import { chooseCommandRoute, type RouteFacts } from './command-route';
import { isReasonValid, pulseMs } from './command-target';

const base: RouteFacts = { cloudReachable: true, preferLan: false, edgeUrl: 'http://192.168.0.10:8081', edgeReachable: true, lanToken: 'lan-jwt' };

describe('chooseCommandRoute', () => {
  it.each<[Partial<RouteFacts>, 'cloud' | 'lan']>([
    [{}, 'cloud'],
    [{ preferLan: true }, 'lan'],
    [{ cloudReachable: false }, 'lan'],
    [{ cloudReachable: false, lanToken: undefined }, 'cloud'],
    [{ cloudReachable: false, edgeUrl: undefined }, 'cloud'],
    [{ cloudReachable: false, edgeReachable: false }, 'cloud'],
    [{ cloudReachable: undefined, preferLan: false }, 'cloud'],
  ])('%j → %s', (p, via) => expect(chooseCommandRoute({ ...base, ...p }).via).toBe(via));

  it('a LAN route carries the edge address and the LAN token', () => {
    expect(chooseCommandRoute({ ...base, cloudReachable: false })).toEqual({ via: 'lan', edgeUrl: base.edgeUrl, lanToken: 'lan-jwt' });
  });
});

describe('command inputs', () => {
  it.each([
    ['', false],
    ['  a ', false],
    ['fix', true],
    ['기사 방문', true],
  ])('reason %j valid: %s', (r, ok) => expect(isReasonValid(r)).toBe(ok));
  it.each([
    ['5', 5000],
    ['0.5', undefined],
    ['301', undefined],
    ['abc', undefined],
    ['300', 300000],
  ])('pulse %s s → %s ms', (s, ms) => expect(pulseMs(s)).toBe(ms));
});
