import { createContext, useContext, useSyncExternalStore } from 'react';
import type { DocHub } from '../data/doc-hub';
import type { Store } from '../data/store';
import type { Services } from './services';

export const ServicesContext = createContext<Services | null>(null);
export const DocHubContext = createContext<DocHub | null>(null);

export function useServices(): Services {
  const s = useContext(ServicesContext);
  if (!s) throw new Error('useServices outside ServicesContext');
  return s;
}

export function useDocHub(): DocHub {
  const h = useContext(DocHubContext);
  if (!h) throw new Error('useDocHub outside a signed-in session');
  return h;
}

/** Reads a Store's current value and re-renders when it changes. */
export function useStore<T>(store: Store<T>): T {
  return useSyncExternalStore(store.subscribe, store.get, store.get);
}
