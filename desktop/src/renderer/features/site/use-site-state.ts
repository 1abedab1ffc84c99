import { useMemo } from 'react';
import { SiteDoc } from '@cr/shared';
import { useLiveData } from '../../app/live-data';
import { useDocsVersion, useLiveDocStatus } from '../../hooks/use-live-doc';
import { devicesWithTelemetry, usePresenceVersion } from './site-telemetry';

/**
 * The live state of one site from its document and its gateway's live telemetry, re-derived at
 * most every 100 ms.
 */
export function useSiteState(siteId: string) {
  const { siteDocs } = useLiveData();
  const live = siteDocs.get(siteId);
  const docs = useMemo(() => [live], [live]);
  const version = useDocsVersion(docs);
  const status = useLiveDocStatus(live);
  const presence = usePresenceVersion(live);
  return useMemo(() => {
    void version;
    void presence;
    if (!live) return undefined;
    const site = new SiteDoc(live.doc);
    return {
      live,
      site,
      status,
      meta: site.meta(),
      zones: site.zones(),
      devices: devicesWithTelemetry(site.devices(), live.awareness),
      occupancy: site.occupancy(),
      alerts: site.alerts().filter((a) => a.siteId === siteId),
    };
  }, [live, version, presence, status, siteId]);
}
