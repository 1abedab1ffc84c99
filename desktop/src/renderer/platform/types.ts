import type { ConsoleRoute, CriticalNotice, DisplayInfo, OpenOnDisplay } from '../../common/ipc-contract';

export type { DisplayInfo };

/**
 * Native features as the renderer sees them. Electron implements them through the preload bridge;
 * a browser gets the web fallback, so the same renderer runs in both.
 */
export interface Platform {
  readonly kind: 'electron' | 'web';
  /** http base URL of the cloud */
  readonly cloudUrl: string;
  /** several monitors are only managed in Electron */
  readonly multiDisplay: boolean;
  listDisplays(): Promise<DisplayInfo[]>;
  openOnDisplay(request: OpenOnDisplay): Promise<void>;
  /** remembers which view this window shows (per display in Electron) */
  rememberRoute(route: ConsoleRoute): void;
  notifyCritical(notice: CriticalNotice): void;
  onNavigate(listener: (route: ConsoleRoute) => void): () => void;
}
