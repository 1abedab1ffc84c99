import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { ApiError } from '../domain/errors';
import type { CloudLog } from '../log';

/**
 * Every failure becomes `{error, message}` with a 4xx (or 500 without internals); nothing crashes
 * the process. A 500 is logged with its stack, on the request's logger (its request id) when it has one.
 */
export function handleError(log: CloudLog) {
  return function answerError(err: Error, c: Context): Response {
    return errorResponse(err, c, (c.get('log') as CloudLog | undefined) ?? log);
  };
}

function errorResponse(err: Error, c: Context, log: CloudLog): Response {
  if (err instanceof ApiError) {
    if (err.retryAfterSec) c.header('Retry-After', String(err.retryAfterSec));
    return c.json({ ...err.extra, error: err.code, message: err.message }, err.status);
  }
  if (err instanceof HTTPException) {
    const status = err.status;
    const code = status === 413 ? 'too-large' : status === 401 ? 'unauthorized' : 'bad-request';
    const message = status === 400 && /JSON/i.test(err.message) ? 'malformed JSON body' : err.message || 'bad request';
    return c.json({ error: code, message }, status);
  }
  log.error({ err }, `unexpected error on ${c.req.method} ${c.req.path.slice(0, 300)}`);
  return c.json({ error: 'server-error', message: 'internal error' }, 500);
}

export function handleNotFound(c: Context): Response {
  return c.json({ error: 'not-found', message: `no route ${c.req.method} ${c.req.path}` }, 404);
}
