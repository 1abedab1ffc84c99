import { dynamicKey, useI18n, type MessageKey } from '../../i18n/i18n';
import { HEALTH_CHOICES, type FleetFilter } from './fleet-filters';

interface Choices {
  siteId: string[];
  kind: string[];
  model: string[];
  firmware: string[];
}

/** The fleet's filters, one select each, in Tab order; their options are what the fleet holds. */
export function FleetFilters({
  filter,
  choices,
  siteName,
  onChange,
}: {
  filter: FleetFilter;
  choices: Choices;
  siteName: (id: string) => string;
  onChange: (f: FleetFilter) => void;
}) {
  const { t } = useI18n();
  const select = (field: keyof FleetFilter, label: MessageKey, all: MessageKey, options: Array<{ value: string; text: string }>) => (
    <label className="fleet-filter">
      <span className="small muted">{t(label)}</span>
      <select value={filter[field]} onChange={(e) => onChange({ ...filter, [field]: e.target.value })} data-testid={`fleet-filter-${field}`}>
        <option value="">{t(all)}</option>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.text}
          </option>
        ))}
      </select>
    </label>
  );
  return (
    <div className="filter-bar fleet-filters" role="group" aria-label={t('fleet.health')}>
      {select('siteId', 'fleet.site', 'fleet.allSites', choices.siteId.map((id) => ({ value: id, text: siteName(id) })))}
      {select('kind', 'fleet.kind', 'fleet.allKinds', choices.kind.map((k) => ({ value: k, text: t(dynamicKey('kind', k)) })))}
      {select('model', 'fleet.model', 'fleet.allModels', choices.model.map((m) => ({ value: m, text: m })))}
      {select('firmware', 'fleet.firmware', 'fleet.allFirmware', choices.firmware.map((v) => ({ value: v, text: v })))}
      {select('health', 'fleet.health', 'fleet.allHealth', HEALTH_CHOICES.map((h) => ({ value: h, text: t(dynamicKey('fleet.health', h)) })))}
    </div>
  );
}
