import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import {
  BRIDGE_CONFIG_SWITCH,
  IPC_EVENTS,
  bridgeConfigSchema,
  consoleRouteSchema,
  type BridgeConfig,
  type ControlRoomBridge,
  type DisplayInfo,
} from '../common/ipc-contract';

/**
 * The one preload: a typed API with named methods and no generic `send`/`invoke`, so renderer code
 * (and anything injected into it) can only reach the channels listed in the IPC contract.
 */
function readConfig(): BridgeConfig {
  const arg = process.argv.find((a) => a.startsWith(BRIDGE_CONFIG_SWITCH));
  let raw: unknown;
  try {
    raw = arg ? JSON.parse(arg.slice(BRIDGE_CONFIG_SWITCH.length)) : undefined;
  } catch {
    raw = undefined;
  }
  const parsed = bridgeConfigSchema.safeParse(raw);
  return parsed.success ? parsed.data : { cloudUrl: 'http://127.0.0.1:8080' };
}

const bridge: ControlRoomBridge = {
  kind: 'electron',
  config: readConfig(),
  listDisplays: () => ipcRenderer.invoke('displays:list') as Promise<DisplayInfo[]>,
  setRoute: (route) => ipcRenderer.invoke('window:set-route', route),
  openOnDisplay: (request) => ipcRenderer.invoke('window:open-on-display', request),
  notifyCritical: (notice) => ipcRenderer.invoke('notify:critical', notice),
  onNavigate: (listener) => {
    const handler = (_e: IpcRendererEvent, route: unknown): void => {
      const r = consoleRouteSchema.safeParse(route);
      if (r.success) listener(r.data);
    };
    ipcRenderer.on(IPC_EVENTS.navigate, handler);
    return () => ipcRenderer.off(IPC_EVENTS.navigate, handler);
  },
};

contextBridge.exposeInMainWorld('controlRoom', bridge);
