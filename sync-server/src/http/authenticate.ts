import type { MiddlewareHandler } from 'hono';
import type { AuthService } from '../domain/auth-service';
import { unauthorized } from '../domain/errors';
import type { ApiEnv } from './api-types';

/** Paths under /api/v1 that work without a token. */
const PUBLIC = new Set([
  '/api/v1/auth/login',
  '/api/v1/auth/refresh',
  '/api/v1/auth/logout',
  '/api/v1/auth/public-key',
  '/api/v1/openapi.json',
  '/api/v1/docs',
]);

/** Where a request came from, for the audit log. */
function sourceOf(headers: Headers): string {
  const fwd = headers.get('x-forwarded-for')?.split(',')[0]?.trim();
  return (fwd || headers.get('x-real-ip') || 'api').slice(0, 100);
}

/** Verifies `Authorization: Bearer <access token>` on every non-public API path. */
export function authenticate(auth: AuthService): MiddlewareHandler<ApiEnv> {
  return async function authenticateRequest(c, next) {
    c.set('source', sourceOf(c.req.raw.headers));
    if (PUBLIC.has(c.req.path)) return next();
    const header = c.req.header('authorization');
    if (!header?.startsWith('Bearer ')) throw unauthorized('Authorization: Bearer <accessToken> required');
    c.set('user', await auth.verifyUser(header.slice(7).trim()));
    return next();
  };
}
