import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findUnresolved } from '@cr/shared';
import { startScenario, testMembers, type Scenario } from './support/scenario';
import { waitFor } from './support/wait';

const PIN = '731904';

/** The attacker at the keypad: wrong PINs until the right one, over MQTT as a reader sends them. */
describe('PIN guessing at a reader', () => {
  let s: Scenario;
  let readerId: string;
  let doorId: string;

  beforeEach(async () => {
    const pinMember = {
      id: 'm-pin',
      active: true,
      secureMode: false,
      offlineWhitelist: false,
      credentials: [{ type: 'pin' as const, value: PIN }],
      grants: [{ zoneIds: ['lobby'] }],
    };
    s = await startScenario({ members: [...testMembers(), pinMember] });
    ({ readerId, doorId } = await s.devices.doorWithReader('lobby'));
    await waitFor(() => s.edge.ctx.registry.doorOfReader(readerId), 'reader bound to its door');
  });
  afterEach(() => s.close());

  it('refuses even the right PIN after five wrong ones, keeps the door shut, alerts, and lets cards in', async () => {
    for (let k = 0; k < 5; k++)
      expect(await s.devices.swipe(readerId, `00000${k}`, 'pin')).toMatchObject({
        granted: false,
        reason: 'unknown-credential',
      });

    expect(await s.devices.swipe(readerId, PIN, 'pin')).toMatchObject({ granted: false, reason: 'throttled' });
    expect(s.devices.commandsFor(doorId).some((c) => c.action === 'pulse-unlock')).toBe(false);

    const [alert] = await waitFor(() => {
      const open = findUnresolved(s.edge.doc, { type: 'pin-throttled' });
      return open.length ? open : undefined;
    }, 'pin-throttled alert');
    expect(alert).toMatchObject({ deviceId: readerId });
    expect(JSON.stringify(alert)).not.toContain('00000');

    expect(await s.devices.swipe(readerId, 'card-ok')).toMatchObject({ granted: true });
    const throttled = await waitFor(
      () => [...s.cloud.events.values()].find((e) => e.type === 'access.denied' && e.data?.reason === 'throttled'),
      'throttled decision uploaded',
    );
    expect(throttled.deviceId).toBe(readerId);
  });
});
