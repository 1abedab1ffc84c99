import { useEffect, useState } from 'react';
import { formatLocal, SITE_MODES, type SiteMode } from '@cr/shared';
import { dynamicKey, useI18n } from '../../i18n/i18n';
import { siteTone, type SiteRow } from '../overview/site-rows';

/** Site name, status, mode, local clock and the mode controls. */
export function SiteHeader({ row, mode, fireActive, timezone, canControl, onMode }: { row: SiteRow | undefined; mode: SiteMode; fireActive: boolean; timezone: string; canControl: boolean; onMode: (m: SiteMode) => void }) {
  const { t } = useI18n();
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 15_000);
    return () => clearInterval(timer);
  }, []);
  const tone = row ? siteTone({ ...row, mode, fireActive }) : 'unknown';
  return (
    <div className="site-header">
      <div>
        <h1 className="site-title">
          <span className={`tone-dot tone-${tone}`} aria-hidden="true" /> {row?.name ?? '…'}
        </h1>
        <div className="site-sub">
          <span data-testid="site-online" data-online={String(row?.online ?? 'unknown')}>
            {row?.online === false ? t('tone.offline') : row?.online ? t('site.online') : t('tone.unknown')}
          </span>
          {' · '}
          <span data-testid="site-mode" data-mode={mode} className={mode === 'normal' ? '' : 'mode-alert'}>
            {t('site.modeLabel')}: {t(dynamicKey('mode', mode))}
          </span>
          {fireActive && (
            <span className="fire-flag" data-testid="site-fire">
              {' · '}
              {t('tone.fire')}
            </span>
          )}
          {' · '}
          <span className="muted">
            {t('site.localTime')} {formatLocal(now, timezone)}
          </span>
        </div>
      </div>
      {canControl && (
        <div className="mode-controls" role="group" aria-label={t('site.modeControls')}>
          {SITE_MODES.map((m) => (
            <button key={m} type="button" className={`btn mode-btn mode-${m}${m === mode ? ' active' : ''}`} onClick={() => onMode(m)} data-testid={`mode-button-${m}`}>
              {m === 'normal' ? t('site.resetNormal') : t(dynamicKey('mode', m))}
            </button>
          ))}
        </div>
      )}
    </div>
  );
}
