import { useQuery } from '@tanstack/react-query';
import { formatSiteTime } from '../../i18n/site-time';
import { useI18n } from '../../i18n/i18n';
import { adminErrorText } from '../admin/use-admin-action';
import { AvailabilityStrip } from './AvailabilityStrip';
import type { FleetApi, FleetRow } from './fleet-api';
import { BatteryCell, HealthBadge } from './FleetTable';

/** One device of the fleet: seven days of availability, uptime, errors, battery, firmware and last seen. */
export function DeviceDetail({
  api,
  device,
  site,
  onClose,
}: {
  api: FleetApi;
  device: FleetRow;
  site: { name: string; timezone: string };
  onClose: () => void;
}) {
  const { t } = useI18n();
  const q = useQuery({
    queryKey: ['fleet', 'health', device.siteId, device.id],
    queryFn: () => api.health(device.siteId, device.id),
    refetchInterval: 10_000,
  });
  const h = q.data;
  const now = q.dataUpdatedAt || Date.now();
  const lastSeen = h?.lastSeenAt ?? device.lastSeenAt;
  return (
    <section className="fleet-detail" aria-label={t('fleet.detailTitle', { name: device.name, site: site.name })} data-testid="fleet-detail">
      <div className="fleet-detail-head">
        <h2>{t('fleet.detailTitle', { name: device.name, site: site.name })}</h2>
        <button type="button" className="btn btn-ghost" onClick={onClose} data-testid="fleet-detail-close">
          {t('common.close')}
        </button>
      </div>
      {q.isError && <p className="error-text">{adminErrorText(q.error, t)}</p>}
      {h && (
        <>
          <AvailabilityStrip spans={h.availability} now={now} />
          <div className="strip-scale small muted">
            <span>{t('fleet.daysAgo', { n: 7 })}</span>
            <span className="strip-legend">
              <i className="swatch strip-online" /> {t('fleet.legend.online')} <i className="swatch strip-offline" /> {t('fleet.legend.offline')}{' '}
              <i className="swatch strip-unknown" /> {t('fleet.legend.unknown')}
            </span>
            <span>{t('fleet.now')}</span>
          </div>
        </>
      )}
      <dl className="fleet-figures">
        <dt>{t('fleet.health')}</dt>
        <dd>
          <HealthBadge health={h?.health ?? device.health} />
        </dd>
        <dt>{t('fleet.uptime')}</dt>
        <dd className="mono" data-testid="fleet-uptime">
          {h ? (h.uptimePct7d === null ? t('fleet.unknown') : `${h.uptimePct7d} %`) : '…'}
        </dd>
        <dt>{t('fleet.errors24h')}</dt>
        <dd className="mono">{h?.errors24h ?? device.errors24h}</dd>
        <dt>{t('fleet.battery')}</dt>
        <dd>
          <BatteryCell battery={h?.battery ?? device.battery} />
        </dd>
        <dt>{t('fleet.firmware')}</dt>
        <dd className="mono">{h?.firmware ?? device.firmware ?? '—'}</dd>
        <dt>{t('fleet.lastSeen')}</dt>
        <dd className="mono">{lastSeen !== undefined ? formatSiteTime(lastSeen, site.timezone) : '—'}</dd>
        <dt>{t('fleet.flapping')}</dt>
        <dd>{(h?.flapping ?? device.flapping) ? t('fleet.yes') : '—'}</dd>
      </dl>
    </section>
  );
}
