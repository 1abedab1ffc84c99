import { createRoute, z } from '@hono/zod-openapi';
import type { CloudContext } from '../../context';
import { bearer, errors, router } from '../../http/api-types';
import { idParam, json } from '../schemas';
import { siteFor } from '../site-access';

const params = z.object({ siteId: idParam('siteId'), deviceId: idParam('deviceId') });

const issuedSchema = z
  .object({
    deviceId: z.string(),
    username: z.string(),
    password: z.string().openapi({ description: 'shown once: the cloud keeps only its hash; put it on the device now' }),
    issuedAt: z.number(),
    delivered: z.boolean().openapi({ description: "the site's edge has it now; otherwise it gets it when it next connects" }),
  })
  .openapi('DeviceLoginIssued');

const loginSchema = z
  .object({ deviceId: z.string(), username: z.string(), issuedAt: z.number(), issuedBy: z.string(), revokedAt: z.number().optional() })
  .openapi('DeviceLogin');

const issue = createRoute({
  method: 'post',
  path: '/api/v1/sites/{siteId}/devices/{deviceId}/mqtt-login',
  tags: ['devices'],
  summary: "Issue (or rotate) the device's own MQTT login for a closed embedded broker; also before the device first connects",
  security: bearer,
  request: { params },
  responses: { 201: { description: 'issued', ...json(issuedSchema) }, ...errors(400, 401, 403, 404) },
});

const revoke = createRoute({
  method: 'delete',
  path: '/api/v1/sites/{siteId}/devices/{deviceId}/mqtt-login',
  tags: ['devices'],
  summary: "Revoke the device's MQTT login: the edge refuses it and closes its connection (at once, or when the edge reconnects)",
  security: bearer,
  request: { params },
  responses: { 200: { description: 'revoked', ...json(z.object({ revoked: z.literal(true), delivered: z.boolean() })) }, ...errors(400, 401, 403, 404) },
});

const list = createRoute({
  method: 'get',
  path: '/api/v1/sites/{siteId}/mqtt-logins',
  tags: ['devices'],
  summary: 'The MQTT logins issued for devices of the site (no secrets), revoked ones included',
  security: bearer,
  request: { params: z.object({ siteId: idParam('siteId') }) },
  responses: { 200: { description: 'logins', ...json(z.array(loginSchema)) }, ...errors(400, 401, 403, 404) },
});

/** CONTRACT.md §6 per-device credentials: who may admit a site's devices issues and revokes their logins. */
export function deviceLoginRoutes(ctx: CloudContext) {
  return router()
    .openapi(issue, async (c) => {
      const user = c.get('user');
      const { siteId, deviceId } = c.req.valid('param');
      await siteFor(ctx, user, siteId, { type: 'device.approve', siteId });
      return c.json(await ctx.deviceLogins.issue(user, siteId, deviceId, c.get('source')), 201);
    })
    .openapi(revoke, async (c) => {
      const user = c.get('user');
      const { siteId, deviceId } = c.req.valid('param');
      await siteFor(ctx, user, siteId, { type: 'device.approve', siteId });
      return c.json(await ctx.deviceLogins.revoke(user, siteId, deviceId, c.get('source')), 200);
    })
    .openapi(list, async (c) => {
      const user = c.get('user');
      const { siteId } = c.req.valid('param');
      const site = await siteFor(ctx, user, siteId, { type: 'device.approve', siteId });
      return c.json(await ctx.deviceLogins.list(site.tenantId, site.id), 200);
    });
}
