import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { acknowledgeAlert, raiseAlert } from '@cr/shared';
import { remoteChangesBetween, stateVectorOf } from './merge-count';

describe('remoteChangesBetween', () => {
  it('counts what other replicas did while we were apart, not our own work', () => {
    const laptop = new Y.Doc();
    const hq = new Y.Doc();
    raiseAlert(hq, { id: 'a1', siteId: 'gangnam', type: 'door.forced', severity: 'critical', raisedAt: 1, source: 'edge' });
    Y.applyUpdate(laptop, Y.encodeStateAsUpdate(hq));
    const before = stateVectorOf(laptop);
    acknowledgeAlert(laptop, 'a1', { by: 'manager', at: 2, where: 'lan' });
    acknowledgeAlert(hq, 'a1', { by: 'hq', at: 3, where: 'hq' });
    acknowledgeAlert(hq, 'a1', { by: 'hq2', at: 4, where: 'hq' });
    Y.applyUpdate(laptop, Y.encodeStateAsUpdate(hq, Y.encodeStateVector(laptop)));
    expect(remoteChangesBetween(before, stateVectorOf(laptop), laptop.clientID)).toBe(2);
  });
  it('is zero when nothing arrived', () => {
    const d = new Y.Doc();
    const sv = stateVectorOf(d);
    expect(remoteChangesBetween(sv, sv, d.clientID)).toBe(0);
  });
});
