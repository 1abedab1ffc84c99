import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import mqtt from 'mqtt';
import { deviceTopic } from '@cr/shared';
import { FakeCloud } from './support/fake-cloud';
import { spawnEdge, type ChildEdge } from './support/child-edge';
import { tempDir, uniqueSite } from './support/test-edge';
import { waitFor } from './support/wait';

describe('outbox durability across kill -9', () => {
  let child: ChildEdge | undefined;
  let cloud: FakeCloud | undefined;
  afterEach(async () => {
    child?.proc.kill('SIGKILL');
    await cloud?.close();
  });

  it('keeps every acknowledged event through a kill mid-stream and uploads each exactly once after restart', async () => {
    const site = uniqueSite('crash');
    const data = tempDir();
    cloud = await FakeCloud.start();
    cloud.ack = false; // batches reach the cloud but are never acknowledged before the crash
    const token = await cloud.edgeToken(site);
    const args = ['--site', site, '--mqtt-port', '0', '--http-port', '0', '--data', data, '--cloud', cloud.url, '--token', token, '--reconnect-min-ms', '50', '--batch-size', '100'];
    child = await spawnEdge(args);
    const device = await mqtt.connectAsync(child.mqttUrl, { clientId: `door-${randomUUID()}`, reconnectPeriod: 0 });
    device.on('error', () => undefined);
    const topic = deviceTopic(site, 'door-1', 'events');
    const published: string[] = [];
    const acked: string[] = [];
    let killed = false;
    // Publish continuously; kill -9 the edge once a few hundred events were acknowledged and
    // unacknowledged batches already reached the cloud (so the restart re-sends what it has).
    const pump = (async () => {
      while (!killed) {
        const id = randomUUID();
        published.push(id);
        device.publishAsync(topic, JSON.stringify({ id, type: 'motion', ts: Date.now() }), { qos: 1 }).then(
          () => acked.push(id),
          () => undefined,
        );
        if (published.length % 20 === 0) await new Promise((r) => setImmediate(r));
      }
    })();
    await waitFor(() => acked.length >= 400 && cloud!.events.size > 0, '400 acknowledged events, some of them uploaded', 15_000);
    child.proc.kill('SIGKILL');
    await child.exited;
    killed = true;
    await pump;
    device.end(true);
    const ackedAtKill = [...acked];
    expect(cloud.events.size).toBeGreaterThan(0);

    cloud.ack = true;
    child = await spawnEdge(args);
    await waitFor(() => ackedAtKill.every((id) => cloud!.events.has(id)), 'every acknowledged event in the cloud', 15_000);
    const health = await waitFor(async () => {
      const h = (await (await fetch(`${child!.httpUrl}/health`)).json()) as { outboxDepth: number; cloud: string };
      return h.outboxDepth === 0 && h.cloud === 'connected' ? h : undefined;
    }, 'outbox drained');
    expect(health.outboxDepth).toBe(0);
    // Exactly once, in publication order, nothing invented.
    const motion = cloud.order.filter((id) => cloud!.events.get(id)?.type === 'motion');
    expect(new Set(motion).size).toBe(motion.length);
    const position = new Map(published.map((id, i) => [id, i]));
    expect(motion.every((id) => position.has(id))).toBe(true);
    const indices = motion.map((id) => position.get(id)!);
    expect(indices).toEqual([...indices].sort((a, b) => a - b));
  });

  it('flushes and exits 0 on SIGTERM', async () => {
    child = await spawnEdge(['--site', uniqueSite('term'), '--mqtt-port', '0', '--http-port', '0', '--data', tempDir()]);
    child.proc.kill('SIGTERM');
    expect(await child.exited).toEqual({ code: 0, signal: null });
  });
});
