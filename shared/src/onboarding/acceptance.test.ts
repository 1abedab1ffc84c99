import { describe, expect, it } from 'vitest';
import { readyToGoLive, remoteDoorTestOf, testAlarmOf, testSwipeOf, type ReportedEvent } from './acceptance';

const T = 1_000_000;
const executed = (ts: number, doorId: string, action: string, by = 'HQ Kim'): ReportedEvent => ({
  type: 'command.executed',
  ts,
  deviceId: doorId,
  data: { target: { kind: 'door', doorId, action }, issuerName: by },
});

describe('acceptance checks', () => {
  it('a test swipe is the test member granted since the test began (at the named reader, when named)', () => {
    const granted = (ts: number, memberId: string, deviceId = 'reader-lobby'): ReportedEvent => ({ type: 'access.granted', ts, deviceId, data: { memberId } });
    expect(testSwipeOf([granted(T - 1, 'm')], 'm', T)).toBeUndefined();
    expect(testSwipeOf([granted(T, 'someone-else')], 'm', T)).toBeUndefined();
    expect(testSwipeOf([{ type: 'access.denied', ts: T, data: { memberId: 'm' } }], 'm', T)).toBeUndefined();
    expect(testSwipeOf([granted(T, 'm', 'reader-office')], 'm', T, 'reader-lobby')).toBeUndefined();
    expect(testSwipeOf([granted(T, 'm')], 'm', T, 'reader-lobby')).toMatchObject({ ts: T });
  });

  it('a remote door test is an unlock then a lock of the same door, both executed since the test began', () => {
    expect(remoteDoorTestOf([executed(T, 'door-a', 'unlock')], T)).toBeUndefined();
    expect(remoteDoorTestOf([executed(T, 'door-a', 'lock'), executed(T + 1, 'door-a', 'unlock')], T)).toBeUndefined();
    expect(remoteDoorTestOf([executed(T - 5, 'door-a', 'unlock'), executed(T + 1, 'door-a', 'lock')], T)).toBeUndefined();
    expect(remoteDoorTestOf([executed(T, 'door-a', 'unlock'), executed(T + 1, 'door-b', 'lock')], T)).toBeUndefined();
    expect(remoteDoorTestOf([executed(T + 1, 'door-a', 'lock'), executed(T, 'door-a', 'unlock')], T)).toEqual({ doorId: 'door-a', by: 'HQ Kim' });
    expect(remoteDoorTestOf([{ type: 'command.failed', ts: T, data: { target: { kind: 'door', doorId: 'door-a', action: 'unlock' } } }, executed(T + 1, 'door-a', 'lock')], T)).toBeUndefined();
  });

  it('a test alarm is one a person trips, not the link or the gateway on its own', () => {
    const alert = (type: string, raisedAt = T) => ({ id: type, type, raisedAt });
    for (const type of ['site.offline', 'cache-stale', 'clock-skew', 'presence.after-hours']) expect(testAlarmOf([alert(type)], T), type).toBeUndefined();
    expect(testAlarmOf([alert('door.forced', T - 1)], T)).toBeUndefined();
    for (const type of ['door.forced', 'fire.alarm', 'tamper']) expect(testAlarmOf([alert(type)], T)?.type).toBe(type);
  });

  it('go live needs every check passed', () => {
    expect(readyToGoLive({})).toBe(false);
    expect(readyToGoLive({ 'test-card': true, 'remote-door': true })).toBe(false);
    expect(readyToGoLive({ 'test-card': true, 'remote-door': true, 'test-alarm': false })).toBe(false);
    expect(readyToGoLive({ 'test-card': true, 'remote-door': true, 'test-alarm': true })).toBe(true);
  });
});
