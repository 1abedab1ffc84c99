import { useEffect, useState } from 'react';
import { useServices, useStore } from '../../app/services-context';
import { useI18n } from '../../i18n/i18n';
import { bannerState } from './banner-state';

/**
 * The connection bar at the top of every screen. It always occupies the same height, so a change
 * of connection never shifts the layout; it says what state the screen shows and how old it is.
 */
export function ConnectionBanner() {
  const { reach, settings } = useServices();
  const snapshot = useStore(reach);
  const { edges } = useStore(settings);
  const { t } = useI18n();
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 5_000);
    return () => clearInterval(timer);
  }, []);
  const state = bannerState(snapshot, now);
  const age = (m: number | undefined): string =>
    m === undefined ? t('banner.ageUnknown') : m < 1 ? t('banner.underMinuteOld') : m === 1 ? t('banner.minuteOld') : t('banner.minutesOld', { n: m });
  let text: string;
  switch (state.kind) {
    case 'offline':
      text = t('banner.offline', { age: age(state.minutesOld) });
      break;
    case 'lan':
      text = t('banner.lan', { sites: state.siteIds.join(', '), age: age(state.minutesOld) });
      break;
    case 'reconnected':
      text = t('banner.reconnected', { n: state.merged });
      break;
    case 'connecting':
      text = t('banner.connecting');
      break;
    default:
      text = Object.keys(edges).length > 0 ? t('banner.okWithLan') : t('banner.ok');
  }
  return (
    <div className={`banner banner-${state.kind}`} data-testid="connection-banner" data-state={state.kind} role="status" aria-live="polite">
      <span className="banner-dot" aria-hidden="true" />
      <span className="banner-text">{text}</span>
    </div>
  );
}
