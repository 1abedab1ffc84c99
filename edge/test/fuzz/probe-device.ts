import { randomUUID } from 'node:crypto';
import mqtt, { type MqttClient } from 'mqtt';
import { waitFor } from '../support/wait';
import { PROBE } from './fuzz-site';

export interface ProbeAnswer {
  requestId: string;
  granted: boolean;
  reason: string;
  memberId?: string;
}

export interface ProbeCommand {
  id: string;
  action: string;
  at: number;
}

/**
 * The door `door-fz` and its reader `reader-fz` in `lobby`, as a real lock and reader would speak
 * to the edge. It lives through the whole run and records every command the door receives, so a
 * command the fuzz should never have caused (a forged or unauthorised unlock) shows up. Messages
 * carrying the forgery marker are left to SiteWatch.
 */
export class ProbeDevice {
  readonly commands: ProbeCommand[] = [];
  private readonly answers = new Map<string, ProbeAnswer>();

  private constructor(
    private readonly client: MqttClient,
    private readonly siteId: string,
    marker: string,
  ) {
    client.on('message', (topic, payload) => {
      const text = payload.toString('utf8');
      if (text.includes(marker)) return;
      const body = parse(text);
      if (!body) return;
      if (topic.endsWith('/access/response') && typeof body.requestId === 'string')
        this.answers.set(body.requestId, body as unknown as ProbeAnswer);
      if (topic.endsWith('/cmd') && typeof body.id === 'string') {
        this.commands.push({ id: body.id, action: String(body.action), at: Date.now() });
        // The lock confirms like a real one, so the edge's command bookkeeping stays honest.
        client.publish(
          this.topic(PROBE.doorId, 'cmd/result'),
          JSON.stringify({ id: body.id, ok: true, ts: Date.now() }),
          { qos: 1 },
        );
      }
    });
  }

  static async start(url: string, siteId: string, marker: string): Promise<ProbeDevice> {
    const client = await mqtt.connectAsync(url, {
      clientId: `fz-probe-${randomUUID()}`,
      reconnectPeriod: 300,
      resubscribe: true,
    });
    client.on('error', () => undefined);
    const probe = new ProbeDevice(client, siteId, marker);
    await client.subscribeAsync([probe.topic(PROBE.doorId, 'cmd'), probe.topic(PROBE.readerId, 'access/response')], {
      qos: 1,
    });
    return probe;
  }

  topic(deviceId: string, channel: string): string {
    return `cr/${this.siteId}/devices/${deviceId}/${channel}`;
  }

  /** Announces the door and the reader (QoS 1: acknowledged once the edge stored them). */
  async register(): Promise<void> {
    const { doorId, readerId, zoneId } = PROBE;
    await this.client.publishAsync(
      this.topic(doorId, 'config'),
      JSON.stringify({ id: doorId, kind: 'door', name: 'Fuzz door', zoneId }),
      { qos: 1, retain: true },
    );
    await this.client.publishAsync(
      this.topic(readerId, 'config'),
      JSON.stringify({ id: readerId, kind: 'reader', name: 'Fuzz reader', zoneId, doorId }),
      { qos: 1, retain: true },
    );
    for (const id of [doorId, readerId])
      await this.client.publishAsync(this.topic(id, 'availability'), 'online', { qos: 1, retain: true });
    await this.client.publishAsync(
      this.topic(doorId, 'state'),
      JSON.stringify({ locked: true, open: false, ts: Date.now() }),
      { qos: 1, retain: true },
    );
  }

  /** Swipes a card and waits for the edge's answer (undefined if none came within 5 s). */
  async swipe(card: string): Promise<ProbeAnswer | undefined> {
    const requestId = randomUUID();
    await this.client.publishAsync(
      this.topic(PROBE.readerId, 'access/request'),
      JSON.stringify({ requestId, credential: { type: 'card', value: card }, ts: Date.now() }),
      { qos: 1 },
    );
    return waitFor(() => this.answers.get(requestId), `answer to ${card}`).catch(() => undefined);
  }

  /** A fresh, valid event from the door; resolves with its id once the edge acknowledged (committed) it. */
  async event(type = 'motion'): Promise<string> {
    const id = randomUUID();
    await this.client.publishAsync(this.topic(PROBE.doorId, 'events'), JSON.stringify({ id, type, ts: Date.now() }), {
      qos: 1,
    });
    return id;
  }

  async close(): Promise<void> {
    await this.client.endAsync(true);
  }
}

function parse(text: string): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(text);
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
