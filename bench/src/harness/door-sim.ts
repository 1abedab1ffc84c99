import type { MqttClient } from 'mqtt';
import { deviceTopic, parseTopic } from '@cr/shared';
import { announce, connectDevice, publish, type DeviceAnnouncement } from './mqtt';
import { nowMs } from './wait';

/** When one door got its first `unlock` of a run and when its confirmation left (`nowMs()`). */
export interface DoorUnlock {
  doorId: string;
  receivedAt: number;
  confirmedAt: number;
}

/**
 * Doors as real locks behave, spread over a few MQTT connections: each announces its doors
 * (retained config, `online`, locked state), and on every `cmd` for one of them publishes
 * `cmd/result` `{ id, ok: true, ts }` and the door's new retained state. A pulse relocks (and says
 * so) after its duration. The first `unlock` each door gets is timed.
 */
export class DoorSim {
  readonly unlocks = new Map<string, DoorUnlock>();
  private readonly relocks = new Set<NodeJS.Timeout>();
  commands = 0;

  private constructor(
    private readonly siteId: string,
    private readonly clients: MqttClient[],
  ) {}

  static async start(url: string, siteId: string, doors: readonly DeviceAnnouncement[], connections: number, label: string): Promise<DoorSim> {
    const clients: MqttClient[] = [];
    try {
      for (let c = 0; c < connections; c++) clients.push(await connectDevice(url, `${label}-doors-${c}`));
    } catch (err) {
      for (const c of clients) c.end(true);
      throw err;
    }
    const sim = new DoorSim(siteId, clients);
    await Promise.all(
      clients.map(async (client, c) => {
        const mine = doors.filter((_, i) => i % connections === c);
        client.on('message', (topic, payload) => sim.onCommand(client, topic, payload));
        await client.subscribeAsync(mine.map((d) => deviceTopic(siteId, d.id, 'cmd')), { qos: 1 });
        await announce(client, siteId, mine);
        await Promise.all(mine.map((d) => publish(client, deviceTopic(siteId, d.id, 'state'), JSON.stringify({ locked: true, open: false, ts: Date.now() }), { retain: true })));
      }),
    );
    return sim;
  }

  private onCommand(client: MqttClient, topic: string, payload: Buffer): void {
    const receivedAt = nowMs();
    const t = parseTopic(topic);
    if (t?.kind !== 'device' || t.channel !== 'cmd') return;
    const doorId = t.deviceId;
    const cmd = JSON.parse(payload.toString()) as { id: string; action: string; durationMs?: number };
    this.commands++;
    const locked = cmd.action === 'lock';
    client.publish(deviceTopic(this.siteId, doorId, 'cmd/result'), JSON.stringify({ id: cmd.id, ok: true, ts: Date.now() }), { qos: 1 });
    client.publish(deviceTopic(this.siteId, doorId, 'state'), JSON.stringify({ locked, open: false, ts: Date.now() }), { qos: 1, retain: true });
    const confirmedAt = nowMs();
    if (cmd.action === 'pulse-unlock') {
      const t = setTimeout(() => {
        this.relocks.delete(t);
        client.publish(deviceTopic(this.siteId, doorId, 'state'), JSON.stringify({ locked: true, open: false, ts: Date.now() }), { qos: 1, retain: true });
      }, cmd.durationMs ?? 5000);
      this.relocks.add(t);
    }
    if (cmd.action === 'unlock' && !this.unlocks.has(doorId)) {
      this.unlocks.set(doorId, { doorId, receivedAt, confirmedAt });
    }
  }

  stop(): void {
    for (const t of this.relocks) clearTimeout(t);
    this.relocks.clear();
    for (const c of this.clients) c.end(true);
  }
}
