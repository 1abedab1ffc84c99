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

/** What `/` shows while the console is not built: how to build it, instead of a bare 404. */
const NOT_BUILT_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Control room cloud</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:4rem auto;padding:0 1rem;color:#1c2430}code{background:#eef1f5;padding:.1rem .3rem;border-radius:3px}</style>
</head><body>
<h1>The cloud is running; the console is not built</h1>
<p>Build it once from the repository root, then reload this page (no restart needed):</p>
<p><code>npm run build -w @cr/desktop</code></p>
<p>콘솔이 아직 빌드되지 않았습니다. 저장소 루트에서 위 명령을 실행한 뒤 이 페이지를 새로 고치세요.</p>
<p>The API is at <a href="/api/v1/docs">/api/v1/docs</a>; health at <a href="/health">/health</a>.</p>
</body></html>
`;

/** A path a browser navigates to (a page or an SPA route), not an asset such as `/assets/app.js`. */
const isPagePath = (path: string): boolean => !extname(path) || extname(path) === '.html';

/**
 * Serves the built console at `/` with SPA fallback to index.html, when the folder exists; while it
 * does not, pages answer with how to build it. API, sync and edge paths are never shadowed.
 */
export function consoleUi(dir: string): MiddlewareHandler {
  return async function serveConsole(c, next) {
    if ((c.req.method !== 'GET' && c.req.method !== 'HEAD') || RESERVED.test(c.req.path)) return next();
    if (!existsSync(join(dir, 'index.html'))) {
      if (!isPagePath(c.req.path)) return next();
      c.header('Cache-Control', 'no-store');
      return c.html(NOT_BUILT_PAGE, 200);
    }
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
