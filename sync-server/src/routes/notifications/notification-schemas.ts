import { z } from '@hono/zod-openapi';
import { ALERT_CATEGORIES, ID_PATTERN, SEVERITIES } from '@cr/shared';

const phone = z.string().regex(/^\+?[0-9]{6,15}$/, 'must be a phone number: digits, optionally a leading +');

/** The body of `POST /api/v1/notifications/channels` (CONTRACT §7 for webhooks; e-mail and text messages beyond it). */
export const channelBody = z
  .discriminatedUnion('kind', [
    z.strictObject({
      kind: z.literal('webhook'),
      url: z.string().min(1).max(2_000).openapi({ example: 'https://hooks.example.com/control-room' }),
      secret: z.string().min(1).max(512).openapi({ description: 'signs every request (X-Signature); never returned' }),
    }),
    z.strictObject({ kind: z.literal('email'), to: z.array(z.email('must be an e-mail address').max(254)).min(1).max(20) }),
    z.strictObject({
      kind: z.literal('sms'),
      to: z.array(phone).min(1).max(20),
      provider: z.enum(['alimtalk', 'sms']).openapi({ description: 'KakaoTalk AlimTalk or plain SMS' }),
    }),
  ])
  .openapi('NotificationChannelBody');

export const channelView = z
  .object({
    id: z.string(),
    kind: z.enum(['webhook', 'email', 'sms']),
    url: z.string().optional(),
    to: z.array(z.string()).optional(),
    provider: z.enum(['alimtalk', 'sms']).optional(),
    secretHint: z.string().optional().openapi({ description: 'fingerprint of the webhook secret; the secret itself is never shown' }),
    createdAt: z.number(),
  })
  .openapi('NotificationChannel');

export const ruleBody = z
  .strictObject({
    channelId: z.string().min(1).max(64),
    siteIds: z.array(z.string().regex(ID_PATTERN, 'must be a site id')).min(1).max(500).optional().openapi({ description: 'absent: every site' }),
    categories: z.array(z.enum(ALERT_CATEGORIES)).min(1).optional().openapi({ description: 'absent: every category' }),
    minSeverity: z.enum(SEVERITIES).optional().openapi({ description: 'the least severe alert that matches; absent: all' }),
    escalateAfterMin: z
      .number()
      .int()
      .min(1)
      .max(10_080)
      .optional()
      .openapi({ description: 'a second notification (event escalation) if the alert is still open this many minutes after it was raised' }),
    notifyResolved: z.boolean().optional().openapi({ description: 'also notify when the alert is resolved (default false)' }),
    escalationOnly: z
      .boolean()
      .optional()
      .openapi({ description: 'a next tier (HQ, then the duty lead): this channel is told only by the escalation, if nobody acknowledged in time' }),
  })
  .refine((r) => !r.escalationOnly || r.escalateAfterMin !== undefined, {
    message: 'escalationOnly needs escalateAfterMin (when the next tier is told)',
    path: ['escalateAfterMin'],
  })
  .openapi('NotificationRuleBody');

export const ruleView = z
  .object({
    id: z.string(),
    channelId: z.string(),
    siteIds: z.array(z.string()).optional(),
    categories: z.array(z.string()).optional(),
    minSeverity: z.string().optional(),
    escalateAfterMin: z.number().optional(),
    notifyResolved: z.boolean(),
    escalationOnly: z.boolean().optional(),
    createdAt: z.number(),
  })
  .openapi('NotificationRule');

export const deliveryView = z
  .object({
    id: z.string().openapi({ description: 'the Idempotency-Key of every attempt' }),
    alertId: z.string(),
    siteId: z.string(),
    event: z.enum(['raised', 'resolved', 'escalation']),
    ruleId: z.string(),
    channel: z.object({ id: z.string(), kind: z.string(), label: z.string().optional() }),
    status: z.enum(['pending', 'delivered', 'dead', 'cancelled']),
    queuedAt: z.number(),
    nextAttemptAt: z.number().optional(),
    deliveredAt: z.number().optional(),
    deadAt: z.number().optional(),
    lastError: z.string().optional(),
    attempts: z.array(
      z.object({ n: z.number(), at: z.number(), statusCode: z.number().optional(), error: z.string().optional(), durationMs: z.number() }),
    ),
  })
  .openapi('NotificationDelivery');

export const createdId = z.object({ id: z.string() });

/** A channel, rule or notification id (UUIDs and 32-hex notification ids both fit the contract's id pattern). */
export const recordIdParam = (name: string) =>
  z
    .string()
    .regex(/^[a-z0-9][a-z0-9._-]{0,63}$/, `${name} is not a valid id`)
    .openapi({ param: { name, in: 'path' } });
