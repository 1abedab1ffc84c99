import { useMemo } from 'react';
import type { Doc } from 'yjs';
import { acknowledgeAlert, addAlertNote, assignAlert, resolveAlert, siteDocName } from '@cr/shared';
import { useLiveData } from '../../app/live-data';
import { useDocHub, useServices } from '../../app/services-context';
import type { User } from '../../data/api-types';
import { whereOf, type FeedAlert, type Via } from './alert-feed';
import type { AlertActions } from './AlertDetail';

/**
 * Alert actions write add-only entries into the site document (shared/schema/alerts.ts), so an ack
 * made offline here and one made at HQ both survive the merge. `where` records the path used.
 */
export function useAlertActions(user: User): AlertActions {
  const { siteDocs } = useLiveData();
  const { reach } = useServices();
  const hub = useDocHub();
  return useMemo(() => {
    const by = user.email ?? user.name ?? user.id;
    const via = (siteId: string): Via => {
      const c = reach.get();
      if (c.cloud.reachable !== false) return 'cloud';
      const live = siteDocs.get(siteId);
      return live?.status.get().edge === 'synced' ? 'lan' : 'offline';
    };
    const withDoc = (a: FeedAlert, fn: (doc: Doc, where: string) => void): void => {
      const live = siteDocs.get(a.siteId);
      if (live) return fn(live.doc, whereOf(user.role, via(a.siteId)));
      // An alarm known from the tenant feed: its site document is opened for the entry, which is
      // add-only and merges whenever the document syncs; the hub keeps it open long enough to send.
      const name = siteDocName(user.tenantId, a.siteId);
      const opened = hub.acquire(name);
      try {
        fn(opened.doc, whereOf(user.role, via(a.siteId)));
      } finally {
        hub.release(name);
      }
    };
    return {
      ack: (a) => withDoc(a, (doc, where) => acknowledgeAlert(doc, a.id, { by, at: Date.now(), where })),
      note: (a, text) => withDoc(a, (doc, where) => addAlertNote(doc, a.id, { id: crypto.randomUUID(), by, at: Date.now(), where, text })),
      assign: (a, to) => withDoc(a, (doc) => assignAlert(doc, a.id, { to, by, at: Date.now() })),
      resolve: (a, reason) => withDoc(a, (doc, where) => resolveAlert(doc, a.id, { by, at: Date.now(), where, ...(reason ? { reason } : {}) })),
    };
  }, [siteDocs, reach, user, hub]);
}
