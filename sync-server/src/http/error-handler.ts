import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { ApiError } from '../domain/errors';

/** Every failure becomes `{error, message}` with a 4xx (or 500 without internals); nothing crashes the process. */
export function handleError(err: Error, c: Context): Response {
  if (err instanceof ApiError) {
    if (err.retryAfterSec) c.header('Retry-After', String(err.retryAfterSec));
    return c.json({ error: err.code, message: err.message }, err.status);
  }
  if (err instanceof HTTPException) {
    const status = err.status;
    const code = status === 413 ? 'too-large' : status === 401 ? 'unauthorized' : 'bad-request';
    const message = status === 400 && /JSON/i.test(err.message) ? 'malformed JSON body' : err.message || 'bad request';
    return c.json({ error: code, message }, status);
  }
  console.error(`cloud: unexpected error on ${c.req.method} ${c.req.path}: ${err.stack ?? err.message}`);
  return c.json({ error: 'server-error', message: 'internal error' }, 500);
}

export function handleNotFound(c: Context): Response {
  return c.json({ error: 'not-found', message: `no route ${c.req.method} ${c.req.path}` }, 404);
}
