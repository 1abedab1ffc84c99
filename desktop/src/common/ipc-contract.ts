import { z } from 'zod';

/**
 * The IPC contract between the Electron main process and the renderer (through the preload).
 * Every request channel has a zod schema for its argument; main parses with it before acting, so
 * a compromised renderer can only ask for what is listed here, in the shapes listed here.
 */

/** A console route as it appears in the URL hash, e.g. `#/overview`, `#/sites/gangnam`. */
export const consoleRouteSchema = z
  .string()
  .max(200)
  // Segments start with a letter or digit, so `..` and empty segments never pass.
  .regex(/^#\/(?:[a-z0-9][a-z0-9._-]*(?:\/[a-z0-9][a-z0-9._-]*)*)?$/, 'a console route looks like #/overview');
export type ConsoleRoute = z.infer<typeof consoleRouteSchema>;

export const displayInfoSchema = z.object({
  id: z.number().int(),
  label: z.string().max(200),
  primary: z.boolean(),
  bounds: z.object({ x: z.number(), y: z.number(), width: z.number().positive(), height: z.number().positive() }),
});
export type DisplayInfo = z.infer<typeof displayInfoSchema>;

export const criticalNoticeSchema = z.object({
  alertId: z.string().min(1).max(256),
  title: z.string().min(1).max(200),
  body: z.string().max(500),
  route: consoleRouteSchema,
});
export type CriticalNotice = z.infer<typeof criticalNoticeSchema>;

export const openOnDisplaySchema = z.object({ displayId: z.number().int(), route: consoleRouteSchema });
export type OpenOnDisplay = z.infer<typeof openOnDisplaySchema>;

/** Request channels (renderer → main, answered). Argument schemas per channel. */
export const IPC_REQUESTS = {
  'displays:list': z.undefined(),
  'window:set-route': consoleRouteSchema,
  'window:open-on-display': openOnDisplaySchema,
  'notify:critical': criticalNoticeSchema,
} as const;
export type IpcRequestChannel = keyof typeof IPC_REQUESTS;

/** Event channels (main → renderer). */
export const IPC_EVENTS = { navigate: 'nav:go' } as const;

/** Startup configuration main hands to the preload as a command-line switch. */
export const bridgeConfigSchema = z.object({
  cloudUrl: z.string().url().regex(/^https?:\/\//),
  displayId: z.number().int().optional(),
});
export type BridgeConfig = z.infer<typeof bridgeConfigSchema>;
export const BRIDGE_CONFIG_SWITCH = '--cr-bridge-config=';

/** What the preload exposes on `window.controlRoom`; the renderer's only road to native features. */
export interface ControlRoomBridge {
  readonly kind: 'electron';
  readonly config: BridgeConfig;
  listDisplays(): Promise<DisplayInfo[]>;
  /** tells main which view this window shows, so the layout of this display is remembered */
  setRoute(route: ConsoleRoute): Promise<void>;
  openOnDisplay(request: OpenOnDisplay): Promise<void>;
  notifyCritical(notice: CriticalNotice): Promise<void>;
  /** main asks the window to show a route (clicked notification, tray); returns unsubscribe */
  onNavigate(listener: (route: ConsoleRoute) => void): () => void;
}
