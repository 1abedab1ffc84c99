import { randomUUID } from 'node:crypto';
import type { AlertCategory, Severity, UserPrincipal } from '@cr/shared';
import { badRequest, notFound } from '../errors';
import { auditAdminChange } from '../audit/admin-audit';
import type { AuditPort, NotificationSetupPort, TenantsPort } from '../../store/ports';
import type { ChannelRecord, ChannelTarget, RuleRecord } from '../../store/notification-records';
import { secretHint, type ChannelSecrets } from './channel-secrets';

/** A channel as an admin asks for it. */
export type ChannelInput =
  | { kind: 'webhook'; url: string; secret: string }
  | { kind: 'email'; to: string[] }
  | { kind: 'sms'; to: string[]; provider: 'alimtalk' | 'sms' };

/** A channel as the API shows it: never its secret, only a fingerprint of it. */
export type ChannelView = ChannelTarget & { id: string; secretHint?: string; createdAt: number };

export interface RuleInput {
  channelId: string;
  siteIds?: string[];
  categories?: AlertCategory[];
  minSeverity?: Severity;
  escalateAfterMin?: number;
  notifyResolved?: boolean;
  escalationOnly?: boolean;
}

export type RuleView = Omit<RuleRecord, 'tenantId' | 'createdBy'>;

/** Which kinds of channel this cloud can deliver: e-mail needs `--smtp-url`, text messages `--sms-provider-url`. */
export interface DeliveryMeans {
  email: boolean;
  sms: boolean;
}

/**
 * The webhook URL's problem, if any. Only http(s); no user:password in the URL (it would show in
 * every listing and log); no fragment (never sent).
 */
export function webhookUrlProblem(raw: string): string | undefined {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'url: not a valid URL';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return `url: must be http or https, not ${url.protocol.slice(0, -1)}`;
  if (url.username || url.password) return 'url: must not hold a user name or password (the secret signs each request)';
  if (url.hash) return 'url: must not have a #fragment';
  return undefined;
}

/** Channels and routing rules of each tenant: created, listed and removed by its tenant-admins, audited. */
export class NotificationSetup {
  private readonly listeners: Array<(tenantId: string) => void> = [];

  constructor(
    private readonly d: {
      setup: NotificationSetupPort;
      tenants: TenantsPort;
      audit: AuditPort;
      secrets: ChannelSecrets;
      means: DeliveryMeans;
      now?: () => number;
    },
  ) {}

  /** Told after a tenant's channels or rules changed on this instance. */
  onChange(fn: (tenantId: string) => void): void {
    this.listeners.push(fn);
  }

  async createChannel(admin: UserPrincipal, input: ChannelInput, source: string): Promise<{ id: string }> {
    const id = randomUUID();
    const now = (this.d.now ?? Date.now)();
    let record: ChannelRecord;
    if (input.kind === 'webhook') {
      const problem = webhookUrlProblem(input.url);
      if (problem) throw badRequest(problem);
      record = {
        tenantId: admin.tenantId,
        id,
        target: { kind: 'webhook', url: input.url },
        sealedSecret: this.d.secrets.seal(admin.tenantId, id, input.secret),
        secretHint: secretHint(input.secret),
        createdBy: admin.userId,
        createdAt: now,
      };
    } else {
      if (!this.d.means[input.kind])
        throw badRequest(
          input.kind === 'email'
            ? 'kind: e-mail channels need the cloud started with --smtp-url'
            : 'kind: text-message channels need the cloud started with --sms-provider-url',
        );
      const target: ChannelTarget = input.kind === 'email' ? { kind: 'email', to: input.to } : { kind: 'sms', to: input.to, provider: input.provider };
      record = { tenantId: admin.tenantId, id, target, createdBy: admin.userId, createdAt: now };
    }
    await this.d.setup.addChannel(record);
    await this.audit(admin, 'notifications.channel.create', `channel:${id}`, source, { kind: input.kind });
    return { id };
  }

  async channels(tenantId: string): Promise<ChannelView[]> {
    return (await this.d.setup.channels(tenantId)).map((c) => ({
      id: c.id,
      ...c.target,
      ...(c.secretHint ? { secretHint: c.secretHint } : {}),
      createdAt: c.createdAt,
    }));
  }

  async removeChannel(admin: UserPrincipal, id: string, source: string): Promise<void> {
    if (!(await this.d.setup.removeChannel(admin.tenantId, id))) throw notFound('channel');
    await this.audit(admin, 'notifications.channel.remove', `channel:${id}`, source, {});
  }

  async createRule(admin: UserPrincipal, input: RuleInput, source: string): Promise<{ id: string }> {
    for (const siteId of input.siteIds ?? [])
      if (!(await this.d.tenants.site(admin.tenantId, siteId))) throw badRequest(`siteIds: unknown site ${siteId}`);
    const id = randomUUID();
    const rule: RuleRecord = {
      tenantId: admin.tenantId,
      id,
      channelId: input.channelId,
      ...(input.siteIds ? { siteIds: [...new Set(input.siteIds)] } : {}),
      ...(input.categories ? { categories: [...new Set(input.categories)] } : {}),
      ...(input.minSeverity ? { minSeverity: input.minSeverity } : {}),
      ...(input.escalateAfterMin !== undefined ? { escalateAfterMin: input.escalateAfterMin } : {}),
      notifyResolved: input.notifyResolved ?? false,
      ...(input.escalationOnly ? { escalationOnly: true } : {}),
      createdBy: admin.userId,
      createdAt: (this.d.now ?? Date.now)(),
    };
    // Threat: a rule pointing at another tenant's channel; the store adds it only to the caller's own.
    if (!(await this.d.setup.addRule(rule))) throw notFound('channel');
    await this.audit(admin, 'notifications.rule.create', `rule:${id}`, source, { channelId: input.channelId });
    return { id };
  }

  async rules(tenantId: string): Promise<RuleView[]> {
    return (await this.d.setup.rules(tenantId)).map(({ tenantId: _t, createdBy: _c, ...view }) => view);
  }

  async removeRule(admin: UserPrincipal, id: string, source: string): Promise<void> {
    if (!(await this.d.setup.removeRule(admin.tenantId, id))) throw notFound('rule');
    await this.audit(admin, 'notifications.rule.remove', `rule:${id}`, source, {});
  }

  private async audit(admin: UserPrincipal, action: string, target: string, source: string, details: Record<string, unknown>) {
    await auditAdminChange(this.d.audit, admin, { action, target, source, details });
    for (const fn of this.listeners) fn(admin.tenantId);
  }
}
