import type { ControlRoomBridge } from '../../common/ipc-contract';
import { electronPlatform } from './electron-bridge';
import type { Platform } from './types';
import { webPlatform } from './web';

declare global {
  interface Window {
    controlRoom?: ControlRoomBridge;
  }
}

/** The platform this renderer runs on: Electron when the preload bridge exists, else the browser. */
export const platform: Platform = window.controlRoom ? electronPlatform(window.controlRoom) : webPlatform(window);
export type { Platform } from './types';
