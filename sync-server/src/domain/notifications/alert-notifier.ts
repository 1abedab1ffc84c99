import { listAlerts, siteDocName, type AlertView } from '@cr/shared';
import type { DocRegistry } from '../../sync/doc-registry';
import type { ChannelKind, RuleRecord, SilenceRecord } from '../../store/notification-records';
import type { NotificationOutboxPort, NotificationSetupPort } from '../../store/ports';
import { dueNotifications } from './alert-matching';
import { activeSilenceOf, seenDuringSilence } from './quiet';

/** How the notifier reads a site's alerts: the document registry. */
export type AlertSource = Pick<DocRegistry, 'read'>;

interface TenantRouting {
  rules: RuleRecord[];
  kinds: Map<string, ChannelKind>;
  at: number;
}

/** How long a tenant's rules are reused before they are read again (changes on this instance apply at once). */
export const RULES_TTL_MS = 5_000;

/**
 * Turns alerts into notifications: after a site document changed, every alert a rule matches
 * gets its notifications enqueued in the durable outbox. The outbox's unique key makes this
 * idempotent across passes and instances; a per-site memory of what was already enqueued keeps a
 * busy document (occupancy, device states) from costing a store write per change.
 */
export class AlertNotifier {
  private readonly routing = new Map<string, TenantRouting>();
  private readonly enqueued = new Map<string, Set<string>>();

  constructor(
    private readonly d: {
      setup: NotificationSetupPort;
      outbox: NotificationOutboxPort;
      docs: AlertSource;
      /** the tenant's silences (active, upcoming, recently ended) */
      silences: (tenantId: string) => Promise<SilenceRecord[]>;
      /** told when something new entered the outbox */
      onEnqueued: () => void;
      now?: () => number;
    },
  ) {}

  /** Forgets a tenant's cached rules (they changed). */
  rulesChanged(tenantId: string): void {
    this.routing.delete(tenantId);
  }

  /** Enqueues what the site's alerts owe each matching rule's channel; returns how many notifications were new. */
  async siteChanged(tenantId: string, siteId: string): Promise<number> {
    const key = `${tenantId}\0${siteId}`;
    const routing = await this.routingOf(tenantId);
    const rules = routing.rules.filter((r) => !r.siteIds || r.siteIds.includes(siteId));
    if (rules.length === 0) {
      this.enqueued.delete(key);
      return 0;
    }
    const [alerts, silences]: [AlertView[], SilenceRecord[]] = await Promise.all([
      this.d.docs.read(siteDocName(tenantId, siteId), listAlerts),
      this.d.silences(tenantId),
    ]);
    const now = (this.d.now ?? Date.now)();
    const before = this.enqueued.get(key) ?? new Set<string>();
    const seen = new Set<string>();
    let fresh = 0;
    for (const alert of alerts) {
      // Silenced: owed nothing yet (asked again when the silence ends). Raised under a silence and
      // seen by a person meanwhile: owed nothing at all.
      if (activeSilenceOf(silences, alert, now) || seenDuringSilence(silences, alert)) continue;
      for (const rule of rules) {
        const kind = routing.kinds.get(rule.channelId);
        if (!kind) continue;
        for (const due of dueNotifications(rule, kind, alert, now)) {
          seen.add(due.notification.id);
          if (before.has(due.notification.id)) continue;
          const added = due.after
            ? await this.d.outbox.enqueueAfter(due.notification, due.after)
            : await this.d.outbox.enqueue(due.notification);
          if (added) fresh += 1;
        }
      }
    }
    // Alerts pruned from the document drop out of the memory with them.
    this.enqueued.set(key, seen);
    if (fresh > 0) this.d.onEnqueued();
    return fresh;
  }

  private async routingOf(tenantId: string): Promise<TenantRouting> {
    const now = Date.now();
    const cached = this.routing.get(tenantId);
    if (cached && now - cached.at < RULES_TTL_MS) return cached;
    const [rules, channels] = await Promise.all([this.d.setup.rules(tenantId), this.d.setup.channels(tenantId)]);
    const routing = { rules, kinds: new Map(channels.map((c) => [c.id, c.target.kind])), at: now };
    this.routing.set(tenantId, routing);
    return routing;
  }
}
