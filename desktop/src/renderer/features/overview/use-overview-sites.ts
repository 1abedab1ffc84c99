import { useEffect, useState } from 'react';
import { useLiveData } from '../../app/live-data';
import { generatedSites, loadTestCount, stepSites } from './load-test';
import type { SiteRow } from './site-rows';

/** The sites the overview shows: live data, or generated sites streaming 10 changes/s in load-test mode. */
export function useOverviewSites(): SiteRow[] {
  const { sites } = useLiveData();
  const [count] = useState(() => loadTestCount(window.location.search));
  const [generated, setGenerated] = useState<SiteRow[]>(() => (count ? generatedSites(count) : []));
  useEffect(() => {
    if (!count) return;
    const timer = setInterval(() => setGenerated((rows) => stepSites(rows, 5)), 500);
    return () => clearInterval(timer);
  }, [count]);
  return count ? generated : sites;
}
