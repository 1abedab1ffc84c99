import { useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { useLiveData } from '../../app/live-data';
import { useServices } from '../../app/services-context';
import { useI18n } from '../../i18n/i18n';
import { adminErrorText } from '../admin/use-admin-action';
import { DeviceDetail } from './DeviceDetail';
import { fleetApi } from './fleet-api';
import { NO_FILTER, filterChoices, filterFleet, rowKey, type FleetFilter } from './fleet-filters';
import { FleetFilters } from './FleetFilters';
import { FleetTable } from './FleetTable';
import './fleet.css';

/** How often the fleet list is fetched again. */
export const FLEET_REFRESH_MS = 10_000;

/**
 * Every device of the user's sites as their edges last reported them: health, last seen, battery,
 * errors and flapping, narrowed by site, kind, model, firmware and health; a row opens the
 * device's availability over seven days.
 */
export function FleetPage() {
  const { api } = useServices();
  const { t } = useI18n();
  const { siteById } = useLiveData();
  const fleet = useMemo(() => fleetApi(api), [api]);
  const [filter, setFilter] = useState<FleetFilter>(NO_FILTER);
  const [selected, setSelected] = useState<string | undefined>();
  const q = useQuery({ queryKey: ['fleet'], queryFn: () => fleet.devices(), refetchInterval: FLEET_REFRESH_MS });
  const all = useMemo(() => q.data ?? [], [q.data]);
  const rows = useMemo(() => filterFleet(all, filter), [all, filter]);
  const choices = useMemo(() => filterChoices(all), [all]);
  const site = (id: string) => ({ name: siteById.get(id)?.name ?? id, timezone: siteById.get(id)?.timezone || 'Asia/Seoul' });
  const chosen = all.find((d) => rowKey(d) === selected);

  return (
    <div className="table-page fleet-page" data-testid="fleet-page">
      <h1 className="page-title">{t('nav.fleet')}</h1>
      <FleetFilters filter={filter} choices={choices} siteName={(id) => site(id).name} onChange={setFilter} />
      {q.isError && (
        <p className="error-text" role="alert" data-testid="fleet-error">
          {adminErrorText(q.error, t)}
        </p>
      )}
      <p className="muted small" data-testid="fleet-count">
        {t('fleet.count', { n: rows.length, total: all.length })} · {t('fleet.rowHint')}
      </p>
      <div className={chosen ? 'fleet-body with-detail' : 'fleet-body'}>
        <FleetTable rows={rows} site={site} selected={selected} onSelect={setSelected} />
        {chosen && <DeviceDetail api={fleet} device={chosen} site={site(chosen.siteId)} onClose={() => setSelected(undefined)} />}
      </div>
      {rows.length === 0 && !q.isLoading && <p className="muted">{t('fleet.empty')}</p>}
    </div>
  );
}
