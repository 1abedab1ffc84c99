import { useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import type { DeviceView, Position, SiteMode, Zone } from '@cr/shared';
import { capabilitiesFor } from '../../app/capabilities';
import { useLiveData } from '../../app/live-data';
import { navigate } from '../../app/router';
import { useServices } from '../../app/services-context';
import { useShortcuts } from '../../app/shortcuts';
import type { User } from '../../data/api-types';
import { dynamicKey, useI18n } from '../../i18n/i18n';
import { CommandDialog } from '../commands/CommandDialog';
import type { CommandTarget } from '../commands/command-target';
import { DoorList } from './DoorList';
import { FloorPlan } from './FloorPlan';
import { SiteHeader } from './SiteHeader';
import { useSiteState } from './use-site-state';
import { AddZoneDialog, RemoveZoneDialog } from './ZoneDialogs';
import { ZoneList } from './ZoneList';
import { devicesInZone, newZone } from './zone-edit';
import { zoneApi, type ZoneRemovalChoice } from './zone-api';
import { useAdminAction } from '../admin/use-admin-action';

type ZoneDialog = { kind: 'add' } | { kind: 'remove'; zone: Zone };

/** Random part of a new zone's id, so zones added on two offline laptops never share an id. */
const randomPart = (): string => globalThis.crypto?.randomUUID?.() ?? Math.random().toString(36).slice(2);

/** One site: floor plan with live overlays, doors, alerts, mode controls and map editing. */
export function SitePage({ siteId, user }: { siteId: string; user: User }) {
  const { api } = useServices();
  const { t } = useI18n();
  const { siteById } = useLiveData();
  const row = siteById.get(siteId);
  const state = useSiteState(siteId);
  const caps = useMemo(() => capabilitiesFor(user, siteId), [user, siteId]);
  const detail = useQuery({ queryKey: ['site', siteId], queryFn: () => api.site(siteId), enabled: !state || state.devices.length === 0 });
  const [editing, setEditing] = useState(false);
  const [command, setCommand] = useState<CommandTarget | undefined>();
  const [zoneDialog, setZoneDialog] = useState<ZoneDialog | undefined>();
  const zones = useMemo(() => zoneApi(api), [api]);
  const zoneChange = useAdminAction(t);
  const changeZones = (change: () => Promise<unknown>): void =>
    void zoneChange.run(async () => {
      await change();
      setZoneDialog(undefined);
      return '';
    });
  const siteName = row?.name ?? state?.meta.name ?? detail.data?.name ?? siteId;
  const actor = user.email ?? user.name ?? user.id;

  useShortcuts([{ key: 'e', help: 'help.editPlan', run: () => caps.editMap && setEditing((v) => !v) }]);

  const openDoor = (d: DeviceView): void => setCommand({ kind: 'door', siteId, siteName, doorId: d.id, doorName: d.name });
  const openMode = (mode: SiteMode): void => setCommand({ kind: 'mode', siteId, siteName, mode });
  const moveDevice = (id: string, at: Position): void => state?.site.setDevicePosition(id, at, actor, Date.now());
  const changeZone = (zone: Zone): void => state?.site.setZone(zone);
  // Zones are the cloud's: it records them, draws the new outline and tells the site's edge.
  const addZone = (name: string): void => {
    if (!state) return;
    const { id } = newZone(state.zones, name, randomPart());
    changeZones(() => zones.create(siteId, id, name));
  };
  const removeZone = (zone: Zone, choice: ZoneRemovalChoice | undefined): void => changeZones(() => zones.remove(siteId, zone.id, choice));

  const doors = useMemo(() => (state?.devices ?? []).filter((d) => d.kind === 'door'), [state?.devices]);
  const openAlerts = (state?.alerts ?? []).filter((a) => a.state !== 'resolved');
  const mode = state?.meta.mode ?? row?.mode ?? 'normal';
  return (
    <div className="site-page" data-testid="site-view" data-site-id={siteId}>
      <SiteHeader row={row} mode={mode} fireActive={state?.meta.fireActive ?? false} timezone={state?.meta.timezone ?? row?.timezone ?? 'Asia/Seoul'} canControl={caps.control} onMode={openMode} />
      <div className="site-body">
        <section className="plan-pane" aria-label={t('site.floorPlan')}>
          <div className="plan-toolbar">
            <button type="button" className="btn btn-ghost" onClick={() => navigate({ name: 'overview' })} data-testid="back-to-overview">
              ← {t('nav.overview')}
            </button>
            {caps.editMap && (
              <button type="button" className={editing ? 'btn active' : 'btn'} aria-pressed={editing} onClick={() => setEditing((v) => !v)} data-testid="edit-toggle">
                {editing ? t('site.editDone') : t('site.editPlan')}
              </button>
            )}
            {editing && <span className="muted">{t('site.editHint')}</span>}
            {state?.status && state.status.cloud !== 'synced' && state.status.edge !== 'synced' && <span className="muted" data-testid="site-sync-state">{t('site.notSynced')}</span>}
          </div>
          {state && state.zones.length + state.devices.length > 0 ? (
            <FloorPlan zones={state.zones} devices={state.devices} occupancy={state.occupancy} alerts={state.alerts} editing={editing} onDoor={caps.control ? openDoor : undefined} onMoveDevice={moveDevice} onZoneChange={changeZone} />
          ) : (
            <div className="plan-empty muted">{detail.data ? t('site.noPlan', { n: detail.data.devices.length }) : t('common.loading')}</div>
          )}
        </section>
        <aside className="side-pane">
          {editing && state && <ZoneList zones={state.zones} onAdd={() => setZoneDialog({ kind: 'add' })} onRemove={(zone) => setZoneDialog({ kind: 'remove', zone })} />}
          <h2>{t('site.doors')}</h2>
          <DoorList doors={doors} canControl={caps.control} onControl={openDoor} />
          <h2>{t('site.alerts', { n: openAlerts.length })}</h2>
          <ul className="mini-alerts" data-testid="site-alerts">
            {openAlerts.slice(0, 12).map((a) => (
              <li key={a.id} className={`sev-${a.severity}`}>
                <a href={`#/alerts/${a.id}`}>
                  {t(dynamicKey('alertType', a.type))} · {a.deviceId ?? ''} · {t(dynamicKey('alertState', a.state))}
                </a>
              </li>
            ))}
            {openAlerts.length === 0 && <li className="muted">{t('alerts.none')}</li>}
          </ul>
          {caps.events && (
            <a className="btn" href={`#/events/${siteId}`} data-testid="site-events-link">
              {t('site.events')}
            </a>
          )}
        </aside>
      </div>
      {command && <CommandDialog target={command} user={user} onClose={() => setCommand(undefined)} />}
      {zoneDialog?.kind === 'add' && <AddZoneDialog siteName={siteName} zones={state?.zones ?? []} busy={zoneChange.busy} error={zoneChange.error} onAdd={addZone} onClose={() => setZoneDialog(undefined)} />}
      {zoneDialog?.kind === 'remove' && (
        <RemoveZoneDialog
          siteName={siteName}
          zone={zoneDialog.zone}
          zones={state?.zones ?? []}
          deviceCount={devicesInZone(zoneDialog.zone.id, state?.devices ?? []).length}
          busy={zoneChange.busy}
          error={zoneChange.error}
          onRemove={(choice) => removeZone(zoneDialog.zone, choice)}
          onClose={() => setZoneDialog(undefined)}
        />
      )}
    </div>
  );
}
