import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { CORS_HEADERS, HttpError } from './respond';

/** Largest request body the LAN API reads. */
export const LAN_BODY_LIMIT = 16 * 1024;

/**
 * CORS open to any origin on every answer, errors included: consoles on the site LAN call the edge
 * from their own origin, and auth is by bearer token, never cookies, so no ambient credential rides along.
 */
export function lanCors(): MiddlewareHandler {
  return async function corsForLanConsoles(c, next) {
    if (c.req.method === 'OPTIONS') return c.body(null, 204, CORS_HEADERS);
    await next();
    for (const [name, value] of Object.entries(CORS_HEADERS)) c.res.headers.set(name, value);
  };
}

/** True when every `%` in `path` starts a well-formed UTF-8 escape. */
export function hasValidEscapes(path: string): boolean {
  try {
    decodeURIComponent(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * Threat: `%ZZ` or a truncated UTF-8 escape (`%E0%A4%A`) reaching code that decodes ids and throws,
 * which once turned one request into a 500 (and, on the sync upgrade path, a dead gateway).
 */
export function refuseMalformedPath(): MiddlewareHandler {
  return async function refuseMalformedEscapes(c, next) {
    if (!hasValidEscapes(new URL(c.req.url).pathname)) throw new HttpError(400, 'malformed percent-escape in path');
    await next();
  };
}

/** Threat: a huge or endless (chunked) body exhausting the gateway's memory; refused before anything parses it. */
export function lanBodyLimit(): MiddlewareHandler {
  return bodyLimit({
    maxSize: LAN_BODY_LIMIT,
    onError: (c) => c.json({ error: `body larger than ${LAN_BODY_LIMIT} bytes` }, 413),
  });
}
