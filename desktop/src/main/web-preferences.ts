import { BRIDGE_CONFIG_SWITCH, type BridgeConfig } from '../common/ipc-contract';

/**
 * The web preferences of every console window. Threat: renderer code (or anything injected into
 * it) reaching Node, Electron internals or the preload's scope.
 */
export function secureWebPreferences(preloadPath: string, config: BridgeConfig) {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    spellcheck: false,
    backgroundThrottling: false,
    additionalArguments: [`${BRIDGE_CONFIG_SWITCH}${JSON.stringify(config)}`],
  };
}
