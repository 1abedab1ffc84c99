import { createRoute, z } from '@hono/zod-openapi';
import type { CloudContext } from '../../context';
import { bearer, errors, router } from '../../http/api-types';
import { MIN_PASSWORD_LENGTH, publicUser } from '../../domain/auth-service';
import { unauthorized } from '../../domain/errors';

const userSchema = z
  .object({
    id: z.string(),
    email: z.string(),
    name: z.string(),
    role: z.string(),
    tenantId: z.string(),
    siteIds: z.array(z.string()),
  })
  .openapi('User');
const sessionSchema = z
  .object({ accessToken: z.string(), refreshToken: z.string(), expiresAt: z.number(), user: userSchema })
  .openapi('Session');
/** Sign-in of a person whose password an admin set: `accessToken` opens only `POST /api/v1/auth/password`. */
const passwordChangeSchema = z
  .object({ mustChangePassword: z.literal(true), accessToken: z.string(), expiresAt: z.number(), user: userSchema })
  .openapi('PasswordChangeRequired');
const json = <T extends z.ZodType>(schema: T) => ({ content: { 'application/json': { schema } } });

const login = createRoute({
  method: 'post',
  path: '/api/v1/auth/login',
  tags: ['auth'],
  summary: 'Sign in with e-mail and password',
  request: {
    body: {
      ...json(z.strictObject({ email: z.string().min(3).max(254), password: z.string().min(1).max(1024) })),
      required: true,
    },
  },
  responses: {
    200: {
      description: 'signed in, or a password set by an admin must be replaced first',
      ...json(z.union([sessionSchema, passwordChangeSchema])),
    },
    ...errors(400, 401, 429),
  },
});

const refreshBody = z.strictObject({ refreshToken: z.string().min(10).max(200) });
const refresh = createRoute({
  method: 'post',
  path: '/api/v1/auth/refresh',
  tags: ['auth'],
  summary: 'Rotate a refresh token (each one works once)',
  request: { body: { ...json(refreshBody), required: true } },
  responses: { 200: { description: 'new tokens', ...json(sessionSchema) }, ...errors(400, 401) },
});

const logoutBody = z.strictObject({
  refreshToken: z.string().min(10).max(200),
  /** the console's LAN token, revoked at every edge of the tenant */
  lanToken: z.string().min(10).max(8192).optional(),
});
const logout = createRoute({
  method: 'post',
  path: '/api/v1/auth/logout',
  tags: ['auth'],
  summary: "Revoke the session of a refresh token, and the console's LAN token at the edges",
  request: { body: { ...json(logoutBody), required: true } },
  responses: { 204: { description: 'signed out' }, ...errors(400) },
});

const publicKey = createRoute({
  method: 'get',
  path: '/api/v1/auth/public-key',
  tags: ['auth'],
  summary: 'The Ed25519 public key tokens are signed with (JWK)',
  responses: { 200: { description: 'public key', ...json(z.object({ jwk: z.record(z.string(), z.unknown()) })) } },
});

const lanToken = createRoute({
  method: 'post',
  path: '/api/v1/auth/lan-token',
  tags: ['auth'],
  summary:
    "A 2 h token for the LAN API of the caller's sites' edges while the internet is down (the cloud API refuses it)",
  security: bearer,
  responses: {
    200: { description: 'LAN token', ...json(z.object({ token: z.string(), expiresAt: z.number() })) },
    ...errors(401, 403),
  },
});

const changePassword = createRoute({
  method: 'post',
  path: '/api/v1/auth/password',
  tags: ['auth'],
  summary: 'Replace your password (required after an admin set it); ends every other session',
  security: bearer,
  request: {
    body: {
      ...json(
        z.strictObject({
          currentPassword: z.string().min(1).max(1024),
          newPassword: z.string().min(MIN_PASSWORD_LENGTH).max(1024),
        }),
      ),
      required: true,
    },
  },
  responses: { 200: { description: 'a new session', ...json(sessionSchema) }, ...errors(400, 401, 403, 429) },
});

const me = createRoute({
  method: 'get',
  path: '/api/v1/me',
  tags: ['auth'],
  summary: 'The user of the token',
  security: bearer,
  responses: { 200: { description: 'user', ...json(userSchema) }, ...errors(401) },
});

export function authRoutes(ctx: CloudContext) {
  return router()
    .openapi(login, async (c) => {
      const { email, password } = c.req.valid('json');
      return c.json(await ctx.auth.login(email, password, c.get('source')), 200);
    })
    .openapi(refresh, async (c) => c.json(await ctx.auth.refresh(c.req.valid('json').refreshToken), 200))
    .openapi(logout, async (c) => {
      const body = c.req.valid('json');
      await ctx.auth.logout(body.refreshToken, body.lanToken);
      return c.body(null, 204);
    })
    .openapi(publicKey, async (c) => c.json({ jwk: ctx.keys.publicJwk as Record<string, unknown> }, 200))
    .openapi(lanToken, async (c) => c.json(await ctx.auth.lanToken(c.get('user')), 200))
    .openapi(changePassword, async (c) => {
      const { currentPassword, newPassword } = c.req.valid('json');
      return c.json(await ctx.auth.changePassword(c.get('user'), currentPassword, newPassword, c.get('source')), 200);
    })
    .openapi(me, async (c) => {
      const rec = await ctx.users.byId(c.get('user').userId);
      if (!rec || rec.disabled) throw unauthorized('account disabled');
      return c.json(publicUser(rec), 200);
    });
}
