import { describe, expect, it } from 'vitest';
import { IPC_REQUESTS } from '../common/ipc-contract';
import { checkIpcRequest, type IpcSender } from './ipc-validate';

const good: IpcSender = { url: 'app://console/index.html#/overview', isMainFrame: true, isConsoleWindow: true };

describe('checkIpcRequest', () => {
  it('passes a console window with a well-formed argument', () => {
    const r = checkIpcRequest(good, IPC_REQUESTS['window:set-route'], '#/alerts');
    expect(r).toEqual({ ok: true, value: '#/alerts' });
  });

  it.each<[string, IpcSender]>([
    ['a window main did not create', { ...good, isConsoleWindow: false }],
    ['a sub-frame', { ...good, isMainFrame: false }],
    ['a foreign page', { ...good, url: 'https://evil.example/' }],
    ['a frame that is gone', { ...good, url: '' }],
  ])('refuses %s', (_name, sender) => {
    expect(checkIpcRequest(sender, IPC_REQUESTS['window:set-route'], '#/alerts').ok).toBe(false);
  });

  it.each<[keyof typeof IPC_REQUESTS, unknown]>([
    ['window:set-route', 'https://evil.example/'],
    ['window:set-route', '#/../../etc'],
    ['window:set-route', 42],
    ['window:set-route', '#/' + 'a'.repeat(300)],
    ['window:open-on-display', { displayId: 'one', route: '#/alerts' }],
    ['window:open-on-display', { displayId: 1, route: 'javascript:alert(1)' }],
    ['notify:critical', { alertId: '', title: 'x', body: '', route: '#/alerts' }],
    ['notify:critical', { alertId: 'a', title: 'x'.repeat(500), body: '', route: '#/alerts' }],
    ['notify:critical', null],
    ['displays:list', { unexpected: true }],
  ])('refuses malformed %s argument %j', (channel, arg) => {
    const r = checkIpcRequest(good, IPC_REQUESTS[channel], arg);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(/invalid argument/);
  });
});
