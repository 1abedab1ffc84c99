import type { CloudLog } from '../../log';
import type { ChannelKind, ChannelRecord } from '../../store/notification-records';
import type { OutboxEntry } from '../../store/notification-outbox-store';
import type { NotificationOutboxPort, NotificationSetupPort } from '../../store/ports';
import type { ChannelSecrets } from './channel-secrets';
import type { GateDecision } from './notification-gate';
import type { ChannelSender, SendResult } from './channel-sender';
import { CircuitBreakers, DEFAULT_BREAKER, type BreakerPolicy } from './circuit-breaker';
import { DEFAULT_RETRY, retryDelay, type RetryPolicy } from './retry-policy';

/** Timings of the delivery worker; tests shorten them, production uses the defaults. */
export interface DeliveryTuning {
  /** how often the outbox is looked at for due notifications (new ones are sent at once anyway) */
  pollMs: number;
  /** notifications claimed and attempted together */
  batchSize: number;
  /** how long a claim holds; a claim of an instance that died is taken over after it */
  claimLeaseMs: number;
  /** the longest wait for an endpoint's answer */
  timeoutMs: number;
  retry: RetryPolicy;
  breaker: BreakerPolicy;
}

export const DEFAULT_DELIVERY: DeliveryTuning = {
  pollMs: 1_000,
  batchSize: 20,
  claimLeaseMs: 60_000,
  timeoutMs: 5_000,
  retry: DEFAULT_RETRY,
  breaker: DEFAULT_BREAKER,
};

export interface DeliveryDeps {
  outbox: NotificationOutboxPort;
  setup: NotificationSetupPort;
  secrets: ChannelSecrets;
  /** the sender of each kind of channel; absent when the cloud is not configured for it */
  senders: Partial<Record<ChannelKind, ChannelSender>>;
  instanceId: string;
  /** SQLite: this process is the only one, so claims left by its previous run are freed at start */
  soleInstance: boolean;
  /** whether a due notification is still owed now (see notification-gate.ts) */
  gate(n: OutboxEntry): Promise<GateDecision>;
  log: CloudLog;
  now?: () => number;
  random?: () => number;
}

/**
 * Sends what the outbox holds: claims due notifications, attempts each once, records the attempt
 * and either the delivery, the next attempt (exponential backoff with jitter) or, after the retry
 * window, a dead letter. All of it is in the store, so a restart or another instance continues.
 */
export class DeliveryWorker {
  private readonly tuning: DeliveryTuning;
  private readonly breakers: CircuitBreakers;
  private readonly now: () => number;
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private again = false;
  private stopped = false;

  constructor(
    private readonly d: DeliveryDeps,
    tuning: Partial<DeliveryTuning> = {},
  ) {
    this.tuning = { ...DEFAULT_DELIVERY, ...tuning };
    this.breakers = new CircuitBreakers(this.tuning.breaker);
    this.now = d.now ?? Date.now;
  }

  async start(): Promise<void> {
    if (this.d.soleInstance) await this.d.outbox.releaseClaims();
    this.timer = setInterval(() => this.kick(), this.tuning.pollMs);
    this.timer.unref();
    this.kick();
  }

  /** Looks at the outbox soon (something was just enqueued or retried). */
  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.drain()
      .catch((err: Error) => this.d.log.error({ err }, `notifications: delivery pass failed: ${err.message}`))
      .finally(() => {
        this.running = undefined;
        if (this.again && !this.stopped) {
          this.again = false;
          this.kick();
        }
      });
  }

  /** Stops claiming, lets the attempts under way finish and be recorded, and frees this instance's claims. */
  async close(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.running;
    await this.d.outbox.releaseClaims(this.d.instanceId).catch(() => undefined);
  }

  /** Whether the endpoint of a channel is being skipped (its breaker is open). */
  endpointDown(channelId: string): boolean {
    return this.breakers.isOpen(channelId, this.now());
  }

  private async drain(): Promise<void> {
    while (!this.stopped) {
      const { batchSize, claimLeaseMs } = this.tuning;
      const due = await this.d.outbox.claim(this.d.instanceId, this.now(), claimLeaseMs, batchSize);
      await Promise.all(due.map((n) => this.deliver(n)));
      if (due.length < batchSize) return;
    }
  }

  private async deliver(n: OutboxEntry): Promise<void> {
    const channel = await this.d.setup.channel(n.tenantId, n.channelId);
    if (!channel) return void (await this.d.outbox.cancel(n.id, 'the channel was removed'));
    const gate = await this.d.gate(n);
    if ('cancel' in gate) return void (await this.d.outbox.cancel(n.id, gate.cancel));
    if ('postponeUntil' in gate) return this.d.outbox.postpone(n.id, gate.postponeUntil);
    const admission = this.breakers.admit(channel.id, this.now());
    if (!admission.send) return this.d.outbox.defer(n.id, admission.until);
    const at = this.now();
    const result = await this.attempt(channel, n);
    const end = this.now();
    this.breakers.record(channel.id, result.ok, end);
    const failures = n.attempts + 1;
    const outcome = result.ok
      ? ({ status: 'delivered' } as const)
      : end - n.retrySince >= this.tuning.retry.retryForMs
        ? ({ status: 'dead' } as const)
        : ({ status: 'pending', nextAttemptAt: end + retryDelay(this.tuning.retry, failures, this.d.random) } as const);
    await this.d.outbox.recordAttempt(
      {
        notificationId: n.id,
        n: failures,
        at,
        ...(result.statusCode !== undefined ? { statusCode: result.statusCode } : {}),
        ...(result.error !== undefined ? { error: result.error } : {}),
        durationMs: end - at,
      },
      outcome,
    );
    if (outcome.status === 'dead')
      this.d.log.warn(
        { tenantId: n.tenantId, notificationId: n.id, channelId: n.channelId },
        `notifications: ${n.id} to channel ${n.channelId} given up after ${failures} attempts (dead letter)`,
      );
  }

  private async attempt(channel: ChannelRecord, n: OutboxEntry): Promise<SendResult> {
    const sender = this.d.senders[channel.target.kind];
    if (!sender) return { ok: false, error: `${channel.target.kind} delivery is not configured on this cloud` };
    let secret: string | undefined;
    try {
      secret = channel.sealedSecret ? this.d.secrets.open(channel.tenantId, channel.id, channel.sealedSecret) : undefined;
    } catch {
      return { ok: false, error: 'the channel secret does not open with this master key' };
    }
    return sender.send(channel, { id: n.id, event: n.event, body: n.body }, secret);
  }
}
