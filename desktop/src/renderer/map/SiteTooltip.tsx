import type { SiteRow } from '../features/overview/site-rows';
import { siteTone } from '../features/overview/site-rows';
import { dynamicKey, useI18n } from '../i18n/i18n';

/** Hover details of a site on the overview map. */
export function SiteTooltip({ site, x, y }: { site: SiteRow; x: number; y: number }) {
  const { t } = useI18n();
  return (
    <div className="map-tooltip" style={{ transform: `translate(${Math.round(x + 14)}px, ${Math.round(y + 14)}px)` }} data-testid="map-tooltip" role="tooltip">
      <strong>{site.name}</strong>
      <div>{t(dynamicKey('tone', siteTone(site)))}</div>
      <div>
        {t('site.modeLabel')}: {t(dynamicKey('mode', site.mode))}
      </div>
      <div>{t('overview.openAlerts', { n: site.openAlerts })}</div>
    </div>
  );
}
