/**
 * Which URLs a console window may show and which permissions it may get. Tiny pure functions so
 * every negative case is table-tested without the Electron binary.
 */
export const APP_SCHEME = 'app';
export const APP_HOST = 'console';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/** True only for pages of the console's own bundle, served by the app protocol. */
export function isTrustedAppUrl(raw: string): boolean {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return false;
  }
  // Threat: a look-alike origin (credentials, port or another host) passing a prefix check.
  return url.protocol === `${APP_SCHEME}:` && url.host === APP_HOST && url.username === '' && url.password === '';
}

/**
 * A window may only (re)load the console itself. Threat: a link, redirect or injected script
 * navigating a privileged window (with the preload bridge) to a foreign page.
 */
export function mayNavigate(targetUrl: string): boolean {
  return isTrustedAppUrl(targetUrl);
}

/** Permissions the console may be granted. Threat: camera/mic/geolocation/HID prompts from injected content. */
const ALLOWED_PERMISSIONS: ReadonlySet<string> = new Set(['clipboard-sanitized-write']);

export function mayGrantPermission(permission: string, requestingUrl: string): boolean {
  return ALLOWED_PERMISSIONS.has(permission) && isTrustedAppUrl(requestingUrl);
}

/**
 * The console's Content-Security-Policy. `connect-src` must allow http/ws to any host because the
 * cloud address and a site's edge LAN address are configured at run time; scripts, styles and
 * frames stay locked to the bundle.
 */
export const CONSOLE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "worker-src 'self' blob:",
  'connect-src \'self\' http: https: ws: wss:',
  "object-src 'none'",
  "frame-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');
