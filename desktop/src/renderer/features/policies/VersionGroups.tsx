import type { UseQueryResult } from '@tanstack/react-query';
import { useI18n } from '../../i18n/i18n';
import { PolicyApiError, type VersionGroup } from './policy-api';
import { pct, policyErrorText } from './policy-text';

/** The sites on each version of the policy side by side (A/B), with their last 7 days' figures. */
export function VersionGroups({ groups, siteName }: { groups: UseQueryResult<VersionGroup[]>; siteName: (id: string) => string }) {
  const { t } = useI18n();
  const missing = groups.error instanceof PolicyApiError && groups.error.missing;
  const list = [...(groups.data ?? [])].sort((a, b) => a.version - b.version);
  const rows: Array<[string, (g: VersionGroup) => string]> = [
    [t('policy.fig.sites'), (g) => g.siteIds.map(siteName).join(', ')],
    [t('policy.fig.swipes'), (g) => String(g.figures.swipes)],
    [t('policy.fig.denied'), (g) => `${g.figures.deniedSwipes} (${pct(g.figures.deniedRate)})`],
    [t('policy.fig.alerts'), (g) => String(g.figures.alerts)],
    [t('policy.fig.bookings'), (g) => String(g.figures.bookings)],
    [t('policy.fig.noShows'), (g) => `${g.figures.noShows} (${pct(g.figures.noShowRate)})`],
    [t('policy.fig.energy'), (g) => (g.figures.energyKwh !== undefined ? `${g.figures.energyKwh.toFixed(1)} kWh` : '—')],
  ];
  return (
    <section className="policy-groups" aria-label={t('policy.groupsTitle')} data-testid="policy-groups">
      <h3>{t('policy.groupsTitle')}</h3>
      {missing && <p className="muted small" data-testid="policy-groups-missing">{t('policy.missingRoute')}</p>}
      {groups.isError && !missing && <p className="error-text" role="alert">{policyErrorText(groups.error, t)}</p>}
      {groups.isSuccess && list.length === 0 && <p className="muted small">{t('policy.groupsNone')}</p>}
      {list.length > 0 && (
        <table className="data-table policy-groups-table">
          <thead>
            <tr>
              <th>{t('policy.groupsLast7')}</th>
              {list.map((g) => (
                <th key={g.version} data-testid={`policy-group-v${g.version}`}>
                  v{g.version}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map(([label, value]) => (
              <tr key={label}>
                <th scope="row">{label}</th>
                {list.map((g) => (
                  <td key={g.version}>{value(g)}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
