import { createRoute, z } from '@hono/zod-openapi';
import { ID_PATTERN, ROLES, type UserPrincipal } from '@cr/shared';
import type { CloudContext } from '../../context';
import { bearer, errors, router } from '../../http/api-types';
import { idParam, json } from '../schemas';
import { requireTenantAction } from '../site-access';

const tags = ['users'];
const siteIds = z.array(z.string().regex(ID_PATTERN)).max(500);
/** Set by the admin and hashed with scrypt; never returned. */
const password = z.string().min(12, 'at least 12 characters').max(200);

const userSchema = z
  .object({
    id: z.string(),
    email: z.string(),
    name: z.string(),
    role: z.enum(ROLES),
    tenantId: z.string(),
    siteIds: z.array(z.string()),
    disabled: z.boolean(),
  })
  .openapi('User');

const newUserSchema = z
  .strictObject({
    email: z.email().max(254),
    name: z.string().trim().min(1).max(120),
    role: z.enum(ROLES),
    siteIds: siteIds.default([]),
    password,
  })
  .openapi('NewUser');

const userPatchSchema = z
  .strictObject({
    name: z.string().trim().min(1).max(120).optional(),
    role: z.enum(ROLES).optional(),
    siteIds: siteIds.optional(),
    disabled: z.boolean().optional(),
  })
  .openapi('UserPatch');

const params = z.object({ userId: idParam('userId') });

const list = createRoute({
  method: 'get',
  path: '/api/v1/users',
  tags,
  summary: 'Console users of the tenant (tenant-admin)',
  security: bearer,
  responses: { 200: { description: 'users', ...json(z.array(userSchema)) }, ...errors(401, 403) },
});

const get = createRoute({
  method: 'get',
  path: '/api/v1/users/{userId}',
  tags,
  summary: 'One user (tenant-admin)',
  security: bearer,
  request: { params },
  responses: { 200: { description: 'user', ...json(userSchema) }, ...errors(400, 401, 403, 404) },
});

const create = createRoute({
  method: 'post',
  path: '/api/v1/users',
  tags,
  summary: 'Create a user with a role, site scope and a password set by the admin (tenant-admin)',
  security: bearer,
  request: { body: { ...json(newUserSchema), required: true } },
  responses: { 201: { description: 'created', ...json(userSchema) }, ...errors(400, 401, 403, 409) },
});

const update = createRoute({
  method: 'patch',
  path: '/api/v1/users/{userId}',
  tags,
  summary:
    "Change a user's name, role, sites or disabled flag; access tokens issued before the change stop working (tenant-admin)",
  security: bearer,
  request: { params, body: { ...json(userPatchSchema), required: true } },
  responses: { 200: { description: 'user', ...json(userSchema) }, ...errors(400, 401, 403, 404, 409) },
});

const disable = createRoute({
  method: 'delete',
  path: '/api/v1/users/{userId}',
  tags,
  summary: 'Disable a user and end their sessions; users are never deleted, the audit log names them (tenant-admin)',
  security: bearer,
  request: { params },
  responses: { 204: { description: 'disabled' }, ...errors(400, 401, 403, 404, 409) },
});

const setPassword = createRoute({
  method: 'put',
  path: '/api/v1/users/{userId}/password',
  tags,
  summary: "Set a user's password and end their sessions (tenant-admin)",
  security: bearer,
  request: { params, body: { ...json(z.strictObject({ password })), required: true } },
  responses: { 204: { description: 'set' }, ...errors(400, 401, 403, 404) },
});

const admin = (user: UserPrincipal): UserPrincipal => {
  requireTenantAction(user, { type: 'users.manage' });
  return user;
};

export function userRoutes(ctx: CloudContext) {
  const svc = ctx.userAdmin;
  return router()
    .openapi(list, async (c) => c.json(await svc.list(admin(c.get('user')).tenantId), 200))
    .openapi(get, async (c) => c.json(await svc.get(admin(c.get('user')).tenantId, c.req.valid('param').userId), 200))
    .openapi(create, async (c) =>
      c.json(await svc.create(admin(c.get('user')), c.req.valid('json'), c.get('source')), 201),
    )
    .openapi(update, async (c) =>
      c.json(await svc.update(admin(c.get('user')), c.req.valid('param').userId, c.req.valid('json'), c.get('source')), 200),
    )
    .openapi(disable, async (c) => {
      await svc.disable(admin(c.get('user')), c.req.valid('param').userId, c.get('source'));
      return c.body(null, 204);
    })
    .openapi(setPassword, async (c) => {
      const { userId } = c.req.valid('param');
      await svc.setPassword(admin(c.get('user')), userId, c.req.valid('json').password, c.get('source'));
      return c.body(null, 204);
    });
}
