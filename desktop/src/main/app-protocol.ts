import { extname, resolve, sep } from 'node:path';
import { APP_HOST, CONSOLE_CSP } from './url-guards';

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
  '.wav': 'audio/wav',
};

export type AppAsset = { status: 200; file: string; mime: string; headers: Record<string, string> } | { status: 403 | 404 };

/**
 * Maps an `app://console/...` request to a file of the renderer bundle. Unknown extension-less
 * paths fall back to index.html (the console routes in the hash, but a reload of a deep link must
 * still work). Threat: `..` or encoded separators reading files outside the bundle.
 */
export function resolveAppAsset(rootDir: string, requestUrl: string): AppAsset {
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    return { status: 404 };
  }
  if (url.host !== APP_HOST) return { status: 404 };
  let pathname: string;
  try {
    pathname = decodeURIComponent(url.pathname);
  } catch {
    return { status: 403 };
  }
  if (pathname.includes('\0') || pathname.includes('\\') || pathname.split('/').includes('..')) return { status: 403 };
  const relative = pathname === '/' || pathname === '' ? 'index.html' : pathname.replace(/^\/+/, '');
  const ext = extname(relative);
  const target = ext === '' ? 'index.html' : relative;
  const root = resolve(rootDir);
  const file = resolve(root, target);
  if (file !== root && !file.startsWith(root + sep)) return { status: 403 };
  const mime = MIME[ext === '' ? '.html' : ext];
  if (!mime) return { status: 404 };
  return {
    status: 200,
    file,
    mime,
    headers: { 'content-type': mime, 'content-security-policy': CONSOLE_CSP, 'x-content-type-options': 'nosniff' },
  };
}
