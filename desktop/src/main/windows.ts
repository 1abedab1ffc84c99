import { BrowserWindow, screen, shell, type Display, type WebContents } from 'electron';
import type { BridgeConfig, ConsoleRoute, DisplayInfo } from '../common/ipc-contract';
import { afterCrash, isCrash } from './crash-policy';
import { planWindows, reconcileWindows, rememberDisplay, type WindowPlan } from './display-layout';
import type { LayoutStore } from './layout-store';
import { APP_ENTRY_URL, mayNavigate } from './url-guards';
import { secureWebPreferences } from './web-preferences';

export const toDisplayInfo = (d: Display): DisplayInfo => ({
  id: d.id,
  label: d.label || `Display ${d.id}`,
  primary: d.id === screen.getPrimaryDisplay().id,
  bounds: d.workArea,
});

/** One console window per display that should show one; remembers each display's view and bounds. */
export class WindowManager {
  private readonly windows = new Map<number, BrowserWindow>();
  private readonly crashes = new Map<number, number[]>();

  constructor(
    private readonly store: LayoutStore,
    private readonly preloadPath: string,
    private readonly config: BridgeConfig,
  ) {}

  displays(): DisplayInfo[] {
    return screen.getAllDisplays().map(toDisplayInfo);
  }

  isConsole(contents: WebContents): boolean {
    return [...this.windows.values()].some((w) => !w.isDestroyed() && w.webContents === contents);
  }

  /** Opens and closes windows so they match the displays present and the saved layout. */
  sync(): void {
    const displays = this.displays();
    const plans = planWindows(displays, this.store.load());
    const change = reconcileWindows(plans, [...this.windows.keys()], displays);
    for (const id of change.close) this.windows.get(id)?.destroy();
    for (const plan of change.open) this.open(plan);
  }

  openOn(displayId: number, route: ConsoleRoute): void {
    const display = this.displays().find((d) => d.id === displayId);
    if (!display) return;
    this.remember(displayId, { route, open: true });
    const existing = this.windows.get(displayId);
    if (existing && !existing.isDestroyed()) return this.navigate(existing, route);
    this.open({ displayId, route, bounds: display.bounds, maximized: true });
  }

  remember(displayId: number, patch: Parameters<typeof rememberDisplay>[2]): void {
    const display = this.displays().find((d) => d.id === displayId);
    if (display) this.store.save(rememberDisplay(this.store.load(), display, patch, Date.now()));
  }

  displayOf(contents: WebContents): number | undefined {
    for (const [id, w] of this.windows) if (!w.isDestroyed() && w.webContents === contents) return id;
    return undefined;
  }

  focusAny(route?: ConsoleRoute): void {
    const w = [...this.windows.values()].find((x) => !x.isDestroyed());
    if (!w) return this.sync();
    if (w.isMinimized()) w.restore();
    w.show();
    w.focus();
    if (route) this.navigate(w, route);
  }

  private navigate(w: BrowserWindow, route: ConsoleRoute): void {
    w.webContents.send('nav:go', route);
  }

  private open(plan: WindowPlan): void {
    const config = { ...this.config, displayId: plan.displayId };
    const w = new BrowserWindow({
      ...plan.bounds,
      show: false,
      backgroundColor: '#0f1419',
      title: 'Control Room',
      autoHideMenuBar: true,
      webPreferences: secureWebPreferences(this.preloadPath, config),
    });
    this.windows.set(plan.displayId, w);
    this.guard(w);
    w.once('ready-to-show', () => {
      if (plan.maximized) w.maximize();
      w.show();
    });
    const save = (): void => this.remember(plan.displayId, { bounds: w.getNormalBounds(), maximized: w.isMaximized() });
    w.on('resized', save);
    w.on('moved', save);
    w.on('close', () => {
      const display = this.displays().find((d) => d.id === plan.displayId);
      if (display && !display.primary) this.remember(plan.displayId, { open: false });
    });
    w.on('closed', () => this.windows.delete(plan.displayId));
    void w.loadURL(`${APP_ENTRY_URL}${plan.route}`);
  }

  /** Navigation, new windows and crashes: the guards of STYLE.md "Electron". */
  private guard(w: BrowserWindow): void {
    const contents = w.webContents;
    contents.on('will-navigate', (e, url) => {
      if (!mayNavigate(url)) e.preventDefault();
    });
    contents.on('will-redirect', (e, url) => {
      if (!mayNavigate(url)) e.preventDefault();
    });
    contents.setWindowOpenHandler(({ url }) => {
      // Threat: window.open() creating an unguarded window; https links go to the system browser.
      if (url.startsWith('https://')) void shell.openExternal(url);
      return { action: 'deny' };
    });
    contents.on('will-attach-webview', (e) => e.preventDefault());
    contents.on('render-process-gone', (_e, details) => {
      if (!isCrash(details.reason)) return;
      const id = [...this.windows].find(([, x]) => x === w)?.[0] ?? -1;
      const previous = this.crashes.get(id) ?? [];
      const decision = afterCrash(previous, Date.now());
      this.crashes.set(id, [...previous, Date.now()]);
      console.error(`console renderer gone (${details.reason}); ${decision.action}`);
      if (decision.action === 'reload') setTimeout(() => !w.isDestroyed() && contents.reload(), decision.delayMs);
    });
    contents.on('unresponsive', () => console.warn('console window unresponsive'));
  }
}
