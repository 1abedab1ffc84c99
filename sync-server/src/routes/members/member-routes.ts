import { createRoute, z } from '@hono/zod-openapi';
import { credentialSchema, type UserPrincipal } from '@cr/shared';
import { cloudGrantSchema, cloudMemberSchema } from '../../domain/member-model';
import type { CloudContext } from '../../context';
import { bearer, errors, router } from '../../http/api-types';
import { idParam, json } from '../schemas';
import { requireTenantAction } from '../site-access';

const grant = cloudGrantSchema.strict();
const member = cloudMemberSchema;
const memberBody = cloudMemberSchema
  .omit({ id: true })
  .extend({
    grants: z.array(grant).max(100),
    // Stored explicitly, so what an edge receives never depends on how it reads an absent flag.
    afterHours: z.boolean().default(false).describe("enters while the site's policy has it closed"),
  })
  .strict()
  .openapi('MemberBody');
const memberIdParams = z.object({ memberId: idParam('memberId') });
const tags = ['members'];

const list = createRoute({
  method: 'get',
  path: '/api/v1/members',
  tags,
  summary: 'Members with credentials and grants, and the tenant permission version (tenant-admin)',
  security: bearer,
  responses: {
    200: { description: 'members', ...json(z.object({ version: z.number(), members: z.array(member) })) },
    ...errors(401, 403),
  },
});

const get = createRoute({
  method: 'get',
  path: '/api/v1/members/{memberId}',
  tags,
  summary: 'One member (tenant-admin)',
  security: bearer,
  request: { params: memberIdParams },
  responses: { 200: { description: 'member', ...json(member) }, ...errors(400, 401, 403, 404) },
});

const put = createRoute({
  method: 'put',
  path: '/api/v1/members/{memberId}',
  tags,
  summary:
    'Create or replace a member; connected edges receive the change at once, each edge only members with a grant on its site (tenant-admin)',
  security: bearer,
  request: { params: memberIdParams, body: { ...json(memberBody), required: true } },
  responses: { 200: { description: 'saved', ...json(member) }, ...errors(400, 401, 403, 409) },
});

const revoke = createRoute({
  method: 'delete',
  path: '/api/v1/members/{memberId}',
  tags,
  summary: 'Revoke a member everywhere (tenant-admin)',
  security: bearer,
  request: { params: memberIdParams },
  responses: { 204: { description: 'revoked' }, ...errors(400, 401, 403, 404) },
});

const addCredential = createRoute({
  method: 'post',
  path: '/api/v1/members/{memberId}/credentials',
  tags,
  summary: 'Add a credential to a member (tenant-admin)',
  security: bearer,
  request: { params: memberIdParams, body: { ...json(credentialSchema.strict()), required: true } },
  responses: { 200: { description: 'member', ...json(member) }, ...errors(400, 401, 403, 404, 409) },
});

const removeCredential = createRoute({
  method: 'post',
  path: '/api/v1/members/{memberId}/credentials/revoke',
  tags,
  summary: "Revoke one of a member's credentials (tenant-admin)",
  security: bearer,
  request: { params: memberIdParams, body: { ...json(credentialSchema.strict()), required: true } },
  responses: { 200: { description: 'member', ...json(member) }, ...errors(400, 401, 403, 404) },
});

const setGrants = createRoute({
  method: 'put',
  path: '/api/v1/members/{memberId}/grants',
  tags,
  summary: "Replace a member's grants (tenant-admin)",
  security: bearer,
  request: {
    params: memberIdParams,
    body: { ...json(z.strictObject({ grants: z.array(grant).max(100) })), required: true },
  },
  responses: { 200: { description: 'member', ...json(member) }, ...errors(400, 401, 403, 404) },
});

const admin = (user: UserPrincipal): UserPrincipal => {
  requireTenantAction(user, { type: 'members.manage' });
  return user;
};

export function memberRoutes(ctx: CloudContext) {
  const svc = ctx.memberService;
  return router()
    .openapi(list, async (c) => c.json(await svc.list(admin(c.get('user')).tenantId), 200))
    .openapi(get, async (c) => c.json(await svc.get(admin(c.get('user')).tenantId, c.req.valid('param').memberId), 200))
    .openapi(put, async (c) => {
      const body = c.req.valid('json');
      return c.json(
        await svc.put(admin(c.get('user')), { ...body, id: c.req.valid('param').memberId }, c.get('source')),
        200,
      );
    })
    .openapi(revoke, async (c) => {
      await svc.revoke(admin(c.get('user')), c.req.valid('param').memberId, c.get('source'));
      return c.body(null, 204);
    })
    .openapi(addCredential, async (c) =>
      c.json(
        await svc.addCredential(admin(c.get('user')), c.req.valid('param').memberId, c.req.valid('json'), c.get('source')),
        200,
      ),
    )
    .openapi(removeCredential, async (c) =>
      c.json(
        await svc.removeCredential(admin(c.get('user')), c.req.valid('param').memberId, c.req.valid('json'), c.get('source')),
        200,
      ),
    )
    .openapi(setGrants, async (c) =>
      c.json(
        await svc.setGrants(admin(c.get('user')), c.req.valid('param').memberId, c.req.valid('json').grants, c.get('source')),
        200,
      ),
    );
}
