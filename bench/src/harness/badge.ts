import type { MqttClient } from 'mqtt';
import { deviceChannelFilter, deviceTopic } from '@cr/shared';
import { nowMs, sleep } from './wait';
import { subscribe } from './mqtt';
import { summarize, type Summary } from '../stats';

export interface BadgeStep {
  rate: number;
  seconds: number;
  sent: number;
  answered: number;
  granted: number;
  achievedRate: number;
  /** request published → response received (ms) */
  latency: Summary;
  /** the answers' reasons, counted */
  reasons: Record<string, number>;
}

/** Readers of one site on one device connection: requests by id, answers matched as they come back. */
export class Badger {
  private readonly pending = new Map<string, (at: number, granted: boolean, reason: string) => void>();

  private constructor(
    private readonly client: MqttClient,
    private readonly siteId: string,
  ) {
    client.on('message', (_topic, payload) => {
      const at = nowMs();
      const r = JSON.parse(payload.toString()) as { requestId: string; granted: boolean; reason: string };
      this.pending.get(r.requestId)?.(at, r.granted, r.reason);
      this.pending.delete(r.requestId);
    });
  }

  static async on(client: MqttClient, siteId: string): Promise<Badger> {
    await subscribe(client, deviceChannelFilter(siteId, 'access/response'));
    return new Badger(client, siteId);
  }

  /**
   * Readers badging `card(n)` at `rate` requests/s for `seconds`, open loop: requests leave on
   * schedule whether or not earlier ones were answered.
   */
  async run(readers: readonly string[], card: (n: number) => string, rate: number, seconds: number, tag: string): Promise<BadgeStep> {
    const latencies: number[] = [];
    const reasons: Record<string, number> = {};
    let granted = 0;
    const total = Math.round(rate * seconds);
    const started = nowMs();
    let sent = 0;
    while (sent < total) {
      const due = Math.min(total, Math.floor(((nowMs() - started) / 1000) * rate) + 1);
      for (; sent < due; sent++) {
        const requestId = `${tag}-${sent}`;
        const at = nowMs();
        this.pending.set(requestId, (done, ok, reason) => {
          latencies.push(done - at);
          reasons[reason] = (reasons[reason] ?? 0) + 1;
          if (ok) granted++;
        });
        const reader = readers[sent % readers.length]!;
        this.client.publish(deviceTopic(this.siteId, reader, 'access/request'), JSON.stringify({ requestId, credential: { type: 'card', value: card(sent) }, ts: Date.now() }), { qos: 1 });
      }
      await sleep(Math.max(0, started + (sent / rate) * 1000 - nowMs()));
    }
    const elapsed = (nowMs() - started) / 1000;
    const deadline = Date.now() + 2000;
    while (latencies.length < total && Date.now() < deadline) await sleep(10);
    for (let i = 0; i < total; i++) this.pending.delete(`${tag}-${i}`);
    return { rate, seconds, sent, answered: latencies.length, granted, achievedRate: sent / elapsed, latency: summarize(latencies), reasons };
  }
}

/** The demo cards card-0001…card-0100 in turn (every demo member may enter every demo zone). */
export const demoCard = (n: number): string => `card-${String((n % 100) + 1).padStart(4, '0')}`;
