import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { dynamicKey, useI18n } from '../../i18n/i18n';
import type { ZoneRow } from '../admin/admin-api';
import { Outcome } from '../admin/Field';
import { useAdminAction } from '../admin/use-admin-action';
import { LinkStatus, POLL_MS } from './LinkStatus';
import type { DiscoveredDevice, OnboardingApi } from './onboarding-api';

const COMMISSIONING_MINUTES = 30;

/** The zone the approval places a device in at first: the one it claims when the site has it, else the first zone. */
export const proposedZone = (d: DiscoveredDevice, zones: readonly ZoneRow[]): string => {
  const claimed = d.claimedZoneId ?? d.zoneId;
  return zones.find((z) => z.id === claimed)?.id ?? zones[0]?.id ?? '';
};

/** One device the edge reports: what it is, and for a pending one the zone to place it in. */
function DeviceRow({ d, zones, busy, onApprove }: { d: DiscoveredDevice; zones: readonly ZoneRow[]; busy: boolean; onApprove: (zoneId: string) => void }) {
  const { t } = useI18n();
  const [zoneId, setZoneId] = useState(() => proposedZone(d, zones));
  const zoneName = (id: string | undefined): string => zones.find((z) => z.id === id)?.name ?? id ?? '—';
  const pending = d.approval === 'pending';
  return (
    <tr data-testid={`onboarding-device-${d.id}`} data-approval={d.approval}>
      <td>
        <span className="mono">{d.id}</span>
        <div className="muted small">{d.name}</div>
      </td>
      <td>{t(dynamicKey('kind', d.kind))}</td>
      <td className="small">{d.model ?? '—'}</td>
      <td className="mono small">{d.firmware ?? '—'}</td>
      <td>{zoneName(d.claimedZoneId ?? d.zoneId)}</td>
      <td>{d.online ? t('look.online') : t('look.offline')}</td>
      <td>
        {pending ? (
          <div className="filter-bar">
            <select
              value={zoneId}
              onChange={(e) => setZoneId(e.target.value)}
              aria-label={t('onboarding.discovery.placeIn', { id: d.id })}
              data-testid={`onboarding-device-zone-${d.id}`}
            >
              {zones.map((z) => (
                <option key={z.id} value={z.id}>
                  {z.name}
                </option>
              ))}
            </select>
            <button type="button" className="btn btn-primary" disabled={busy || !zoneId} onClick={() => onApprove(zoneId)} data-testid={`onboarding-device-approve-${d.id}`}>
              {t('onboarding.discovery.approve')}
            </button>
          </div>
        ) : (
          <span className="onboarding-ok">{t('onboarding.discovery.approvedIn', { zone: zoneName(d.zoneId) })}</span>
        )}
      </td>
    </tr>
  );
}

/**
 * Step 5: the devices the site's edge reports (polled every 2 s). Doors, readers and fire panels
 * wait as pending until a person approves each and places it in a zone; the floor plan position
 * is left to the site page's map editors. A commissioning window admits everything at once instead.
 */
export function DiscoveryStep({ api, siteId, timezone, zones, onNext }: { api: OnboardingApi; siteId: string; timezone: string; zones: readonly ZoneRow[]; onNext: () => void }) {
  const { t } = useI18n();
  const queries = useQueryClient();
  const devices = useQuery({ queryKey: ['onboarding', 'devices', siteId], queryFn: () => api.devices(siteId), refetchInterval: POLL_MS });
  const action = useAdminAction(t);
  const [busyId, setBusyId] = useState<string>();
  const list = devices.data ?? [];
  const pending = list.filter((d) => d.approval === 'pending');

  const approve = async (d: DiscoveredDevice, zoneId: string): Promise<void> => {
    setBusyId(d.id);
    await action.run(async () => {
      await api.approve(siteId, d.id, zoneId);
      return t('onboarding.discovery.approved', { id: d.id, zone: zones.find((z) => z.id === zoneId)?.name ?? zoneId });
    });
    setBusyId(undefined);
    void queries.invalidateQueries({ queryKey: ['onboarding', 'devices', siteId] });
  };
  const commission = (): void =>
    void action.run(async () => {
      const { until } = await api.commissioning(siteId, COMMISSIONING_MINUTES);
      void queries.invalidateQueries({ queryKey: ['onboarding', 'devices', siteId] });
      return t('onboarding.discovery.windowOpen', { minutes: COMMISSIONING_MINUTES, until: new Date(until).toLocaleTimeString() });
    });

  return (
    <div data-testid="onboarding-discovery">
      <LinkStatus api={api} siteId={siteId} timezone={timezone} compact />
      <p className="muted" role="status" data-testid="onboarding-discovery-count">
        {list.length === 0 ? t('onboarding.discovery.none') : t('onboarding.discovery.count', { n: list.length, pending: pending.length })}
        {list.length === 0 && <span className="onboarding-spinner" aria-hidden="true" />}
      </p>
      {list.length > 0 && (
        <table className="data-table onboarding-devices">
          <thead>
            <tr>
              <th>{t('onboarding.discovery.device')}</th>
              <th>{t('onboarding.discovery.kind')}</th>
              <th>{t('onboarding.discovery.model')}</th>
              <th>{t('onboarding.discovery.firmware')}</th>
              <th>{t('onboarding.discovery.claimedZone')}</th>
              <th>{t('onboarding.discovery.link')}</th>
              <th>{t('onboarding.discovery.admission')}</th>
            </tr>
          </thead>
          <tbody>
            {list.map((d) => (
              <DeviceRow key={d.id} d={d} zones={zones} busy={busyId !== undefined} onApprove={(z) => void approve(d, z)} />
            ))}
          </tbody>
        </table>
      )}
      <Outcome done={action.done} error={action.error} testId="onboarding-discovery" />
      <div className="filter-bar">
        <button type="button" className="btn" onClick={commission} disabled={action.busy} data-testid="onboarding-commissioning">
          {t('onboarding.discovery.commission', { minutes: COMMISSIONING_MINUTES })}
        </button>
        <button type="button" className="btn btn-primary" onClick={onNext} disabled={list.length === 0 || pending.length > 0} data-testid="onboarding-discovery-next">
          {t('onboarding.next')}
        </button>
      </div>
    </div>
  );
}
