import { useEffect, useState } from 'react';
import { useLiveData } from '../../app/live-data';
import { generatedSites, loadTestParams, stepSites } from './load-test';
import type { SiteRow } from './site-rows';

/** The sites the overview shows: live data, or generated sites whose statuses change 10 times a second in load-test mode. */
export function useOverviewSites(): SiteRow[] {
  const { sites } = useLiveData();
  const [load] = useState(() => loadTestParams(window.location.search));
  const [generated, setGenerated] = useState<SiteRow[]>(() => (load ? generatedSites(load.count) : []));
  useEffect(() => {
    if (!load) return;
    const timer = setInterval(() => setGenerated((rows) => stepSites(rows, load.changesPerTick)), 1000 / load.ticksPerSecond);
    return () => clearInterval(timer);
  }, [load]);
  return load ? generated : sites;
}
