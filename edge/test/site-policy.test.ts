import { afterEach, describe, expect, it } from 'vitest';
import { startScenario, type Scenario } from './support/scenario';
import { waitFor } from './support/wait';

const EVERY_DAY = [0, 1, 2, 3, 4, 5, 6];
/** Secure mode all day, every day (site local time). */
const alwaysSecure = { access: { secureModeSchedule: [{ days: EVERY_DAY, start: '00:00', end: '23:59' }] } };
const closedEveryDay = { openingHours: { mon: [], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] } };

/** CONTRACT.md §9 in the access decision: the policy the cloud sends decides at the door, from memory. */
describe('site policy at the door', () => {
  let s: Scenario | undefined;
  afterEach(async () => {
    await s?.close();
    s = undefined;
  });

  const apply = async (version: number, body: unknown) => {
    s!.cloud.broadcast({ type: 'policy', policyId: 'p-1', version, body } as never);
    await waitFor(() => s!.edge.ctx.policy.version === version || undefined, `policy v${version} applied`);
  };

  it("a secure-mode schedule turns away members without secureMode, admits those with it, and ends with the schedule", async () => {
    s = await startScenario();
    const { readerId } = await s.devices.doorWithReader('lobby');
    await waitFor(() => s!.edge.ctx.registry.doorOfReader(readerId), 'reader registered');
    expect(await s.devices.swipe(readerId, 'card-ok')).toMatchObject({ granted: true });
    await apply(1, alwaysSecure);
    expect(await s.devices.swipe(readerId, 'card-ok')).toMatchObject({ granted: false, reason: 'site-mode' });
    expect(await s.devices.swipe(readerId, 'card-night')).toMatchObject({ granted: true });
    // The schedule only tightens: the site's own mode stays normal, nothing else changed.
    expect(s.edge.ctx.modes.mode).toBe('normal');
    await apply(2, {});
    expect(await s.devices.swipe(readerId, 'card-ok')).toMatchObject({ granted: true });
  });

  it('a closed site denies with site-closed; a version the edge cannot read leaves the closed one in force', async () => {
    s = await startScenario();
    const { readerId } = await s.devices.doorWithReader('lobby');
    await waitFor(() => s!.edge.ctx.registry.doorOfReader(readerId), 'reader registered');
    await apply(1, closedEveryDay);
    expect(await s.devices.swipe(readerId, 'card-ok')).toMatchObject({ granted: false, reason: 'site-closed' });
    s.cloud.broadcast({ type: 'policy', policyId: 'p-1', version: 2, body: { openingHours: { mon: [['9', '18']] } } } as never);
    const refusal = await waitFor(() => s!.cloud.received.find((m) => m.type === 'policy.refused' && m.version === 2), 'refusal reported');
    expect(refusal).toMatchObject({ policyId: 'p-1', error: expect.stringContaining('openingHours.mon') });
    expect(s.edge.ctx.policy.version).toBe(1);
    expect(await s.devices.swipe(readerId, 'card-ok')).toMatchObject({ granted: false, reason: 'site-closed' });
  });
});
