import type { MiddlewareHandler } from 'hono';

/**
 * The console's policy: what desktop/src/renderer/index.html declares in its meta tag (scripts and
 * styles from the bundle, map tiles as data/blob images, workers from blob URLs, connections to the
 * cloud and to site edges on the LAN over http(s)/ws(s)), plus what only a header can say.
 */
export const CONSOLE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "worker-src 'self' blob:",
  "connect-src 'self' http: https: ws: wss:",
  "object-src 'none'",
  "frame-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** JSON, metrics and errors: nothing to load, nothing to run. */
export const API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/**
 * The OpenAPI explorer (`@hono/swagger-ui`) loads swagger-ui from jsDelivr and starts it with an
 * inline script; it shows only the public API description, and nothing on that page reads tokens.
 */
export const DOCS_CSP = [
  "default-src 'none'",
  "script-src https://cdn.jsdelivr.net 'unsafe-inline'",
  "style-src https://cdn.jsdelivr.net 'unsafe-inline'",
  "img-src 'self' data: https://cdn.jsdelivr.net",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

const DOCS_PATH = '/api/v1/docs';
const API_PATHS = /^\/(api|health|metrics|edge|sync)(\/|$)/;

/** The policy for a path. */
export function cspFor(path: string): string {
  if (path === DOCS_PATH) return DOCS_CSP;
  return API_PATHS.test(path) ? API_CSP : CONSOLE_CSP;
}

/**
 * Security headers on every response the cloud serves (console files, API answers, errors).
 * Threats: clickjacking the console in a frame (`frame-ancestors 'none'`, X-Frame-Options),
 * injected script running with the signed-in operator's tokens (CSP), a JSON or text answer
 * sniffed into HTML (nosniff), and console URLs (site and device ids) leaking to other origins
 * through the Referer header (no-referrer).
 */
export function securityHeaders(): MiddlewareHandler {
  return async function setSecurityHeaders(c, next) {
    await next();
    const csp = cspFor(c.req.path);
    try {
      c.res.headers.set('Content-Security-Policy', csp);
    } catch {
      // A response with immutable headers (e.g. passed through from fetch): copy it once.
      c.res = new Response(c.res.body, c.res);
      c.res.headers.set('Content-Security-Policy', csp);
    }
    const out = c.res.headers;
    out.set('X-Content-Type-Options', 'nosniff');
    out.set('Referrer-Policy', 'no-referrer');
    out.set('X-Frame-Options', 'DENY');
    out.set('Cross-Origin-Opener-Policy', 'same-origin');
  };
}
