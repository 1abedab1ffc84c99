import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import mqtt from 'mqtt';
import { afterEach, describe, expect, it } from 'vitest';
import { deviceTopic } from '@cr/shared';
import type { RunningEdge } from '../src/edge';
import { startTestEdge, tempDir, uniqueSite } from './support/test-edge';

describe('device acknowledgements follow the commit', () => {
  let edge: RunningEdge | undefined;
  afterEach(() => edge?.stop());

  async function setup() {
    const site = uniqueSite('ack');
    const dir = tempDir();
    edge = await startTestEdge({ site, dataDir: dir });
    const reader = new Database(join(dir, 'edge.sqlite'));
    const device = await mqtt.connectAsync(edge.mqttUrl, { clientId: `pir-${randomUUID()}`, reconnectPeriod: 0 });
    device.on('error', () => undefined);
    return { site, reader, device };
  }

  it('has the event on disk (seen from another connection) when the PUBACK arrives', async () => {
    const { site, reader, device } = await setup();
    const ids = Array.from({ length: 20 }, () => randomUUID());
    const onDisk = await Promise.all(
      ids.map(async (id) => {
        await device.publishAsync(deviceTopic(site, 'pir-1', 'events'), JSON.stringify({ id, type: 'motion', ts: Date.now() }), { qos: 1 });
        return reader.prepare("SELECT COUNT(*) AS n FROM outbox WHERE json_extract(body, '$.id') = ?").get(id) as { n: number };
      }),
    );
    expect(onDisk.map((r) => r.n)).toEqual(ids.map(() => 1));
    await device.endAsync();
    reader.close();
  });

  it('never acknowledges an event it could not store', async () => {
    const { site, reader, device } = await setup();
    reader.exec("CREATE TRIGGER refuse BEFORE INSERT ON outbox BEGIN SELECT RAISE(ABORT, 'disk full'); END");
    const closed = new Promise<void>((resolve) => device.once('close', () => resolve()));
    let acknowledged = false;
    device.publishAsync(deviceTopic(site, 'pir-1', 'events'), JSON.stringify({ id: randomUUID(), type: 'motion', ts: Date.now() }), { qos: 1 }).then(
      () => (acknowledged = true),
      () => undefined,
    );
    // The broker drops the connection instead of acknowledging (a PUBACK would have come first on
    // the same socket): the device keeps the event to resend.
    await closed;
    await new Promise((r) => setImmediate(r));
    expect(acknowledged).toBe(false);
    // Not lost either: held in memory until the disk takes it.
    expect(edge!.outbox.heldInMemory).toBe(1);
    expect(edge!.outbox.failed).toBe(0);
    device.end(true);
    reader.close();
  });
});
