import type { AlertCategory, Severity } from '@cr/shared';
import type { Db } from './db';
import type { ChannelRecord, ChannelTarget, RuleRecord } from './notification-records';

const SQL = {
  insertChannel: `INSERT INTO notification_channels (tenant_id, id, kind, target, secret, secret_hint, created_by, created_at)
    VALUES (@tenantId, @id, @kind, @target, @secret, @secretHint, @createdBy, @createdAt)`,
  channel: 'SELECT * FROM notification_channels WHERE tenant_id = ? AND id = ?',
  channels: 'SELECT * FROM notification_channels WHERE tenant_id = ? ORDER BY created_at, id',
  deleteChannel: 'DELETE FROM notification_channels WHERE tenant_id = ? AND id = ?',
  deleteRulesOfChannel: 'DELETE FROM notification_rules WHERE tenant_id = ? AND channel_id = ?',
  insertRule: `INSERT INTO notification_rules (tenant_id, id, channel_id, site_ids, categories, min_severity, escalate_after_min,
    notify_resolved, created_by, created_at, escalation_only)
    VALUES (@tenantId, @id, @channelId, @siteIds, @categories, @minSeverity, @escalateAfterMin, @notifyResolved, @createdBy, @createdAt,
    @escalationOnly)`,
  rules: 'SELECT * FROM notification_rules WHERE tenant_id = ? ORDER BY created_at, id',
  deleteRule: 'DELETE FROM notification_rules WHERE tenant_id = ? AND id = ?',
} as const;

/** A channel row, the same in SQLite and PostgreSQL. */
export interface ChannelRow {
  tenant_id: string;
  id: string;
  kind: string;
  target: string;
  secret: Buffer | null;
  secret_hint: string | null;
  created_by: string;
  created_at: number;
}

/** A rule row, the same in SQLite and PostgreSQL (`notify_resolved` 0/1 or boolean). */
export interface RuleRow {
  tenant_id: string;
  id: string;
  channel_id: string;
  site_ids: string | null;
  categories: string | null;
  min_severity: string | null;
  escalate_after_min: number | null;
  notify_resolved: number | boolean;
  created_by: string;
  created_at: number;
  escalation_only: number | boolean;
}

export const toChannel = (r: ChannelRow): ChannelRecord => ({
  tenantId: r.tenant_id,
  id: r.id,
  target: JSON.parse(r.target) as ChannelTarget,
  ...(r.secret ? { sealedSecret: Buffer.from(r.secret) } : {}),
  ...(r.secret_hint ? { secretHint: r.secret_hint } : {}),
  createdBy: r.created_by,
  createdAt: r.created_at,
});

export const toRule = (r: RuleRow): RuleRecord => ({
  tenantId: r.tenant_id,
  id: r.id,
  channelId: r.channel_id,
  ...(r.site_ids ? { siteIds: JSON.parse(r.site_ids) as string[] } : {}),
  ...(r.categories ? { categories: JSON.parse(r.categories) as AlertCategory[] } : {}),
  ...(r.min_severity ? { minSeverity: r.min_severity as Severity } : {}),
  ...(r.escalate_after_min != null ? { escalateAfterMin: r.escalate_after_min } : {}),
  notifyResolved: r.notify_resolved === true || r.notify_resolved === 1,
  ...(r.escalation_only === true || r.escalation_only === 1 ? { escalationOnly: true } : {}),
  createdBy: r.created_by,
  createdAt: r.created_at,
});

/** The columns of a channel, in the order both backends insert them. */
export const channelColumns = (c: ChannelRecord) => ({
  tenantId: c.tenantId,
  id: c.id,
  kind: c.target.kind,
  target: JSON.stringify(c.target),
  secret: c.sealedSecret ?? null,
  secretHint: c.secretHint ?? null,
  createdBy: c.createdBy,
  createdAt: c.createdAt,
});

/** The columns of a rule, in the order both backends insert them. */
export const ruleColumns = (r: RuleRecord) => ({
  tenantId: r.tenantId,
  id: r.id,
  channelId: r.channelId,
  siteIds: r.siteIds ? JSON.stringify(r.siteIds) : null,
  categories: r.categories ? JSON.stringify(r.categories) : null,
  minSeverity: r.minSeverity ?? null,
  escalateAfterMin: r.escalateAfterMin ?? null,
  notifyResolved: r.notifyResolved,
  createdBy: r.createdBy,
  createdAt: r.createdAt,
  escalationOnly: r.escalationOnly === true,
});

/** Notification channels and routing rules of each tenant (SQLite). */
export class NotificationSetupStore {
  constructor(private readonly db: Db) {}

  addChannel(c: ChannelRecord): void {
    this.db.prepare(SQL.insertChannel).run(channelColumns(c));
  }

  channel(tenantId: string, id: string): ChannelRecord | undefined {
    const row = this.db.prepare(SQL.channel).get(tenantId, id) as ChannelRow | undefined;
    return row ? toChannel(row) : undefined;
  }

  channels(tenantId: string): ChannelRecord[] {
    return (this.db.prepare(SQL.channels).all(tenantId) as ChannelRow[]).map(toChannel);
  }

  /** Removes a channel and the rules that route to it; false when it did not exist. */
  removeChannel(tenantId: string, id: string): boolean {
    return this.db.transaction(() => {
      this.db.prepare(SQL.deleteRulesOfChannel).run(tenantId, id);
      return this.db.prepare(SQL.deleteChannel).run(tenantId, id).changes === 1;
    })();
  }

  /** Adds a rule; false (nothing added) when its channel is not one of the tenant's. */
  addRule(r: RuleRecord): boolean {
    return this.db.transaction(() => {
      if (!this.db.prepare(SQL.channel).get(r.tenantId, r.channelId)) return false;
      this.db.prepare(SQL.insertRule).run({ ...ruleColumns(r), notifyResolved: r.notifyResolved ? 1 : 0, escalationOnly: r.escalationOnly ? 1 : 0 });
      return true;
    })();
  }

  rules(tenantId: string): RuleRecord[] {
    return (this.db.prepare(SQL.rules).all(tenantId) as RuleRow[]).map(toRule);
  }

  removeRule(tenantId: string, id: string): boolean {
    return this.db.prepare(SQL.deleteRule).run(tenantId, id).changes === 1;
  }
}
