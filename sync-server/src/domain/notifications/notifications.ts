import type { CloudConfig } from '../../config';
import type { CloudLog } from '../../log';
import type { CloudStores } from '../../store/cloud-stores';
import type { AuditPort, TenantsPort } from '../../store/ports';
import type { DocRegistry } from '../../sync/doc-registry';
import { AlertNotifier } from './alert-notifier';
import { ChannelSecrets } from './channel-secrets';
import type { ChannelSender } from './channel-sender';
import { DeliveryLog } from './delivery-log';
import { DeliveryWorker, DEFAULT_DELIVERY, type DeliveryTuning } from './delivery-worker';
import { EmailSender } from './email-sender';
import { notificationGate } from './notification-gate';
import { Silences } from './silences';
import { NotificationSetup } from './notification-setup';
import { SmsSender } from './sms-sender';
import { WebhookSender } from './webhook-sender';

/** Alert notifications of one cloud instance (CONTRACT §7): setup, matching, the outbox's worker, the delivery log. */
export interface Notifications {
  setup: NotificationSetup;
  notifier: AlertNotifier;
  worker: DeliveryWorker;
  log: DeliveryLog;
  silences: Silences;
  /** enqueues what a changed site's alerts owe the channels (wired to SiteStatusService.onSiteChanged) */
  siteChanged(tenantId: string, siteId: string): Promise<number>;
  /** frees claims left by this process's previous run (SQLite) and starts delivering */
  start(): Promise<void>;
  /** lets attempts under way finish and be recorded, then stops */
  close(): Promise<void>;
}

export interface NotificationsDeps {
  config: Pick<CloudConfig, 'smtpUrl' | 'smtpFrom' | 'smsProviderUrl' | 'smsApiKey'>;
  stores: Pick<CloudStores, 'notificationSetup' | 'notificationOutbox' | 'silences' | 'backend'>;
  tenants: TenantsPort;
  audit: AuditPort;
  docs: DocRegistry;
  masterKey: Buffer;
  instanceId: string;
  log: CloudLog;
  tuning?: Partial<DeliveryTuning>;
}

/** How often ended silences are looked for (their sites' alerts are matched again). */
export const SILENCE_SWEEP_MS = 2_000;

export function createNotifications(d: NotificationsDeps): Notifications {
  const timeoutMs = d.tuning?.timeoutMs ?? DEFAULT_DELIVERY.timeoutMs;
  const secrets = new ChannelSecrets(d.masterKey);
  const email = d.config.smtpUrl ? new EmailSender(d.config.smtpUrl, d.config.smtpFrom, timeoutMs) : undefined;
  const senders: Partial<Record<'webhook' | 'email' | 'sms', ChannelSender>> = {
    webhook: new WebhookSender(timeoutMs),
    ...(email ? { email } : {}),
    ...(d.config.smsProviderUrl ? { sms: new SmsSender(d.config.smsProviderUrl, d.config.smsApiKey, timeoutMs) } : {}),
  };
  const outbox = d.stores.notificationOutbox;
  const silences = new Silences({ store: d.stores.silences, tenants: d.tenants, audit: d.audit });
  const silencesOf = (tenantId: string) => silences.forTenant(tenantId);
  const setupStore = d.stores.notificationSetup;
  const worker = new DeliveryWorker(
    {
      outbox,
      setup: setupStore,
      secrets,
      senders,
      instanceId: d.instanceId,
      soleInstance: d.stores.backend === 'sqlite',
      gate: notificationGate({ docs: d.docs, silences: silencesOf }),
      log: d.log,
    },
    d.tuning,
  );
  const setup = new NotificationSetup({
    setup: setupStore,
    tenants: d.tenants,
    audit: d.audit,
    secrets,
    means: { email: !!email, sms: !!d.config.smsProviderUrl },
  });
  const notifier = new AlertNotifier({ setup: setupStore, outbox, docs: d.docs, silences: silencesOf, onEnqueued: () => worker.kick() });
  const rematch = (tenantId: string, siteId: string) =>
    notifier
      .siteChanged(tenantId, siteId)
      .catch((err: Error) => d.log.error({ tenantId, siteId }, `notifications: alerts of ${siteId} not matched: ${err.message}`));
  // A silence that ends (run out, or ended by a person) leaves its still-open alerts owed their notifications.
  silences.onChange((t, s) => void rematch(t, s));
  let swept = Date.now();
  const sweep = setInterval(() => {
    const now = Date.now();
    for (const { tenantId, siteId } of silences.endedBetween(swept, now)) void rematch(tenantId, siteId);
    swept = now;
  }, SILENCE_SWEEP_MS);
  sweep.unref();
  // A new rule also covers alerts raised just before it (RULE_LOOKBACK_MS), without waiting for the next change.
  setup.onChange((tenantId) => {
    notifier.rulesChanged(tenantId);
    void d.tenants
      .sites(tenantId)
      .then((sites) => Promise.all(sites.map((s) => notifier.siteChanged(tenantId, s.id))))
      .catch((err: Error) => d.log.error({ tenantId }, `notifications: alerts of ${tenantId} not matched: ${err.message}`));
  });
  const log = new DeliveryLog({ outbox, setup: setupStore, audit: d.audit, onRetry: () => worker.kick() });
  return {
    setup,
    notifier,
    worker,
    log,
    silences,
    siteChanged: (t, s) => notifier.siteChanged(t, s),
    start: () => worker.start(),
    async close() {
      clearInterval(sweep);
      await worker.close();
      email?.close();
    },
  };
}
