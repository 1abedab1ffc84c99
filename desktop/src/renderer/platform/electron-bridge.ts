import type { ControlRoomBridge } from '../../common/ipc-contract';
import type { Platform } from './types';

/** Native features through the preload's typed bridge. Failures are logged, never thrown into the UI. */
export function electronPlatform(bridge: ControlRoomBridge): Platform {
  const quiet = (p: Promise<unknown>): void => void p.catch((e: unknown) => console.warn('bridge call failed', e));
  return {
    kind: 'electron',
    cloudUrl: bridge.config.cloudUrl,
    multiDisplay: true,
    listDisplays: () => bridge.listDisplays(),
    openOnDisplay: (request) => bridge.openOnDisplay(request),
    rememberRoute: (route) => quiet(bridge.setRoute(route)),
    notifyCritical: (notice) => quiet(bridge.notifyCritical(notice)),
    onNavigate: (listener) => bridge.onNavigate(listener),
  };
}
