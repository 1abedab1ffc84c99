import { Menu, Tray, nativeImage } from 'electron';
import type { WindowManager } from './windows';

/** 16×16 tray icon drawn in code so the app ships no binary assets for it. */
function trayIcon() {
  const size = 16;
  const rgba = Buffer.alloc(size * size * 4);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const inside = (x - 7.5) ** 2 + (y - 7.5) ** 2 < 49;
      rgba.set(inside ? [0x3d, 0xd6, 0x8c, 0xff] : [0, 0, 0, 0], (y * size + x) * 4);
    }
  }
  return nativeImage.createFromBitmap(rgba, { width: size, height: size });
}

export function createTray(windows: WindowManager, quit: () => void): Tray {
  const tray = new Tray(trayIcon());
  tray.setToolTip('Control Room');
  tray.setContextMenu(
    Menu.buildFromTemplate([
      { label: 'Overview', click: () => windows.focusAny('#/overview') },
      { label: 'Alerts', click: () => windows.focusAny('#/alerts') },
      { type: 'separator' },
      { label: 'Quit', click: quit },
    ]),
  );
  tray.on('click', () => windows.focusAny());
  return tray;
}
