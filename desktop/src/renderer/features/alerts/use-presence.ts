import { useEffect, useState } from 'react';
import type { LiveDoc } from '../../data/live-doc';

export interface Viewer {
  clientId: number;
  name: string;
}

/** Who (other than me) is looking at which alert, from the awareness states of the open documents. */
export function viewersByAlert(docs: Iterable<LiveDoc>): Map<string, Viewer[]> {
  const out = new Map<string, Viewer[]>();
  for (const live of docs) {
    live.awareness.getStates().forEach((state, clientId) => {
      if (clientId === live.doc.clientID) return;
      const viewing = (state as { viewing?: unknown }).viewing;
      const name = (state as { user?: { name?: unknown } }).user?.name;
      if (typeof viewing !== 'string' || typeof name !== 'string') return;
      const list = out.get(viewing) ?? [];
      if (!list.some((v) => v.name === name)) list.push({ clientId, name: name.slice(0, 80) });
      out.set(viewing, list);
    });
  }
  return out;
}

/**
 * Publishes who I am and which alert I look at on every open site document, and returns the other
 * viewers per alert (live, through y-websocket awareness).
 */
export function usePresence(docs: ReadonlyMap<string, LiveDoc>, me: string, viewing: { siteId: string; alertId: string } | undefined) {
  const [viewers, setViewers] = useState<Map<string, Viewer[]>>(new Map());
  useEffect(() => {
    for (const [siteId, live] of docs) {
      live.awareness.setLocalStateField('user', { name: me });
      live.awareness.setLocalStateField('viewing', viewing && viewing.siteId === siteId ? viewing.alertId : null);
    }
  }, [docs, me, viewing?.siteId, viewing?.alertId, viewing]);
  useEffect(() => {
    const refresh = (): void => setViewers(viewersByAlert(docs.values()));
    refresh();
    const offs = [...docs.values()].map((live) => {
      live.awareness.on('change', refresh);
      return () => live.awareness.off('change', refresh);
    });
    return () => {
      offs.forEach((off) => off());
      // Leaving the console: stop telling others I look at an alert.
      for (const live of docs.values()) live.awareness.setLocalStateField('viewing', null);
    };
  }, [docs]);
  return viewers;
}
