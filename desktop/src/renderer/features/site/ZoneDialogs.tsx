import { useState, type FormEvent } from 'react';
import type { Zone } from '@cr/shared';
import { dynamicKey, useI18n } from '../../i18n/i18n';
import { ZONE_NAME_MAX, zoneNameProblem } from './zone-edit';
import type { ZoneRemovalChoice } from './zone-api';

/** Names the new zone; the outline appears in free space on the plan, ready to be shaped. */
export function AddZoneDialog({ siteName, zones, busy = false, error, onAdd, onClose }: { siteName: string; zones: readonly Zone[]; busy?: boolean; error?: string; onAdd: (name: string) => void; onClose: () => void }) {
  const { t } = useI18n();
  const [name, setName] = useState('');
  const problem = zoneNameProblem(name, zones);
  const submit = (e: FormEvent): void => {
    e.preventDefault();
    if (problem || busy) return;
    onAdd(name.trim());
  };
  return (
    <div className="overlay" role="dialog" aria-modal="true" aria-labelledby="zone-add-title" data-testid="zone-add-dialog" onKeyDown={(e) => e.key === 'Escape' && onClose()}>
      <form className="overlay-panel" onSubmit={submit}>
        <h2 id="zone-add-title">{t('zone.addTitle', { site: siteName })}</h2>
        <label>
          {t('zone.name')}
          <input value={name} onChange={(e) => setName(e.target.value)} maxLength={ZONE_NAME_MAX + 20} required autoFocus data-testid="zone-name-input" />
        </label>
        <p className="muted small" data-testid="zone-name-problem">
          {name && problem ? t(dynamicKey('zone.problem', problem)) : t('zone.addHint')}
        </p>
        {error && (
          <p className="form-error" role="alert" data-testid="zone-add-error">
            {t('zone.changeFailed', { reason: error })}
          </p>
        )}
        <div className="dialog-actions">
          <button type="submit" className="btn btn-primary btn-large" disabled={!!problem || busy} data-testid="zone-add-confirm">
            {t('zone.add')}
          </button>
          <button type="button" className="btn btn-large" onClick={onClose} data-testid="zone-add-cancel">
            {t('common.cancel')}
          </button>
        </div>
      </form>
    </div>
  );
}

/**
 * Asks before a zone is removed, naming the site, the zone and its devices. Devices are never
 * dropped silently: with devices in it the person picks another zone for them or leaves them
 * unplaced (doors and readers then wait, pending). `error` is the cloud's refusal, if any.
 */
export function RemoveZoneDialog({
  siteName,
  zone,
  zones,
  deviceCount,
  busy = false,
  error,
  onRemove,
  onClose,
}: {
  siteName: string;
  zone: Zone;
  zones: readonly Zone[];
  deviceCount: number;
  busy?: boolean;
  error?: string;
  onRemove: (choice: ZoneRemovalChoice | undefined) => void;
  onClose: () => void;
}) {
  const { t } = useI18n();
  const others = zones.filter((z) => z.id !== zone.id);
  const [target, setTarget] = useState(others[0]?.id ?? '');
  const [how, setHow] = useState<'move' | 'unassign'>(others.length > 0 ? 'move' : 'unassign');
  const choice = (): ZoneRemovalChoice | undefined => (deviceCount === 0 ? undefined : how === 'move' && target ? { devices: 'move', to: target } : { devices: 'unassign' });
  return (
    <div className="overlay" role="alertdialog" aria-modal="true" aria-labelledby="zone-remove-title" data-testid="zone-remove-dialog" onKeyDown={(e) => e.key === 'Escape' && onClose()}>
      <div className="overlay-panel">
        <h2 id="zone-remove-title">{t('zone.removeTitle')}</h2>
        <dl className="command-facts">
          <dt>{t('command.site')}</dt>
          <dd>{siteName}</dd>
          <dt>{t('zone.zone')}</dt>
          <dd data-testid="zone-remove-name">{zone.name}</dd>
        </dl>
        <p className="command-question">{t('zone.removeQuestion', { zone: zone.name })}</p>
        <p className="muted">{deviceCount > 0 ? t('zone.removeDevices', { n: deviceCount }) : t('zone.removeNoDevices')}</p>
        {deviceCount > 0 && (
          <fieldset className="zone-removal" data-testid="zone-remove-choice">
            {others.length > 0 && (
              <label>
                <input type="radio" name="zone-removal" checked={how === 'move'} onChange={() => setHow('move')} data-testid="zone-remove-move" /> {t('zone.moveTo')}{' '}
                <select value={target} onChange={(e) => (setTarget(e.target.value), setHow('move'))} data-testid="zone-remove-target" aria-label={t('zone.moveTo')}>
                  {others.map((z) => (
                    <option key={z.id} value={z.id}>
                      {z.name}
                    </option>
                  ))}
                </select>
              </label>
            )}
            <label>
              <input type="radio" name="zone-removal" checked={how === 'unassign'} onChange={() => setHow('unassign')} data-testid="zone-remove-unassign" /> {t('zone.unassign')}
            </label>
          </fieldset>
        )}
        {error && (
          <p className="form-error" role="alert" data-testid="zone-remove-error">
            {t('zone.changeFailed', { reason: error })}
          </p>
        )}
        <div className="dialog-actions">
          <button type="button" className="btn btn-danger btn-large" disabled={busy} onClick={() => onRemove(choice())} data-testid="zone-remove-confirm">
            {t('zone.remove')}
          </button>
          <button type="button" className="btn btn-large" onClick={onClose} autoFocus data-testid="zone-remove-cancel">
            {t('common.cancel')}
          </button>
        </div>
      </div>
    </div>
  );
}
