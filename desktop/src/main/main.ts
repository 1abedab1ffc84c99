import { app, net, Notification, protocol, screen, session } from 'electron';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { resolveAppAsset } from './app-protocol';
import { handleIpc } from './ipc';
import { LayoutStore } from './layout-store';
import { readMainConfig } from './main-config';
import { createTray } from './tray';
import { APP_SCHEME, mayGrantPermission } from './url-guards';
import { WindowManager } from './windows';

/**
 * Electron main: creates windows, serves the renderer bundle over the app protocol and relays a
 * few validated IPC requests. Everything with logic lives in pure modules beside this file.
 */
const rendererDir = join(__dirname, '..', 'renderer');
const preloadPath = join(__dirname, 'preload.cjs');

protocol.registerSchemesAsPrivileged([
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } },
]);

if (!app.requestSingleInstanceLock()) {
  // A second launch focuses the running console instead of opening a rival set of windows.
  app.quit();
} else {
  void start();
}

async function start(): Promise<void> {
  await app.whenReady();
  const config = readMainConfig(process.argv, process.env);
  const windows = new WindowManager(new LayoutStore(app.getPath('userData')), preloadPath, config);

  protocol.handle(APP_SCHEME, async (request) => {
    const asset = resolveAppAsset(rendererDir, request.url);
    if (asset.status !== 200) return new Response(null, { status: asset.status });
    const file = await net.fetch(pathToFileURL(asset.file).toString());
    if (!file.ok) return new Response(null, { status: 404 });
    return new Response(file.body, { status: 200, headers: asset.headers });
  });

  session.defaultSession.setPermissionRequestHandler((contents, permission, callback) =>
    callback(mayGrantPermission(permission, contents.getURL())),
  );
  session.defaultSession.setPermissionCheckHandler((_contents, permission, origin) => mayGrantPermission(permission, origin));

  const isConsole = windows.isConsole.bind(windows);
  handleIpc('displays:list', isConsole, () => windows.displays());
  handleIpc('window:set-route', isConsole, (route, sender) => {
    const id = windows.displayOf(sender);
    if (id !== undefined) windows.remember(id, { route });
  });
  handleIpc('window:open-on-display', isConsole, ({ displayId, route }) => windows.openOn(displayId, route));
  handleIpc('notify:critical', isConsole, (notice) => {
    if (!Notification.isSupported()) return;
    const n = new Notification({ title: notice.title, body: notice.body, urgency: 'critical' });
    n.on('click', () => windows.focusAny(notice.route));
    n.show();
  });

  app.on('second-instance', () => windows.focusAny());
  app.on('web-contents-created', (_e, contents) => {
    // Threat: a webview or popup created outside the window manager escaping its guards.
    contents.on('will-attach-webview', (e) => e.preventDefault());
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  });
  for (const change of ['display-added', 'display-removed', 'display-metrics-changed'] as const) {
    screen.on(change as 'display-added', () => windows.sync());
  }
  let quitting = false;
  const tray = createTray(windows, () => {
    quitting = true;
    app.quit();
  });
  app.on('window-all-closed', () => {
    // 24/7: closing the last window keeps the tray; Quit in the tray ends the app.
    if (quitting) app.quit();
  });
  app.on('before-quit', () => {
    quitting = true;
    tray.destroy();
  });
  windows.sync();
}
