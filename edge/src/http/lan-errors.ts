import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { Logger } from '../log';
import { HttpError } from './respond';

/** The message the LAN API gives for the framework's own refusals (bad JSON, wrong content type). */
function frameworkMessage(err: HTTPException): string {
  if (err.status === 400 && /JSON/i.test(err.message)) return 'body is not JSON';
  if (err.status === 415) return 'body must be application/json';
  return err.message || 'bad request';
}

/** Every failure becomes `{error}` with a 4xx; a 500 only for a bug, logged, never with internals. */
export function answerLanError(log: Logger) {
  return function answerWithJsonError(err: Error, c: Context): Response {
    if (err instanceof HttpError) return c.json({ error: err.message }, err.status as ContentfulStatusCode);
    if (err instanceof HTTPException) return c.json({ error: frameworkMessage(err) }, err.status);
    // A client that hung up mid-body (truncated chunked upload): bad input, not a bug.
    if (c.req.raw.signal.aborted) return c.json({ error: 'request body aborted by the client' }, 400);
    log.error(
      `http ${c.req.method} ${c.req.path.slice(0, 200)}: ${(err.stack ?? err.message).split('\n', 3).join(' | ')}`,
    );
    return c.json({ error: 'internal error' }, 500);
  };
}

export function answerNotFound(c: Context): Response {
  return c.json({ error: 'not found' }, 404);
}
