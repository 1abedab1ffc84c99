import { memo } from 'react';
import { dynamicKey, useI18n } from '../../i18n/i18n';
import { siteTone, type SiteRow } from './site-rows';

const SiteItem = memo(function SiteItem({ site, onOpen }: { site: SiteRow; onOpen: (id: string) => void }) {
  const { t } = useI18n();
  const tone = siteTone(site);
  return (
    <li>
      <button
        type="button"
        className={`site-item tone-${tone}`}
        onClick={() => onOpen(site.id)}
        data-testid={`site-list-item-${site.id}`}
        data-site-id={site.id}
        data-tone={tone}
        data-online={site.online === undefined ? 'unknown' : String(site.online)}
        data-mode={site.mode}
        data-open-alerts={site.openAlerts}
      >
        <span className="tone-dot" aria-hidden="true" />
        <span className="site-item-name">{site.name}</span>
        <span className="site-item-status">
          {t(dynamicKey('tone', tone))}
          {site.mode !== 'normal' ? ` · ${t(dynamicKey('mode', site.mode))}` : ''}
        </span>
        <span className={site.openAlerts > 0 ? 'badge badge-open' : 'badge'} aria-label={t('overview.openAlerts', { n: site.openAlerts })}>
          {site.openAlerts}
        </span>
      </button>
    </li>
  );
});

/** The accessible, keyboard-usable list of sites beside the map (also what tests use to pick a site). */
export function SiteList({ sites, onOpen }: { sites: readonly SiteRow[]; onOpen: (id: string) => void }) {
  const { t } = useI18n();
  return (
    <ul className="site-list" data-testid="site-list" aria-label={t('overview.siteList')}>
      {sites.map((s) => (
        <SiteItem key={s.id} site={s} onOpen={onOpen} />
      ))}
    </ul>
  );
}
