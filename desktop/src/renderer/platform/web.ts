import type { Platform } from './types';

/**
 * Browser fallback. The cloud serves the console, so its origin is the cloud; a development server
 * may point elsewhere with `?cloud=http://host:port` (remembered for the tab).
 */
export function webPlatform(win: Window): Platform {
  const param = new URLSearchParams(win.location.search).get('cloud');
  if (param && /^https?:\/\/[^/]+$/.test(param)) win.sessionStorage.setItem('cr.cloud', param);
  const cloudUrl = win.sessionStorage.getItem('cr.cloud') ?? win.location.origin;
  return {
    kind: 'web',
    cloudUrl,
    multiDisplay: false,
    listDisplays: async () => [],
    openOnDisplay: async () => undefined,
    rememberRoute: () => undefined,
    notifyCritical: (notice) => {
      // Browsers show a notification only when the operator allowed it; the in-app alert and sound remain.
      if (typeof Notification === 'undefined' || Notification.permission !== 'granted') return;
      const n = new Notification(notice.title, { body: notice.body, tag: notice.alertId });
      n.onclick = () => {
        win.focus();
        win.location.hash = notice.route;
      };
    },
    onNavigate: () => () => undefined,
  };
}
