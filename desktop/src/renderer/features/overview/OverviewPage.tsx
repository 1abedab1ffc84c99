import { useCallback, useEffect, useMemo, useState } from 'react';
import { navigate } from '../../app/router';
import { useLiveData } from '../../app/live-data';
import { useServices, useStore } from '../../app/services-context';
import { dynamicKey, useI18n } from '../../i18n/i18n';
import { DeckOverviewMap } from '../../map/DeckOverviewMap';
import { SvgOverviewMap } from '../../map/SvgOverviewMap';
import { svgMapForced } from '../../map/webgl';
import { SiteList } from './SiteList';
import { countByTone, siteTone, SITE_TONES, type SiteTone } from './site-rows';
import { useOverviewSites } from './use-overview-sites';

/** All sites the user may see: map, counts per status and the site list. */
export function OverviewPage() {
  const sites = useOverviewSites();
  const { sitesLoading } = useLiveData();
  const { lang } = useStore(useServices().settings);
  const { t } = useI18n();
  const [toneFilter, setToneFilter] = useState<SiteTone | 'all'>('all');
  const counts = useMemo(() => countByTone(sites), [sites]);
  const listed = useMemo(() => (toneFilter === 'all' ? sites : sites.filter((s) => siteTone(s) === toneFilter)), [sites, toneFilter]);
  const open = useCallback((siteId: string) => navigate({ name: 'site', siteId }), []);
  const [svgOnly, setSvgOnly] = useState(() => svgMapForced(window.location.search));
  const useSvg = useCallback(() => setSvgOnly(true), []);
  const Map = svgOnly ? SvgOverviewMap : DeckOverviewMap;
  const mapReady = useDeferredMount(!sitesLoading);
  return (
    <div className="overview" data-testid="overview-page">
      <section className="map-pane" aria-label={t('overview.map')}>
        {mapReady ? <Map sites={sites} lang={lang} onOpen={open} onUnavailable={useSvg} /> : <div className="map-canvas" data-testid="overview-map" data-renderer="pending" />}
      </section>
      <aside className="side-pane">
        <div className="tone-counts" role="group" aria-label={t('overview.counts')}>
          <button type="button" className={toneFilter === 'all' ? 'count-chip active' : 'count-chip'} onClick={() => setToneFilter('all')} data-testid="site-count-all">
            {t('overview.all')} <b>{sites.length}</b>
          </button>
          {SITE_TONES.filter((tone) => counts[tone] > 0).map((tone) => (
            <button key={tone} type="button" className={`count-chip tone-${tone}${toneFilter === tone ? ' active' : ''}`} onClick={() => setToneFilter(toneFilter === tone ? 'all' : tone)} data-testid={`site-count-${tone}`}>
              <span className="tone-dot" aria-hidden="true" /> {t(dynamicKey('tone', tone))} <b>{counts[tone]}</b>
            </button>
          ))}
        </div>
        {sitesLoading && sites.length === 0 ? <p className="muted">{t('common.loading')}</p> : <SiteList sites={listed} onOpen={open} />}
        {!sitesLoading && sites.length === 0 && <p className="muted">{t('overview.noSites')}</p>}
      </aside>
    </div>
  );
}

/**
 * Mounts the map only after the site list has painted: creating the WebGL context and compiling
 * shaders blocks the main thread (seconds on software GL), and the list must not wait for it.
 */
function useDeferredMount(dataReady: boolean, fallbackMs = 1_500): boolean {
  const [ready, setReady] = useState(false);
  useEffect(() => {
    if (ready) return;
    const timers: number[] = [];
    const go = (): void => setReady(true);
    if (dataReady) timers.push(requestAnimationFrame(() => timers.push(window.setTimeout(go, 0))));
    else timers.push(window.setTimeout(go, fallbackMs));
    return () => timers.forEach((t) => (cancelAnimationFrame(t), clearTimeout(t)));
  }, [dataReady, ready, fallbackMs]);
  return ready;
}
