import mqtt, { type MqttClient } from 'mqtt';
import type { MqttPublishInput } from './mqtt-inputs';
import type { RawMqttInput } from './mqtt-frames';
import { exchange } from './raw-socket';
import { preview, type FuzzStats } from './stats';
import type { EdgeTarget } from './target';
import { EdgeGone, untilUp } from './up';

const PUBLISH_TIMEOUT_MS = 10_000;
/** CONNACK, length 2, no session, return code 0 (latin1) */
const CONNACK_OK = String.fromCharCode(0x20, 0x02, 0x00, 0x00);

/**
 * One fuzz device connection: publishes its share of the inputs one after another (QoS 1 waits
 * for the PUBACK, which the edge sends only after handling the message). When the broker drops it
 * for a protocol violation it counts the disconnect and reconnects under a new client id.
 */
export class MqttLane {
  private client?: MqttClient;
  private closed?: Promise<'closed'>;
  private generation = 0;

  constructor(
    private readonly target: EdgeTarget,
    private readonly stats: FuzzStats,
    private readonly name: string,
  ) {}

  private async connect(): Promise<MqttClient> {
    for (;;) {
      await untilUp(this.target);
      try {
        const client = await mqtt.connectAsync(this.target.mqttUrl, {
          clientId: `fz-${this.name}-${this.generation++}`,
          reconnectPeriod: 0,
          connectTimeout: 5_000,
          keepalive: 60,
        });
        client.on('error', () => undefined);
        this.closed = new Promise((resolve) =>
          client.once('close', () => {
            if (this.client === client) {
              this.client = undefined;
              this.stats.clientDisconnects++;
            }
            client.end(true);
            resolve('closed');
          }),
        );
        this.client = client;
        return client;
      } catch {
        if (this.target.gaveUp) throw new EdgeGone();
      }
    }
  }

  async send(input: MqttPublishInput): Promise<void> {
    // mqtt.js cannot encode these (and then stalls the connection): they are never sent, nor counted.
    if (input.topic === '' || Buffer.byteLength(input.topic) > 0xffff)
      return this.stats.outcome('mqtt', 'not-encodable');
    const client = this.client ?? (await this.connect());
    const closed = this.closed!;
    this.stats.count('mqtt', input.kind);
    this.stats.mqttPublishes++;
    if (input.forged) this.stats.forgedSent++;
    this.stats.note(
      'mqtt',
      `${input.kind} q${input.qos}${input.retain ? ' retained' : ''} ${preview(input.topic, 120)} ${preview(input.payload)}`,
    );
    let timer: NodeJS.Timeout | undefined;
    const acked = new Promise<string>((resolve) => {
      try {
        client.publish(input.topic, input.payload, { qos: input.qos, retain: input.retain }, (err) =>
          resolve(err ? 'error' : 'ok'),
        );
      } catch {
        resolve('refused-by-client');
      }
    });
    const timeout = new Promise<string>(
      (resolve) => (timer = setTimeout(() => resolve('timeout'), PUBLISH_TIMEOUT_MS)),
    );
    const outcome = await Promise.race([acked, closed, timeout]);
    clearTimeout(timer);
    this.stats.outcome('mqtt', outcome);
    if (outcome === 'refused-by-client') return this.close();
    if (outcome !== 'timeout') return;
    this.stats.find(
      'mqtt',
      `no PUBACK within ${PUBLISH_TIMEOUT_MS} ms`,
      `${input.kind} ${preview(input.topic, 120)} ${preview(input.payload)}`,
    );
    // A connection that lost an acknowledgement is suspect: the next inputs get a fresh one.
    await this.close();
  }

  async close(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    await client?.endAsync(true).catch(() => undefined);
  }
}

/** One raw TCP connection of garbage MQTT; a forged will waits for its CONNACK, then the socket is reset so the will fires. */
export async function sendRawMqtt(target: EdgeTarget, stats: FuzzStats, input: RawMqttInput): Promise<void> {
  await untilUp(target);
  stats.count('mqtt', `raw:${input.kind}`);
  if (input.forged) stats.forgedSent++;
  stats.note('mqtt-raw', `${input.kind} ${preview(Buffer.concat(input.chunks), 200)}`);
  const r = await exchange(
    target.mqttPort,
    input.chunks,
    input.abrupt ? { waitMs: 1_000, until: (reply) => reply.startsWith(CONNACK_OK) } : { waitMs: 100 },
  );
  stats.outcome('mqtt', r.refused ? 'raw-refused' : r.closedByServer ? 'raw-closed-by-broker' : 'raw-left-open');
}
