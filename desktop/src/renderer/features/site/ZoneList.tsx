import type { Zone } from '@cr/shared';
import { useI18n } from '../../i18n/i18n';

/** While editing: the site's zones with a remove button each (the keyboard path to zone removal). */
export function ZoneList({ zones, onAdd, onRemove }: { zones: readonly Zone[]; onAdd: () => void; onRemove: (zone: Zone) => void }) {
  const { t } = useI18n();
  return (
    <>
      <h2>{t('zone.list')}</h2>
      <ul className="zone-list" data-testid="zone-list">
        {zones.map((z) => (
          <li key={z.id} className="zone-row" data-testid={`zone-row-${z.id}`}>
            <span className="zone-row-name">{z.name}</span>
            <button type="button" className="btn" onClick={() => onRemove(z)} data-testid={`zone-remove-${z.id}`} aria-label={t('zone.removeNamed', { zone: z.name })}>
              {t('zone.remove')}
            </button>
          </li>
        ))}
      </ul>
      <button type="button" className="btn zone-add" onClick={onAdd} data-testid="zone-add">
        + {t('zone.add')}
      </button>
    </>
  );
}
