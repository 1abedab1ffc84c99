import { BlockList } from 'node:net';
import type { IncomingMessage } from 'node:http';
import type { MiddlewareHandler } from 'hono';
import type { AuthService } from '../domain/auth-service';
import { forbidden, unauthorized } from '../domain/errors';
import type { ApiEnv } from './api-types';
import { clientAddress } from './client-address';

/** Paths under /api/v1 that work without a token. */
const PUBLIC = new Set([
  '/api/v1/auth/login',
  '/api/v1/auth/refresh',
  '/api/v1/auth/logout',
  '/api/v1/auth/public-key',
  '/api/v1/openapi.json',
  '/api/v1/docs',
]);

/** The one path a token that may only change the password opens. */
export const PASSWORD_PATH = '/api/v1/auth/password';

/**
 * Sets `source` (the client's address; X-Forwarded-For only from `trustedProxies`) and verifies
 * `Authorization: Bearer <access token>` on every non-public API path: a console token (audience
 * `api`) only — LAN tokens and edge tokens are 401. A token issued for replacing an admin-set
 * password opens `POST /api/v1/auth/password` and nothing else (403).
 */
export function authenticate(auth: AuthService, trustedProxies = new BlockList()): MiddlewareHandler<ApiEnv> {
  return async function authenticateRequest(c, next) {
    const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
    c.set('source', clientAddress(incoming?.socket?.remoteAddress, c.req.header('x-forwarded-for'), trustedProxies));
    if (PUBLIC.has(c.req.path)) return next();
    const header = c.req.header('authorization');
    if (!header?.startsWith('Bearer ')) throw unauthorized('Authorization: Bearer <accessToken> required');
    const caller = await auth.verifyApi(header.slice(7).trim());
    if (caller.passwordChangeOnly && !(c.req.method === 'POST' && c.req.path === PASSWORD_PATH))
      throw forbidden('change your password first (POST /api/v1/auth/password)');
    c.set('user', caller.principal);
    return next();
  };
}
