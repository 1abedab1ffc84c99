import { SEVERITIES } from '@cr/shared';
import type { RefObject } from 'react';
import type { SiteRow } from '../overview/site-rows';
import { dynamicKey, useI18n } from '../../i18n/i18n';
import type { AlertFilter, AlertSort, StateFilter } from './alert-feed';

const STATES: StateFilter[] = ['active', 'open', 'acknowledged', 'resolved', 'all'];

export function AlertFilters({ filter, sort, sites, onFilter, onSort, searchRef }: { filter: AlertFilter; sort: AlertSort; sites: readonly SiteRow[]; onFilter: (f: AlertFilter) => void; onSort: (s: AlertSort) => void; searchRef: RefObject<HTMLInputElement | null> }) {
  const { t } = useI18n();
  return (
    <div className="filter-bar" role="search">
      <select value={filter.state} onChange={(e) => onFilter({ ...filter, state: e.target.value as StateFilter })} aria-label={t('alerts.state')} data-testid="alert-filter-state">
        {STATES.map((s) => (
          <option key={s} value={s}>
            {t(dynamicKey('stateFilter', s))}
          </option>
        ))}
      </select>
      <select value={filter.severity} onChange={(e) => onFilter({ ...filter, severity: e.target.value as AlertFilter['severity'] })} aria-label={t('alerts.severity')} data-testid="alert-filter-severity">
        <option value="all">{t('alerts.allSeverities')}</option>
        {SEVERITIES.map((s) => (
          <option key={s} value={s}>
            {t(dynamicKey('severity', s))}
          </option>
        ))}
      </select>
      <select value={filter.siteId} onChange={(e) => onFilter({ ...filter, siteId: e.target.value })} aria-label={t('alerts.site')} data-testid="alert-filter-site">
        <option value="all">{t('alerts.allSites')}</option>
        {sites.map((s) => (
          <option key={s.id} value={s.id}>
            {s.name}
          </option>
        ))}
      </select>
      <input ref={searchRef} type="search" value={filter.text} onChange={(e) => onFilter({ ...filter, text: e.target.value })} placeholder={t('alerts.search')} aria-label={t('alerts.search')} data-testid="alert-search" />
      <select value={sort} onChange={(e) => onSort(e.target.value as AlertSort)} aria-label={t('alerts.sort')} data-testid="alert-sort">
        <option value="severity">{t('alerts.sortSeverity')}</option>
        <option value="newest">{t('alerts.sortNewest')}</option>
        <option value="oldest">{t('alerts.sortOldest')}</option>
      </select>
    </div>
  );
}
