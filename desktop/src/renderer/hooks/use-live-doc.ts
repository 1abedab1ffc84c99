import { useEffect, useState, useSyncExternalStore } from 'react';
import { useDocHub } from '../app/services-context';
import type { LiveDoc } from '../data/live-doc';

/** Opens a shared document for as long as the component is mounted. */
export function useLiveDoc(name: string | undefined): LiveDoc | undefined {
  const hub = useDocHub();
  const [live, setLive] = useState<LiveDoc | undefined>(undefined);
  useEffect(() => {
    if (!name) return setLive(undefined);
    const d = hub.acquire(name);
    setLive(d);
    return () => hub.release(name);
  }, [hub, name]);
  return live;
}

/** Opens several documents at once (the alert console across sites). */
export function useLiveDocs(names: readonly string[]): Map<string, LiveDoc> {
  const hub = useDocHub();
  const key = [...names].sort().join('\n');
  const [docs, setDocs] = useState<Map<string, LiveDoc>>(new Map());
  useEffect(() => {
    const list = key ? key.split('\n') : [];
    setDocs(new Map(list.map((n) => [n, hub.acquire(n)])));
    return () => list.forEach((n) => hub.release(n));
  }, [hub, key]);
  return docs;
}

/**
 * A version number that changes when any of the documents changes, coalesced to at most one
 * re-render per 100 ms so streaming state (100 events/s) never makes the screen flicker.
 */
export function useDocsVersion(docs: readonly (LiveDoc | undefined)[]): number {
  const [version, setVersion] = useState(0);
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const bump = (): void => {
      timer ??= setTimeout(() => {
        timer = undefined;
        setVersion((v) => v + 1);
      }, 100);
    };
    const offs = docs.filter((d): d is LiveDoc => !!d).map((d) => {
      d.doc.on('update', bump);
      return () => d.doc.off('update', bump);
    });
    bump();
    return () => {
      offs.forEach((off) => off());
      clearTimeout(timer);
    };
  }, [docs]);
  return version;
}

export function useLiveDocStatus(live: LiveDoc | undefined) {
  const noop = (): (() => void) => () => undefined;
  return useSyncExternalStore(live ? live.status.subscribe : noop, () => live?.status.get());
}
