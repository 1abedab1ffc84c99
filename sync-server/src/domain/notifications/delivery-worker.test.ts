import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { SMTPServer } from 'smtp-server';
import { openDb } from '../../store/db';
import { createCloudLog } from '../../log';
import { NotificationOutboxStore } from '../../store/notification-outbox-store';
import { NotificationSetupStore } from '../../store/notification-setup-store';
import { sqlitePort } from '../../store/ports';
import type { ChannelTarget, NewNotification } from '../../store/notification-records';
import { eventually } from '../../testing/test-cloud';
import { startWebhookReceiver, type WebhookReceiver } from '../../testing/webhook-receiver';
import { ChannelSecrets } from './channel-secrets';
import { DeliveryWorker, type DeliveryTuning } from './delivery-worker';
import { EmailSender } from './email-sender';
import { SmsSender } from './sms-sender';
import { WebhookSender } from './webhook-sender';

const BODY = JSON.stringify({ alertId: 'gangnam.door-1.door.forced.1000', siteId: 'gangnam', type: 'door.forced', severity: 'critical', state: 'open', raisedAt: 1000 });
const cleanup: Array<() => Promise<void> | void> = [];
let alertStillOpen = true;
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
  alertStillOpen = true;
});

async function rig(target: ChannelTarget, tuning: Partial<DeliveryTuning>, senders: { smsUrl?: string; smtpUrl?: string } = {}) {
  const db = openDb(':memory:');
  const setup = sqlitePort(new NotificationSetupStore(db));
  const outbox = sqlitePort(new NotificationOutboxStore(db));
  const secrets = new ChannelSecrets(randomBytes(32));
  await setup.addChannel({ tenantId: 't1', id: 'ch1', target, sealedSecret: secrets.seal('t1', 'ch1', 'shh'), createdBy: 'a', createdAt: 0 });
  const email = senders.smtpUrl ? new EmailSender(senders.smtpUrl, 'alerts@control-room.test', 1_000) : undefined;
  const worker = new DeliveryWorker(
    {
      outbox,
      setup,
      secrets,
      senders: {
        webhook: new WebhookSender(300),
        ...(senders.smsUrl ? { sms: new SmsSender(senders.smsUrl, 'sms-key-1', 300) } : {}),
        ...(email ? { email } : {}),
      },
      instanceId: 'i1',
      soleInstance: true,
      gate: (n) => Promise.resolve(n.event === 'escalation' && !alertStillOpen ? { cancel: 'the alert was acknowledged or resolved in time' } : { send: true as const }),
      log: createCloudLog({ level: 'silent' }),
    },
    { pollMs: 20, retry: { baseDelayMs: 20, maxDelayMs: 40, jitter: 0, retryForMs: 60_000 }, ...tuning },
  );
  await worker.start();
  cleanup.push(async () => {
    await worker.close();
    email?.close();
    db.close();
  });
  const enqueue = async (i: number, over: Partial<NewNotification> = {}) => {
    const now = Date.now();
    await outbox.enqueue({ id: `n${i}`, tenantId: 't1', siteId: 'gangnam', alertId: `a${i}`, ruleId: 'r1', channelId: 'ch1', channelKind: target.kind, event: 'raised', body: BODY, queuedAt: now, nextAttemptAt: now, ...over });
    worker.kick();
  };
  return { outbox, worker, enqueue };
}

async function receiver(script: Parameters<typeof startWebhookReceiver>[0], fallback?: Parameters<typeof startWebhookReceiver>[1]): Promise<WebhookReceiver> {
  const r = await startWebhookReceiver(script, fallback);
  cleanup.push(() => r.close());
  return r;
}

describe('delivery worker', () => {
  it('skips an endpoint after consecutive failures and lets one probe through after the cool-down', async () => {
    const hook = await receiver([], 503);
    const coolDownMs = 600;
    const { outbox, worker, enqueue } = await rig({ kind: 'webhook', url: hook.url }, { breaker: { failureThreshold: 3, coolDownMs } });
    for (let i = 1; i <= 5; i++) await enqueue(i);
    await eventually(() => worker.endpointDown('ch1'), 3_000, 'breaker open');
    const opened = Date.now();
    const beforeProbe = hook.requests.length;
    expect(beforeProbe).toBeGreaterThanOrEqual(3);
    // Skipped, not attempted: no request reaches the dead endpoint during the cool-down.
    await new Promise((r) => setTimeout(r, coolDownMs / 2));
    expect(hook.requests.length).toBe(beforeProbe);
    // After it: exactly one probe, which fails and opens the breaker again.
    await eventually(() => hook.requests.length > beforeProbe, 3_000, 'probe');
    expect(hook.requests[beforeProbe]!.at - opened).toBeGreaterThanOrEqual(coolDownMs - 150);
    await new Promise((r) => setTimeout(r, 150));
    expect(hook.requests.length).toBe(beforeProbe + 1);
    expect(worker.endpointDown('ch1')).toBe(true);
    // The endpoint recovers: the next probe succeeds and every waiting notification is delivered.
    hook.fallback = 200;
    await eventually(async () => {
      const all = await Promise.all([1, 2, 3, 4, 5].map((i) => outbox.byId('t1', `n${i}`)));
      return all.every((n) => n?.status === 'delivered');
    }, 5_000, 'all delivered');
    expect(new Set(hook.requests.filter((r) => r.answer === 200).map((r) => r.headers['idempotency-key'])).size).toBe(5);
  });

  it('gives a notification up after its retry window (a dead letter) and delivers it when retried', async () => {
    const hook = await receiver([], 500);
    const { outbox, enqueue } = await rig({ kind: 'webhook', url: hook.url }, {
      retry: { baseDelayMs: 20, maxDelayMs: 40, jitter: 0, retryForMs: 200 },
      breaker: { failureThreshold: 1_000, coolDownMs: 1_000 },
    });
    await enqueue(1);
    const dead = await eventually(async () => (await outbox.deadLetters('t1'))[0], 5_000, 'dead letter');
    expect(dead).toMatchObject({ id: 'n1', status: 'dead', lastError: 'HTTP 500' });
    expect(dead.attempts).toBeGreaterThanOrEqual(3);
    const count = hook.requests.length;
    await new Promise((r) => setTimeout(r, 150));
    expect(hook.requests.length).toBe(count);
    hook.fallback = 200;
    expect(await outbox.retryDead('t1', 'n1', Date.now())).toBe(true);
    await eventually(async () => (await outbox.byId('t1', 'n1'))?.status === 'delivered', 5_000, 'delivered after retry');
    expect(new Set(hook.requests.map((r) => r.headers['idempotency-key']))).toEqual(new Set(['n1']));
  });

  it('sends an escalation only while the alert is still open', async () => {
    const hook = await receiver([]);
    const { outbox, enqueue } = await rig({ kind: 'webhook', url: hook.url }, {});
    await enqueue(1, { event: 'escalation' });
    await eventually(async () => (await outbox.byId('t1', 'n1'))?.status === 'delivered', 5_000, 'escalation sent');
    expect(hook.requests[0]!.headers['x-notification-event']).toBe('escalation');
    alertStillOpen = false;
    await enqueue(2, { event: 'escalation' });
    await eventually(async () => (await outbox.byId('t1', 'n2'))?.status === 'cancelled', 5_000, 'escalation cancelled');
    expect(hook.requests).toHaveLength(1);
  });

  it('sends text messages to the provider with its API key and the notification as idempotency key', async () => {
    const provider = await receiver([502]);
    const { outbox, enqueue } = await rig({ kind: 'sms', to: ['+821012345678'], provider: 'alimtalk' }, {}, { smsUrl: `${provider.url}/v1/messages` });
    await enqueue(1);
    await eventually(async () => (await outbox.byId('t1', 'n1'))?.status === 'delivered', 5_000, 'sms delivered');
    expect(provider.requests.map((r) => r.answer)).toEqual([502, 200]);
    for (const r of provider.requests) {
      expect(r.path).toBe('/v1/messages');
      expect(r.headers.authorization).toBe('Bearer sms-key-1');
      expect(r.headers['idempotency-key']).toBe('n1');
      const body = JSON.parse(r.raw) as { channel: string; to: string[]; text: string; reference: string };
      expect(body).toMatchObject({ channel: 'alimtalk', to: ['+821012345678'], reference: 'n1' });
      expect(body.text).toMatch(/\[critical\] door\.forced at gangnam/);
    }
  });

  it('sends e-mail through an SMTP relay, retrying a refused message', async () => {
    const mails: Array<{ from?: string; to: string[]; data: string }> = [];
    let refuse = 1;
    const smtp = new SMTPServer({
      authOptional: true,
      hideSTARTTLS: true,
      disableReverseLookup: true,
      onData(stream, session, callback) {
        let data = '';
        stream.on('data', (c: Buffer) => (data += c.toString('utf8')));
        stream.on('end', () => {
          if (refuse-- > 0) return callback(Object.assign(new Error('try again later'), { responseCode: 451 }));
          const from = session.envelope.mailFrom;
          mails.push({ from: from ? from.address : undefined, to: session.envelope.rcptTo.map((r) => r.address), data });
          callback();
        });
      },
    });
    await new Promise<void>((r) => smtp.listen(0, '127.0.0.1', () => r()));
    cleanup.push(() => new Promise<void>((r) => smtp.close(() => r())));
    const port = (smtp.server.address() as AddressInfo).port;
    const { outbox, enqueue } = await rig({ kind: 'email', to: ['ops@example.com', 'hq@example.com'] }, {}, { smtpUrl: `smtp://127.0.0.1:${port}` });
    await enqueue(1);
    await eventually(async () => (await outbox.byId('t1', 'n1'))?.status === 'delivered', 5_000, 'mail delivered');
    expect(mails).toHaveLength(1);
    expect(mails[0]).toMatchObject({ from: 'alerts@control-room.test', to: ['ops@example.com', 'hq@example.com'] });
    expect(mails[0]!.data).toMatch(/Subject: \[critical\] door\.forced at gangnam/);
    expect(mails[0]!.data).toMatch(/Message-ID: <n1@control-room>/i);
    const log = await outbox.attemptsOfAlert('t1', 'a1');
    expect(log.map((a) => a.statusCode)).toEqual([451, 250]);
  });
});
