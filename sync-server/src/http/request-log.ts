import { randomUUID } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import type { CloudLog } from '../log';
import type { ApiEnv } from './api-types';

export const REQUEST_ID_HEADER = 'X-Request-Id';

/**
 * An incoming request id worth keeping (a proxy's or a client's, to follow one request across
 * services). Threat: a forged id carrying newlines, markup or a megabyte into every log line and
 * response header that repeats it; anything else is replaced by a fresh UUID.
 */
export const SAFE_REQUEST_ID = /^[A-Za-z0-9][A-Za-z0-9._:=-]{0,127}$/;

/** The incoming id when it is safe, else a new one. */
export function requestIdFor(incoming: string | undefined): string {
  return incoming !== undefined && SAFE_REQUEST_ID.test(incoming) ? incoming : randomUUID();
}

/**
 * Gives every request an id (the `requestId` variable, a child logger carrying it as `log`, and
 * the `X-Request-Id` response header), then writes one access line: method, path, status, ms,
 * request id and, once authenticated, the user. The path is logged without its query string,
 * which may carry a token (`?token=` of a sync socket, a pasted link).
 */
export function requestLog(log: CloudLog): MiddlewareHandler<ApiEnv> {
  return async function logRequest(c, next) {
    const started = performance.now();
    const requestId = requestIdFor(c.req.header(REQUEST_ID_HEADER));
    c.set('requestId', requestId);
    c.set('log', log.child({ requestId }));
    await next();
    try {
      c.res.headers.set(REQUEST_ID_HEADER, requestId);
    } catch {
      // A response with immutable headers (e.g. passed through from fetch): copy it once.
      c.res = new Response(c.res.body, c.res);
      c.res.headers.set(REQUEST_ID_HEADER, requestId);
    }
    const user = c.get('user') as ApiEnv['Variables']['user'] | undefined;
    const status = c.res.status;
    log[status >= 500 ? 'error' : 'info'](
      {
        requestId,
        method: c.req.method,
        path: c.req.path.slice(0, 300),
        status,
        ms: Math.round((performance.now() - started) * 10) / 10,
        ...(user ? { userId: user.userId, tenantId: user.tenantId } : {}),
      },
      'request',
    );
  };
}
