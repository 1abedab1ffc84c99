import { describe, expect, it } from 'vitest';
import { CONSOLE_CSP, isTrustedAppUrl, mayGrantPermission, mayNavigate } from './url-guards';

describe('isTrustedAppUrl / mayNavigate', () => {
  it.each([
    ['app://console/index.html', true],
    ['app://console/index.html#/alerts/gangnam.door-lobby.door.forced.1', true],
    ['app://console/', true],
  ])('allows the console bundle: %s', (url, ok) => {
    expect(isTrustedAppUrl(url)).toBe(ok);
    expect(mayNavigate(url)).toBe(ok);
  });

  it.each([
    ['https://evil.example/', 'a foreign site'],
    ['http://127.0.0.1:8080/', 'the cloud itself (no preload bridge there)'],
    ['app://console.evil/index.html', 'a look-alike host'],
    ['app://evil/index.html', 'another app host'],
    ['app://user:pw@console/index.html', 'credentials smuggled in'],
    ['file:///etc/passwd', 'a local file'],
    ['javascript:alert(1)', 'a script URL'],
    ['data:text/html,<script>1</script>', 'a data URL'],
    ['about:blank', 'about:blank'],
    ['', 'an empty string'],
    ['not a url', 'garbage'],
  ])('refuses %s (%s)', (url) => {
    expect(isTrustedAppUrl(url)).toBe(false);
    expect(mayNavigate(url)).toBe(false);
  });
});

describe('mayGrantPermission', () => {
  it.each([
    ['media', 'app://console/index.html'],
    ['geolocation', 'app://console/index.html'],
    ['notifications', 'app://console/index.html'],
    ['hid', 'app://console/index.html'],
    ['openExternal', 'app://console/index.html'],
    ['clipboard-sanitized-write', 'https://evil.example/'],
  ])('denies %s for %s', (permission, url) => {
    expect(mayGrantPermission(permission, url)).toBe(false);
  });

  it('allows only sanitized clipboard writes from the console', () => {
    expect(mayGrantPermission('clipboard-sanitized-write', 'app://console/index.html')).toBe(true);
  });
});

describe('CONSOLE_CSP', () => {
  it('locks scripts to the bundle and forbids objects, frames and base rewrites', () => {
    expect(CONSOLE_CSP).toContain("script-src 'self'");
    expect(CONSOLE_CSP).not.toMatch(/unsafe-eval/);
    expect(CONSOLE_CSP).toContain("object-src 'none'");
    expect(CONSOLE_CSP).toContain("frame-src 'none'");
    expect(CONSOLE_CSP).toContain("base-uri 'none'");
  });
});
