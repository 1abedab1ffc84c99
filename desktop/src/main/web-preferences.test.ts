import { describe, expect, it } from 'vitest';
import { BRIDGE_CONFIG_SWITCH } from '../common/ipc-contract';
import { readMainConfig } from './main-config';
import { secureWebPreferences } from './web-preferences';

describe('secureWebPreferences', () => {
  it('isolates, sandboxes and keeps Node out of every console window', () => {
    const p = secureWebPreferences('/app/preload.cjs', { cloudUrl: 'http://127.0.0.1:8080' });
    expect(p).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, nodeIntegrationInWorker: false, nodeIntegrationInSubFrames: false, webviewTag: false, webSecurity: true, allowRunningInsecureContent: false });
    expect(p.additionalArguments).toEqual([`${BRIDGE_CONFIG_SWITCH}{"cloudUrl":"http://127.0.0.1:8080"}`]);
  });
});

describe('readMainConfig', () => {
  it('takes --cloud, then CR_CLOUD_URL, then the local demo cloud', () => {
    expect(readMainConfig(['electron', 'main', '--cloud', 'http://10.0.0.5:8080/'], {}).cloudUrl).toBe('http://10.0.0.5:8080');
    expect(readMainConfig([], { CR_CLOUD_URL: 'https://cloud.example' }).cloudUrl).toBe('https://cloud.example');
    expect(readMainConfig([], {}).cloudUrl).toBe('http://127.0.0.1:8080');
  });
  it.each(['javascript:alert(1)', 'file:///etc', 'ftp://x', 'not a url'])('ignores an unusable cloud URL %s', (raw) => {
    expect(readMainConfig(['--cloud', raw], {}).cloudUrl).toBe('http://127.0.0.1:8080');
  });
});
