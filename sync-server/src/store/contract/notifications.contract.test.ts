import { expect, it } from 'vitest';
import { describeBackends, type Backend } from './backends';
import { NotificationSetupStore } from '../notification-setup-store';
import { NotificationOutboxStore } from '../notification-outbox-store';
import { PgNotificationSetupStore } from '../postgres/pg-notification-setup-store';
import { PgNotificationOutboxStore } from '../postgres/pg-notification-outbox-store';
import { sqlitePort, type NotificationOutboxPort, type NotificationSetupPort } from '../ports';
import type { ChannelRecord, NewNotification, RuleRecord } from '../notification-records';

const storesOf = (b: Backend): { setup: NotificationSetupPort; outbox: NotificationOutboxPort } =>
  b.kind === 'sqlite'
    ? { setup: sqlitePort(new NotificationSetupStore(b.db)), outbox: sqlitePort(new NotificationOutboxStore(b.db)) }
    : { setup: new PgNotificationSetupStore(b.pg), outbox: new PgNotificationOutboxStore(b.pg) };

const channel = (id: string, over: Partial<ChannelRecord> = {}): ChannelRecord => ({
  tenantId: 't1',
  id,
  target: { kind: 'webhook', url: 'https://hooks.example/alerts' },
  sealedSecret: Buffer.from([1, 2, 3, 250]),
  secretHint: 'sha256:0a1b',
  createdBy: 'admin',
  createdAt: 1000,
  ...over,
});

const rule = (id: string, over: Partial<RuleRecord> = {}): RuleRecord => ({
  tenantId: 't1',
  id,
  channelId: 'ch1',
  notifyResolved: false,
  createdBy: 'admin',
  createdAt: 2000,
  ...over,
});

const note = (id: string, over: Partial<NewNotification> = {}): NewNotification => ({
  id,
  tenantId: 't1',
  siteId: 'gangnam',
  alertId: 'gangnam|door-1|door.forced|5000',
  ruleId: 'r1',
  channelId: 'ch1',
  channelKind: 'webhook',
  event: 'raised',
  body: '{"alertId":"a"}',
  queuedAt: 5000,
  nextAttemptAt: 5000,
  ...over,
});

describeBackends('notification setup store', (current) => {
  it('keeps channels per tenant, and removing one removes its rules', async () => {
    const { setup } = storesOf(current());
    await setup.addChannel(channel('ch1'));
    const mail = channel('ch2', { target: { kind: 'email', to: ['ops@example.com'] }, sealedSecret: undefined, secretHint: undefined, createdAt: 1500 });
    await setup.addChannel(mail);
    await setup.addChannel(channel('ch1', { tenantId: 't2' }));
    expect(await setup.channel('t1', 'ch1')).toEqual(channel('ch1'));
    expect(await setup.channels('t1')).toEqual([channel('ch1'), mail]);
    expect(await setup.channel('t3', 'ch1')).toBeUndefined();
    await expect(setup.addChannel(channel('ch1'))).rejects.toThrow();
    expect(await setup.addRule(rule('r1'))).toBe(true);
    expect(await setup.addRule(rule('r2', { channelId: 'ch2' }))).toBe(true);
    expect(await setup.removeChannel('t1', 'ch1')).toBe(true);
    expect(await setup.removeChannel('t1', 'ch1')).toBe(false);
    expect((await setup.rules('t1')).map((r) => r.id)).toEqual(['r2']);
    expect(await setup.channel('t2', 'ch1')).toEqual(channel('ch1', { tenantId: 't2' }));
  });

  it('adds a rule only to a channel of the same tenant, and returns it as added', async () => {
    const { setup } = storesOf(current());
    await setup.addChannel(channel('ch1', { tenantId: 't2' }));
    expect(await setup.addRule(rule('r1'))).toBe(false);
    await setup.addChannel(channel('ch1'));
    const full = rule('r1', { siteIds: ['gangnam'], categories: ['security', 'safety'], minSeverity: 'major', escalateAfterMin: 10, notifyResolved: true });
    expect(await setup.addRule(full)).toBe(true);
    expect(await setup.addRule(rule('r0', { createdAt: 1 }))).toBe(true);
    expect(await setup.rules('t1')).toEqual([rule('r0', { createdAt: 1 }), full]);
    expect(await setup.rules('t2')).toEqual([]);
    expect(await setup.removeRule('t2', 'r1')).toBe(false);
    expect(await setup.removeRule('t1', 'r1')).toBe(true);
    expect((await setup.rules('t1')).map((r) => r.id)).toEqual(['r0']);
  });
});

describeBackends('notification outbox store', (current) => {
  it('enqueues one notification per (rule, alert, event), however often it is asked', async () => {
    const { outbox } = storesOf(current());
    expect(await outbox.enqueue(note('n1'))).toBe(true);
    expect(await outbox.enqueue(note('n1'))).toBe(false);
    // Another instance computing the same notification under another id: still one.
    expect(await outbox.enqueue(note('n1-other'))).toBe(false);
    expect(await outbox.enqueue(note('n2', { event: 'escalation' }))).toBe(true);
    expect(await outbox.enqueue(note('n3', { tenantId: 't2' }))).toBe(true);
    expect(await outbox.enqueueAfter(note('n4', { event: 'resolved', alertId: 'other' }), 'raised')).toBe(false);
    expect(await outbox.enqueueAfter(note('n4', { event: 'resolved' }), 'raised')).toBe(true);
    expect(await outbox.enqueueAfter(note('n4b', { event: 'resolved' }), 'raised')).toBe(false);
    const list = await outbox.ofAlert('t1', note('x').alertId);
    expect(list.map((n) => [n.id, n.event, n.status, n.attempts])).toEqual([
      ['n1', 'raised', 'pending', 0],
      ['n2', 'escalation', 'pending', 0],
      ['n4', 'resolved', 'pending', 0],
    ]);
    expect(await outbox.byId('t2', 'n1')).toBeUndefined();
  });

  it('claims due rows once until the claim runs out, and frees claims on request', async () => {
    const { outbox } = storesOf(current());
    await outbox.enqueue(note('n1', { nextAttemptAt: 100 }));
    await outbox.enqueue(note('n2', { alertId: 'a2', nextAttemptAt: 200 }));
    await outbox.enqueue(note('n3', { alertId: 'a3', nextAttemptAt: 9000 }));
    expect((await outbox.claim('i1', 1000, 500, 10)).map((n) => n.id)).toEqual(['n1', 'n2']);
    expect(await outbox.claim('i2', 1400, 500, 10)).toEqual([]);
    // The claimer died: after its lease another instance takes the rows over.
    expect((await outbox.claim('i2', 1500, 500, 1)).map((n) => n.id)).toEqual(['n1']);
    expect(await outbox.releaseClaims('i1')).toBe(1);
    expect((await outbox.claim('i3', 1600, 500, 10)).map((n) => n.id)).toEqual(['n2']);
    expect(await outbox.releaseClaims()).toBe(2);
    await outbox.defer('n1', 5000);
    expect((await outbox.claim('i4', 1700, 500, 10)).map((n) => n.id)).toEqual(['n2']);
    // n2's claim ran out unsettled: it is due again, before n1.
    expect((await outbox.claim('i4', 5000, 500, 10)).map((n) => n.id)).toEqual(['n2', 'n1']);
  });

  it('postpones a notification with a new retry window from then, and never a settled one', async () => {
    const { outbox } = storesOf(current());
    await outbox.enqueue(note('n1', { queuedAt: 100, nextAttemptAt: 100 }));
    await outbox.enqueue(note('n2', { alertId: 'a2' }));
    await outbox.postpone('n1', 8_000);
    expect(await outbox.claim('i1', 7_999, 500, 10).then((r) => r.map((n) => n.id))).toEqual(['n2']);
    const [held] = await outbox.claim('i1', 8_000, 500, 10);
    expect(held).toMatchObject({ id: 'n1', nextAttemptAt: 8_000, retrySince: 8_000, queuedAt: 100 });
    await outbox.recordAttempt({ notificationId: 'n2', n: 1, at: 9_000, statusCode: 200, durationMs: 1 }, { status: 'delivered' });
    await outbox.postpone('n2', 20_000);
    expect(await outbox.byId('t1', 'n2')).toMatchObject({ status: 'delivered', nextAttemptAt: 5000 });
  });

  it('records attempts and their outcome; a settled notification never moves again', async () => {
    const { outbox } = storesOf(current());
    await outbox.enqueue(note('n1'));
    const alertId = note('x').alertId;
    expect(await outbox.recordAttempt({ notificationId: 'n1', n: 1, at: 6000, statusCode: 500, durationMs: 12 }, { status: 'pending', nextAttemptAt: 7000 })).toBe(true);
    expect(await outbox.recordAttempt({ notificationId: 'n1', n: 2, at: 7000, error: 'timeout after 5000 ms', durationMs: 5000 }, { status: 'pending', nextAttemptAt: 9000 })).toBe(true);
    expect(await outbox.byId('t1', 'n1')).toMatchObject({ status: 'pending', attempts: 2, nextAttemptAt: 9000, lastError: 'timeout after 5000 ms' });
    expect(await outbox.recordAttempt({ notificationId: 'n1', n: 3, at: 9000, statusCode: 204, durationMs: 3 }, { status: 'delivered' })).toBe(true);
    expect(await outbox.recordAttempt({ notificationId: 'n1', n: 4, at: 9500, statusCode: 500, durationMs: 3 }, { status: 'dead' })).toBe(false);
    const done = await outbox.byId('t1', 'n1');
    expect(done).toMatchObject({ status: 'delivered', attempts: 3, deliveredAt: 9000 });
    expect(done?.lastError).toBeUndefined();
    expect(await outbox.attemptsOfAlert('t1', alertId)).toEqual([
      { notificationId: 'n1', n: 1, at: 6000, statusCode: 500, durationMs: 12 },
      { notificationId: 'n1', n: 2, at: 7000, error: 'timeout after 5000 ms', durationMs: 5000 },
      { notificationId: 'n1', n: 3, at: 9000, statusCode: 204, durationMs: 3 },
      { notificationId: 'n1', n: 4, at: 9500, statusCode: 500, durationMs: 3 },
    ]);
    expect(await outbox.attemptsOfAlert('t2', alertId)).toEqual([]);
    expect(await outbox.claim('i1', 99_999, 500, 10)).toEqual([]);
  });

  it('lists dead letters of a tenant and retries one with a fresh window', async () => {
    const { outbox } = storesOf(current());
    await outbox.enqueue(note('n1'));
    await outbox.enqueue(note('n2', { alertId: 'a2' }));
    await outbox.recordAttempt({ notificationId: 'n1', n: 1, at: 6000, statusCode: 503, durationMs: 1 }, { status: 'dead' });
    expect(await outbox.cancel('n2', 'acknowledged')).toBe(true);
    expect(await outbox.cancel('n1', 'x')).toBe(false);
    expect((await outbox.deadLetters('t1')).map((n) => [n.id, n.deadAt, n.lastError])).toEqual([['n1', 6000, 'HTTP 503']]);
    expect(await outbox.deadLetters('t2')).toEqual([]);
    expect(await outbox.retryDead('t2', 'n1', 8000)).toBe(false);
    expect(await outbox.retryDead('t1', 'n2', 8000)).toBe(false);
    expect(await outbox.retryDead('t1', 'n1', 8000)).toBe(true);
    expect(await outbox.byId('t1', 'n1')).toMatchObject({ status: 'pending', retrySince: 8000, nextAttemptAt: 8000, queuedAt: 5000, attempts: 1 });
    expect((await outbox.claim('i1', 8000, 500, 10)).map((n) => n.id)).toEqual(['n1']);
    expect(await outbox.deadLetters('t1')).toEqual([]);
  });
});
