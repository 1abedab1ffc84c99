import { afterEach, describe, expect, it } from 'vitest';
import { findUnresolved } from '@cr/shared';
import { startTestEdge, uniqueSite } from './support/test-edge';
import { TestDevices } from './support/device';
import { waitFor } from './support/wait';
import type { RunningEdge } from '../src/edge';

describe('outbox pressure', () => {
  let edge: RunningEdge;
  let devices: TestDevices;
  afterEach(async () => {
    await devices.close();
    await edge.stop();
  });

  it('raises outbox-pressure at 80 % and counts (never hides) events refused when full', async () => {
    const site = uniqueSite();
    edge = await startTestEdge({ site, flags: ['--outbox-max-events', '10'] });
    devices = await TestDevices.connect(edge.mqttUrl, site);
    await devices.config({ id: 'pir-1', kind: 'pir', name: 'PIR' });
    await waitFor(() => edge.ctx.registry.get('pir-1'), 'registered');
    for (let i = 0; i < 8; i++) await devices.event('pir-1', 'motion');
    await waitFor(() => findUnresolved(edge.doc, { type: 'outbox-pressure' }).length === 1, 'pressure alert', 3_000);
    for (let i = 0; i < 5; i++) await devices.event('pir-1', 'motion');
    const metrics = await waitFor(async () => {
      const text = await (await fetch(`${edge.httpUrl}/metrics`)).text();
      return /edge_outbox_refused_total \d+/.exec(text)?.[0];
    }, 'refused counter');
    expect(metrics).not.toBe('edge_outbox_refused_total 0');
    expect(edge.outbox.depth).toBe(10);
  });
});
