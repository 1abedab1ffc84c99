import type { ChannelRecord, RuleRecord } from '../notification-records';
import { channelColumns, ruleColumns, toChannel, toRule, type ChannelRow, type RuleRow } from '../notification-setup-store';
import type { NotificationSetupPort } from '../ports';
import type { PgDb } from './pg-db';

const SQL = {
  insertChannel: `INSERT INTO notification_channels (tenant_id, id, kind, target, secret, secret_hint, created_by, created_at)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
  channel: 'SELECT * FROM notification_channels WHERE tenant_id = $1 AND id = $2',
  /** Locks the channel so a rule is never added to one being removed at the same moment. */
  channelForShare: 'SELECT 1 FROM notification_channels WHERE tenant_id = $1 AND id = $2 FOR SHARE',
  channels: 'SELECT * FROM notification_channels WHERE tenant_id = $1 ORDER BY created_at, id',
  deleteChannel: 'DELETE FROM notification_channels WHERE tenant_id = $1 AND id = $2',
  deleteRulesOfChannel: 'DELETE FROM notification_rules WHERE tenant_id = $1 AND channel_id = $2',
  insertRule: `INSERT INTO notification_rules (tenant_id, id, channel_id, site_ids, categories, min_severity, escalate_after_min,
    notify_resolved, created_by, created_at, escalation_only) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
  rules: 'SELECT * FROM notification_rules WHERE tenant_id = $1 ORDER BY created_at, id',
  deleteRule: 'DELETE FROM notification_rules WHERE tenant_id = $1 AND id = $2',
} as const;

/** Notification channels and routing rules in PostgreSQL (the same contract as NotificationSetupStore). */
export class PgNotificationSetupStore implements NotificationSetupPort {
  constructor(private readonly db: PgDb) {}

  async addChannel(c: ChannelRecord): Promise<void> {
    await this.db.pool.query(SQL.insertChannel, Object.values(channelColumns(c)));
  }

  async channel(tenantId: string, id: string): Promise<ChannelRecord | undefined> {
    const row = (await this.db.pool.query<ChannelRow>(SQL.channel, [tenantId, id])).rows[0];
    return row ? toChannel(row) : undefined;
  }

  async channels(tenantId: string): Promise<ChannelRecord[]> {
    return (await this.db.pool.query<ChannelRow>(SQL.channels, [tenantId])).rows.map(toChannel);
  }

  /** Removes a channel and the rules that route to it; false when it did not exist. */
  async removeChannel(tenantId: string, id: string): Promise<boolean> {
    return this.db.tx(async (c) => {
      const gone = await c.query(SQL.deleteChannel, [tenantId, id]);
      await c.query(SQL.deleteRulesOfChannel, [tenantId, id]);
      return gone.rowCount === 1;
    });
  }

  /** Adds a rule; false (nothing added) when its channel is not one of the tenant's. */
  async addRule(r: RuleRecord): Promise<boolean> {
    return this.db.tx(async (c) => {
      if ((await c.query(SQL.channelForShare, [r.tenantId, r.channelId])).rowCount !== 1) return false;
      await c.query(SQL.insertRule, Object.values(ruleColumns(r)));
      return true;
    });
  }

  async rules(tenantId: string): Promise<RuleRecord[]> {
    return (await this.db.pool.query<RuleRow>(SQL.rules, [tenantId])).rows.map(toRule);
  }

  async removeRule(tenantId: string, id: string): Promise<boolean> {
    return ((await this.db.pool.query(SQL.deleteRule, [tenantId, id])).rowCount ?? 0) === 1;
  }
}
