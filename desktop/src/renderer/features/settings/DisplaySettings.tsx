import { useEffect, useState } from 'react';
import type { DisplayInfo } from '../../platform/types';
import { useServices } from '../../app/services-context';
import { useI18n } from '../../i18n/i18n';

const VIEWS = [
  { route: '#/overview', label: 'nav.overview' },
  { route: '#/alerts', label: 'nav.alerts' },
  { route: '#/events', label: 'nav.events' },
] as const;

/** Electron only: open a chosen view on each monitor (remembered per display by the main process). */
export function DisplaySettings() {
  const { platform } = useServices();
  const { t } = useI18n();
  const [displays, setDisplays] = useState<DisplayInfo[]>([]);
  useEffect(() => {
    void platform.listDisplays().then(setDisplays).catch(() => setDisplays([]));
  }, [platform]);
  return (
    <section data-testid="display-settings">
      <h2>{t('settings.displays')}</h2>
      {displays.map((d) => (
        <div key={d.id} className="display-row">
          <span>
            {d.label} ({d.bounds.width}×{d.bounds.height}){d.primary ? ` · ${t('settings.primary')}` : ''}
          </span>
          {VIEWS.map((v) => (
            <button key={v.route} type="button" className="btn" onClick={() => void platform.openOnDisplay({ displayId: d.id, route: v.route })}>
              {t(v.label)}
            </button>
          ))}
        </div>
      ))}
    </section>
  );
}
