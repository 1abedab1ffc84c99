import { useState, type FormEvent } from 'react';
import type { Zone } from '@cr/shared';
import { dynamicKey, useI18n } from '../../i18n/i18n';
import { ZONE_NAME_MAX, zoneNameProblem } from './zone-edit';

/** Names the new zone; the outline appears in free space on the plan, ready to be shaped. */
export function AddZoneDialog({ siteName, zones, onAdd, onClose }: { siteName: string; zones: readonly Zone[]; onAdd: (name: string) => void; onClose: () => void }) {
  const { t } = useI18n();
  const [name, setName] = useState('');
  const problem = zoneNameProblem(name, zones);
  const submit = (e: FormEvent): void => {
    e.preventDefault();
    if (problem) return;
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
        <div className="dialog-actions">
          <button type="submit" className="btn btn-primary btn-large" disabled={!!problem} data-testid="zone-add-confirm">
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

/** Asks before a zone outline is removed, naming the site, the zone and what stays. */
export function RemoveZoneDialog({ siteName, zone, deviceCount, onRemove, onClose }: { siteName: string; zone: Zone; deviceCount: number; onRemove: () => void; onClose: () => void }) {
  const { t } = useI18n();
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
        <div className="dialog-actions">
          <button type="button" className="btn btn-danger btn-large" onClick={onRemove} data-testid="zone-remove-confirm">
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
