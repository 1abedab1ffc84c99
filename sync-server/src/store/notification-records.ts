import type { AlertCategory, Severity } from '@cr/shared';

/** Where a channel delivers: a signed webhook, e-mail over the cloud's SMTP relay, or text messages through the SMS provider. */
export type ChannelTarget =
  | { kind: 'webhook'; url: string }
  | { kind: 'email'; to: string[] }
  | { kind: 'sms'; to: string[]; provider: 'alimtalk' | 'sms' };

export type ChannelKind = ChannelTarget['kind'];

/** A notification channel of one tenant. */
export interface ChannelRecord {
  tenantId: string;
  id: string;
  target: ChannelTarget;
  /** the webhook secret, sealed at rest (never returned by the API) */
  sealedSecret?: Buffer;
  /** what the API shows instead of the secret: a short fingerprint */
  secretHint?: string;
  createdBy: string;
  createdAt: number;
}

/** Which alerts a channel is told about. Absent lists mean "all". */
export interface RuleRecord {
  tenantId: string;
  id: string;
  channelId: string;
  siteIds?: string[];
  categories?: AlertCategory[];
  /** the least severe alert that still matches; absent: every severity */
  minSeverity?: Severity;
  /** a second notification when the alert is still open (unacknowledged) this many minutes after it was raised */
  escalateAfterMin?: number;
  /** also tell the channel when the alert is resolved */
  notifyResolved: boolean;
  /** a next tier (HQ, then the duty lead): told only by the escalation, when nobody acknowledged the alert in time */
  escalationOnly?: boolean;
  createdBy: string;
  createdAt: number;
}

/** Why a notification is sent. */
export type NotificationEvent = 'raised' | 'resolved' | 'escalation';

/** pending: waiting for its next attempt; delivered; dead: retries given up (a dead letter); cancelled: no longer due (an escalation of an alert someone acknowledged). */
export type NotificationStatus = 'pending' | 'delivered' | 'dead' | 'cancelled';

/** One logical notification in the durable outbox: one per (rule, alert, event), whatever the number of attempts. */
export interface NotificationRecord {
  /** also the `Idempotency-Key` of every attempt */
  id: string;
  tenantId: string;
  siteId: string;
  alertId: string;
  ruleId: string;
  channelId: string;
  channelKind: ChannelKind;
  event: NotificationEvent;
  /** the exact JSON body sent (and signed) on every attempt */
  body: string;
  status: NotificationStatus;
  attempts: number;
  queuedAt: number;
  nextAttemptAt: number;
  deliveredAt?: number;
  deadAt?: number;
  lastError?: string;
}

/** One delivery attempt: the answer's status code, or why there was none. */
export interface DeliveryAttempt {
  notificationId: string;
  /** 1 for the first attempt */
  n: number;
  at: number;
  statusCode?: number;
  error?: string;
  durationMs: number;
}

/** What an attempt leads to: the notification delivered, retried at `nextAttemptAt`, or given up. */
export type AttemptOutcome =
  | { status: 'delivered' }
  | { status: 'pending'; nextAttemptAt: number }
  | { status: 'dead' };

/** A new notification as the matcher enqueues it. */
export type NewNotification = Omit<NotificationRecord, 'status' | 'attempts' | 'deliveredAt' | 'deadAt' | 'lastError'>;

/**
 * A silence (or, starting later, a maintenance window): notifications of the alerts it covers
 * wait while it is active. The console still shows and sounds them; a silence only quiets channels.
 */
export interface SilenceRecord {
  tenantId: string;
  id: string;
  siteId: string;
  /** one device of the site; absent: the whole site */
  deviceId?: string;
  /** these alert types only; absent: every type */
  types?: string[];
  startsAt: number;
  endsAt: number;
  reason: string;
  authorId: string;
  authorName: string;
  createdAt: number;
  /** set when a person ended it before `endsAt` */
  endedAt?: number;
}
