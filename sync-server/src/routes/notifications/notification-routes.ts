import { createRoute, z } from '@hono/zod-openapi';
import type { UserPrincipal } from '@cr/shared';
import type { CloudContext } from '../../context';
import { bearer, errors, router } from '../../http/api-types';
import { json } from '../schemas';
import { requireTenantAction } from '../site-access';
import { channelBody, channelView, createdId, recordIdParam, ruleBody, ruleView } from './notification-schemas';

const tags = ['notifications'];

const createChannel = createRoute({
  method: 'post',
  path: '/api/v1/notifications/channels',
  tags,
  summary: 'Add a notification channel: a signed webhook (CONTRACT §7), e-mail or text messages (tenant-admin)',
  security: bearer,
  request: { body: { ...json(channelBody), required: true } },
  responses: { 201: { description: 'created', ...json(createdId) }, ...errors(400, 401, 403) },
});

const listChannels = createRoute({
  method: 'get',
  path: '/api/v1/notifications/channels',
  tags,
  summary: "The tenant's channels, without their secrets (tenant-admin)",
  security: bearer,
  responses: { 200: { description: 'channels', ...json(z.array(channelView)) }, ...errors(401, 403) },
});

const removeChannel = createRoute({
  method: 'delete',
  path: '/api/v1/notifications/channels/{channelId}',
  tags,
  summary: 'Remove a channel and the rules routing to it; its pending notifications are cancelled (tenant-admin)',
  security: bearer,
  request: { params: z.object({ channelId: recordIdParam('channelId') }) },
  responses: { 204: { description: 'removed' }, ...errors(400, 401, 403, 404) },
});

const createRule = createRoute({
  method: 'post',
  path: '/api/v1/notifications/rules',
  tags,
  summary:
    'Route alerts to a channel by site, category and least severity. Alerts raised from a minute before the rule was created on are notified (tenant-admin)',
  security: bearer,
  request: { body: { ...json(ruleBody), required: true } },
  responses: { 201: { description: 'created', ...json(createdId) }, ...errors(400, 401, 403, 404) },
});

const listRules = createRoute({
  method: 'get',
  path: '/api/v1/notifications/rules',
  tags,
  summary: "The tenant's routing rules (tenant-admin)",
  security: bearer,
  responses: { 200: { description: 'rules', ...json(z.array(ruleView)) }, ...errors(401, 403) },
});

const removeRule = createRoute({
  method: 'delete',
  path: '/api/v1/notifications/rules/{ruleId}',
  tags,
  summary: 'Remove a routing rule (tenant-admin)',
  security: bearer,
  request: { params: z.object({ ruleId: recordIdParam('ruleId') }) },
  responses: { 204: { description: 'removed' }, ...errors(400, 401, 403, 404) },
});

const admin = (user: UserPrincipal): UserPrincipal => {
  requireTenantAction(user, { type: 'notifications.manage' });
  return user;
};

/** Channels and routing rules of the caller's tenant (tenant-admin only). */
export function notificationRoutes(ctx: CloudContext) {
  const setup = ctx.notifications.setup;
  return router()
    .openapi(createChannel, async (c) =>
      c.json(await setup.createChannel(admin(c.get('user')), c.req.valid('json'), c.get('source')), 201),
    )
    .openapi(listChannels, async (c) => c.json(await setup.channels(admin(c.get('user')).tenantId), 200))
    .openapi(removeChannel, async (c) => {
      await setup.removeChannel(admin(c.get('user')), c.req.valid('param').channelId, c.get('source'));
      return c.body(null, 204);
    })
    .openapi(createRule, async (c) =>
      c.json(await setup.createRule(admin(c.get('user')), c.req.valid('json'), c.get('source')), 201),
    )
    .openapi(listRules, async (c) => c.json(await setup.rules(admin(c.get('user')).tenantId), 200))
    .openapi(removeRule, async (c) => {
      await setup.removeRule(admin(c.get('user')), c.req.valid('param').ruleId, c.get('source'));
      return c.body(null, 204);
    });
}
