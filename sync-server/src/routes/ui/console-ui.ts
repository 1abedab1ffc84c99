import { existsSync, readFileSync, statSync } from 'node:fs';
import { extname, join, normalize, sep } from 'node:path';
import type { MiddlewareHandler } from 'hono';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.map': 'application/json',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
};

const RESERVED = /^\/(api|sync|edge|health|metrics)(\/|$)/;

/**
 * Serves the built console at `/` with SPA fallback to index.html, when the folder exists.
 * API, sync and edge paths are never shadowed.
 */
export function consoleUi(dir: string): MiddlewareHandler {
  return async function serveConsole(c, next) {
    if (
      (c.req.method !== 'GET' && c.req.method !== 'HEAD') ||
      RESERVED.test(c.req.path) ||
      !existsSync(join(dir, 'index.html'))
    )
      return next();
    let rel: string;
    try {
      rel = normalize(decodeURIComponent(c.req.path)).replace(/^([/\\])+/, '');
    } catch {
      return next();
    }
    const file = join(dir, rel);
    // Threat: path traversal (`/../../etc/passwd`) reading files outside the console folder.
    if (file !== dir && !file.startsWith(dir.endsWith(sep) ? dir : dir + sep))
      return c.json({ error: 'not-found', message: 'not found' }, 404);
    const target = rel && existsSync(file) && statSync(file).isFile() ? file : join(dir, 'index.html');
    const type = TYPES[extname(target)] ?? 'application/octet-stream';
    c.header('Content-Type', type);
    c.header('Cache-Control', target.endsWith('index.html') ? 'no-cache' : 'public, max-age=3600');
    return c.body(readFileSync(target), 200);
  };
}
