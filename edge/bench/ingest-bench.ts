/** Device events over MQTT, QoS 1: how many PUBACKs per second when each follows its commit. */
import { randomUUID } from 'node:crypto';
import mqtt from 'mqtt';
import { deviceTopic } from '@cr/shared';
import type { RunningEdge } from '../src/edge';

export async function mqttIngest(start: (site: string) => Promise<RunningEdge>, devices: number, seconds: number, inflightPerDevice = 4) {
  const site = `bench-${randomUUID().slice(0, 8)}`;
  const edge = await start(site);
  const clients = await Promise.all(Array.from({ length: devices }, (_, i) => mqtt.connectAsync(edge.mqttUrl, { clientId: `pir-${i}-${randomUUID()}` })));
  await Promise.all(clients.map((c, i) => c.publishAsync(deviceTopic(site, `pir-${i}`, 'config'), JSON.stringify({ id: `pir-${i}`, kind: 'pir', name: `PIR ${i}` }), { qos: 1, retain: true })));
  const depthBefore = edge.outbox.depth;
  const end = performance.now() + seconds * 1000;
  let acked = 0;
  await Promise.all(
    clients.flatMap((c, i) =>
      Array.from({ length: inflightPerDevice }, async () => {
        const topic = deviceTopic(site, `pir-${i}`, 'events');
        while (performance.now() < end) {
          await c.publishAsync(topic, JSON.stringify({ id: randomUUID(), type: 'motion', ts: Date.now() }), { qos: 1 });
          acked++;
        }
      }),
    ),
  );
  const stored = edge.outbox.depth - depthBefore;
  await Promise.all(clients.map((c) => c.endAsync()));
  await edge.stop();
  return { sync: edge.ctx.config.sqliteSync, devices, inflightPerDevice, ackedPerSec: Math.round(acked / seconds), acked, storedBeforeAck: stored >= acked };
}
