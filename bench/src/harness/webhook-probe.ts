import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { login } from '@cr/demo/cloud-client';
import { waitFor } from './wait';

/**
 * A local webhook endpoint routed every critical alert of the tenant (CONTRACT §7): it notes, in
 * this machine's clock, when each alert's notification arrived.
 */
export class WebhookProbe {
  private readonly arrived = new Map<string, number>();
  private constructor(private readonly server: Server) {}

  static async start(cloudUrl: string): Promise<WebhookProbe> {
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const at = Date.now();
        try {
          const { alertId } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { alertId: string };
          if (!probe.arrived.has(alertId)) probe.arrived.set(alertId, at);
        } catch {
          // not a notification: answered all the same
        }
        res.writeHead(204).end();
      });
    });
    const probe = new WebhookProbe(server);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/alerts`;
    const admin = await login(cloudUrl, 'admin@demo.local');
    const post = async (path: string, body: unknown): Promise<{ id: string }> => {
      const res = await fetch(`${cloudUrl}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${admin}` },
        body: JSON.stringify(body),
      });
      if (res.status !== 201) throw new Error(`${path}: HTTP ${res.status} ${await res.text()}`);
      return (await res.json()) as { id: string };
    };
    const channel = await post('/api/v1/notifications/channels', { kind: 'webhook', url, secret: 'bench-webhook-secret' });
    await post('/api/v1/notifications/rules', { channelId: channel.id, minSeverity: 'critical' });
    return probe;
  }

  /** Milliseconds from the raise to the notification's arrival. */
  async latency(alarm: { id: string; raisedAt: number }, timeoutMs = 15_000): Promise<number> {
    await waitFor(`notification of ${alarm.id}`, () => this.arrived.has(alarm.id), timeoutMs, 5);
    return this.arrived.get(alarm.id)! - alarm.raisedAt;
  }

  close(): Promise<void> {
    return new Promise((r) => this.server.close(() => r()));
  }
}
