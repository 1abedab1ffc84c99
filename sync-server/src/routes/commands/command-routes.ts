import { createRoute, z } from '@hono/zod-openapi';
import { COMMAND_STATUSES, DOOR_ACTIONS, DOOR_RESULTS, MAX_PULSE_MS, SITE_MODES, SiteDoc, authorize, siteDocName } from '@cr/shared';
import type { CloudContext } from '../../context';
import { bearer, errors, router } from '../../http/api-types';
import { idParam, json } from '../schemas';
import { siteFor } from '../site-access';
import { notFound } from '../../domain/errors';
import type { CommandRecord } from '../../store/commands-store';

const accepted = z
  .object({ id: z.string(), status: z.enum(COMMAND_STATUSES), error: z.string().optional() })
  .openapi('CommandAccepted');
const commandSchema = z
  .object({
    id: z.string(),
    status: z.enum(COMMAND_STATUSES),
    error: z.string().optional(),
    /** a mode change: each door's result; `executed` only when every reachable door confirmed */
    doors: z.array(z.object({ doorId: z.string(), result: z.enum(DOOR_RESULTS), error: z.string().optional() })).optional(),
    siteId: z.string(),
    target: z.record(z.string(), z.unknown()),
    reason: z.string(),
    issuedBy: z.string(),
    createdAt: z.number(),
    updatedAt: z.number(),
    expiresAt: z.number(),
  })
  .openapi('Command');

const reason = z.string().trim().min(1).max(500);

const doorCommand = createRoute({
  method: 'post',
  path: '/api/v1/sites/{siteId}/doors/{doorId}/commands',
  tags: ['commands'],
  summary: 'Unlock, lock or pulse-unlock a door through the live edge link (fails fast when the site is offline)',
  security: bearer,
  request: {
    params: z.object({ siteId: idParam('siteId'), doorId: idParam('doorId') }),
    body: {
      ...json(
        z.strictObject({
          action: z.enum(DOOR_ACTIONS),
          reason,
          durationMs: z.number().int().min(100).max(MAX_PULSE_MS).optional(),
        }),
      ),
      required: true,
    },
  },
  responses: { 202: { description: 'accepted', ...json(accepted) }, ...errors(400, 401, 403, 404) },
});

const modeCommand = createRoute({
  method: 'post',
  path: '/api/v1/sites/{siteId}/mode',
  tags: ['commands'],
  summary: "Change a site's mode (normal, secure, lockdown, emergency-unlock)",
  security: bearer,
  request: {
    params: z.object({ siteId: idParam('siteId') }),
    body: { ...json(z.strictObject({ mode: z.enum(SITE_MODES), reason })), required: true },
  },
  responses: { 202: { description: 'accepted', ...json(accepted) }, ...errors(400, 401, 403, 404) },
});

const getCommand = createRoute({
  method: 'get',
  path: '/api/v1/commands/{id}',
  tags: ['commands'],
  summary: 'Status of a command',
  security: bearer,
  request: {
    params: z.object({
      id: z
        .string()
        .uuid()
        .openapi({ param: { name: 'id', in: 'path' } }),
    }),
  },
  responses: { 200: { description: 'command', ...json(commandSchema) }, ...errors(400, 401, 404) },
});

const acceptedBody = (cmd: CommandRecord) => ({
  id: cmd.id,
  status: cmd.status,
  ...(cmd.error ? { error: cmd.error } : {}),
});

export function commandRoutes(ctx: CloudContext) {
  return router()
    .openapi(doorCommand, async (c) => {
      const user = c.get('user');
      const { siteId, doorId } = c.req.valid('param');
      const body = c.req.valid('json');
      const site = await siteFor(ctx, user, siteId, { type: 'door.command', siteId, action: body.action });
      const door = await ctx.docs.read(siteDocName(site.tenantId, siteId), (doc) => new SiteDoc(doc).device(doorId));
      if (!door || door.kind !== 'door') throw notFound('door');
      const target = {
        kind: 'door' as const,
        doorId,
        action: body.action,
        ...(body.durationMs ? { durationMs: body.durationMs } : {}),
      };
      return c.json(acceptedBody(await ctx.commands.issue(user, siteId, target, body.reason, c.get('source'))), 202);
    })
    .openapi(modeCommand, async (c) => {
      const user = c.get('user');
      const { siteId } = c.req.valid('param');
      const body = c.req.valid('json');
      await siteFor(ctx, user, siteId, { type: 'site.mode', siteId, mode: body.mode });
      return c.json(
        acceptedBody(await ctx.commands.issue(user, siteId, { kind: 'mode', mode: body.mode }, body.reason, c.get('source'))),
        202,
      );
    })
    .openapi(getCommand, async (c) => {
      const user = c.get('user');
      const cmd = await ctx.commands.get(c.req.valid('param').id);
      // Another tenant's command, or one of a site outside the caller's scope, does not exist for them.
      if (
        !cmd ||
        !authorize(user, cmd.tenantId, { type: 'site.read', siteId: cmd.siteId }).allowed ||
        user.role === 'vendor'
      )
        throw notFound('command');
      const { tenantId: _t, issuerRole: _r, ...rest } = cmd;
      return c.json({ ...rest, target: cmd.target as Record<string, unknown> }, 200);
    });
}
