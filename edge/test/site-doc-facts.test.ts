import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startScenario, type Scenario } from './support/scenario';
import { waitFor } from './support/wait';

describe('what a console writes into the site document never stops a decision', () => {
  let s: Scenario;
  let readerId: string;
  beforeAll(async () => {
    s = await startScenario();
    ({ readerId } = await s.devices.doorWithReader('lobby'));
    await waitFor(() => s.edge.ctx.registry.doorOfReader(readerId), 'reader registered');
  });
  afterAll(() => s.close());

  it.each([['Not/AZone'], ['${x}'], [12]])('decides a member with a schedule while the document says the time zone is %j', async (zone) => {
    s.edge.doc.getMap('meta').set('timezone', zone);
    expect(await s.devices.swipe(readerId, 'card-ok')).toMatchObject({ granted: true, reason: 'granted' });
    expect(await s.devices.swipe(readerId, 'card-sched')).toMatchObject({ granted: false, reason: 'outside-schedule' });
  });
});
