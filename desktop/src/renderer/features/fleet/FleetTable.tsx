import { formatSiteTime } from '../../i18n/site-time';
import { dynamicKey, useI18n } from '../../i18n/i18n';
import type { FleetRow } from './fleet-api';
import { isLowBattery, rowKey } from './fleet-filters';

/** A device's health as a coloured badge. */
export function HealthBadge({ health }: { health: FleetRow['health'] }) {
  const { t } = useI18n();
  return (
    <span className={`fleet-badge health-${health}`} data-testid="health-badge" data-health={health}>
      {t(dynamicKey('fleet.health', health))}
    </span>
  );
}

/** The charge, with a warning badge below the low-battery threshold. */
export function BatteryCell({ battery }: { battery?: number }) {
  const { t } = useI18n();
  if (battery === undefined) return <span className="muted">—</span>;
  return (
    <span className="nowrap">
      {Math.round(battery)} %
      {isLowBattery({ battery }) && (
        <span className="fleet-badge battery-low" data-testid="battery-low" title={t('fleet.health.low-battery')}>
          {t('fleet.lowBattery')}
        </span>
      )}
    </span>
  );
}

/** The fleet's rows; each is focusable and opens its device with a click or Enter. */
export function FleetTable({
  rows,
  site,
  selected,
  onSelect,
}: {
  rows: readonly FleetRow[];
  site: (id: string) => { name: string; timezone: string };
  selected?: string;
  onSelect: (key: string) => void;
}) {
  const { t } = useI18n();
  return (
    <table className="data-table fleet-table" data-testid="fleet-table">
      <thead>
        <tr>
          <th>{t('fleet.site')}</th>
          <th>{t('fleet.device')}</th>
          <th>{t('fleet.kind')}</th>
          <th>{t('fleet.model')}</th>
          <th>{t('fleet.firmware')}</th>
          <th>{t('fleet.health')}</th>
          <th>{t('fleet.lastSeen')}</th>
          <th>{t('fleet.battery')}</th>
          <th>{t('fleet.errors24h')}</th>
          <th>{t('fleet.flapping')}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((d) => {
          const key = rowKey(d);
          const { name, timezone } = site(d.siteId);
          return (
            <tr
              key={key}
              tabIndex={0}
              className={key === selected ? 'fleet-row selected' : 'fleet-row'}
              aria-selected={key === selected}
              onClick={() => onSelect(key)}
              onKeyDown={(e) => {
                if (e.key === 'Enter' || e.key === ' ') {
                  e.preventDefault();
                  onSelect(key);
                }
              }}
              data-testid="fleet-row"
              data-key={key}
            >
              <td className="nowrap">{name}</td>
              <td>
                {d.name}
                <span className="muted small mono device-id">{d.id}</span>
              </td>
              <td className="nowrap">{t(dynamicKey('kind', d.kind))}</td>
              <td className="nowrap">{d.model ?? '—'}</td>
              <td className="mono nowrap">{d.firmware ?? '—'}</td>
              <td>
                <HealthBadge health={d.health} />
              </td>
              <td className="mono nowrap">{d.lastSeenAt !== undefined ? formatSiteTime(d.lastSeenAt, timezone) : '—'}</td>
              <td>
                <BatteryCell battery={d.battery} />
              </td>
              <td className={d.errors24h > 0 ? 'mono fleet-errors' : 'mono muted'}>{d.errors24h}</td>
              <td>{d.flapping ? <span className="fleet-badge flapping" data-testid="flapping-badge">{t('fleet.flapping')}</span> : <span className="muted">—</span>}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
