import { describe, expect, it } from 'vitest';
import { resolveAppAsset } from './app-protocol';

const ROOT = '/opt/console/renderer';

describe('resolveAppAsset', () => {
  it.each([
    ['app://console/', `${ROOT}/index.html`],
    ['app://console/index.html', `${ROOT}/index.html`],
    ['app://console/assets/index-abc.js', `${ROOT}/assets/index-abc.js`],
    ['app://console/sites/gangnam', `${ROOT}/index.html`],
  ])('serves %s from the bundle', (url, file) => {
    const r = resolveAppAsset(ROOT, url);
    expect(r.status).toBe(200);
    if (r.status === 200) {
      expect(r.file).toBe(file);
      expect(r.headers['content-security-policy']).toContain("script-src 'self'");
    }
  });

  it.each([
    ['app://console/..%2f..%2fetc/passwd', 'an encoded parent path'],
    ['app://console/assets/..%2F..%2F..%2Fetc%2Fshadow.js', 'encoded separators'],
    ['app://console/assets/%00.js', 'a NUL byte'],
    ['app://console/assets\\..\\..\\x.js', 'backslashes'],
    ['app://console/%E0%A4%A', 'malformed percent-encoding'],
  ])('refuses %s (%s)', (url) => {
    expect(resolveAppAsset(ROOT, url).status).toBe(403);
  });

  it('lets the URL parser resolve encoded dots, which can only land inside the bundle', () => {
    const r = resolveAppAsset(ROOT, 'app://console/%2e%2e/%2e%2e/secret.js');
    expect(r.status === 200 && r.file).toBe(`${ROOT}/secret.js`);
  });

  it.each([
    ['app://other/index.html', 'another host'],
    ['app://console/tool.exe', 'an unknown file type'],
    ['::::', 'garbage'],
  ])('answers 404 for %s (%s)', (url) => {
    expect(resolveAppAsset(ROOT, url).status).toBe(404);
  });
});
