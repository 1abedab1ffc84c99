import { useSyncExternalStore } from 'react';

/** Console views, addressed in the URL hash so Electron, the cloud's SPA fallback and reloads agree. */
export type Route =
  | { name: 'overview' }
  | { name: 'alerts'; alertId?: string }
  | { name: 'site'; siteId: string }
  | { name: 'events'; siteId?: string }
  | { name: 'audit' }
  | { name: 'settings' }
  | { name: 'admin' }
  | { name: 'onboarding' }
  | { name: 'notifications' }
  | { name: 'fleet' }
  | { name: 'bookings'; siteId?: string }
  | { name: 'policies'; policyId?: string };

const SEGMENT = /^[a-z0-9][a-z0-9._-]{0,255}$/;

export function parseRoute(hash: string): Route {
  const [name, param] = hash.replace(/^#\/?/, '').split('/');
  const p = param && SEGMENT.test(param) ? param : undefined;
  switch (name) {
    case 'alerts':
      return p ? { name: 'alerts', alertId: p } : { name: 'alerts' };
    case 'sites':
      return p ? { name: 'site', siteId: p } : { name: 'overview' };
    case 'events':
      return p ? { name: 'events', siteId: p } : { name: 'events' };
    case 'audit':
      return { name: 'audit' };
    case 'settings':
      return { name: 'settings' };
    case 'admin':
      return { name: 'admin' };
    case 'onboarding':
      return { name: 'onboarding' };
    case 'notifications':
      return { name: 'notifications' };
    case 'fleet':
      return { name: 'fleet' };
    case 'bookings':
      return p ? { name: 'bookings', siteId: p } : { name: 'bookings' };
    case 'policies':
      return p ? { name: 'policies', policyId: p } : { name: 'policies' };
    default:
      return { name: 'overview' };
  }
}

export function routeHash(route: Route): string {
  switch (route.name) {
    case 'alerts':
      return route.alertId ? `#/alerts/${route.alertId}` : '#/alerts';
    case 'site':
      return `#/sites/${route.siteId}`;
    case 'events':
      return route.siteId ? `#/events/${route.siteId}` : '#/events';
    case 'bookings':
      return route.siteId ? `#/bookings/${route.siteId}` : '#/bookings';
    case 'policies':
      return route.policyId ? `#/policies/${route.policyId}` : '#/policies';
    default:
      return `#/${route.name}`;
  }
}

export function navigate(route: Route): void {
  const hash = routeHash(route);
  if (window.location.hash !== hash) window.location.hash = hash;
}

const subscribe = (fn: () => void): (() => void) => {
  window.addEventListener('hashchange', fn);
  return () => window.removeEventListener('hashchange', fn);
};

export function useHash(): string {
  return useSyncExternalStore(subscribe, () => window.location.hash);
}
