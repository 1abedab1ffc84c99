import { useEffect, useRef, useState } from 'react';
import { useLiveData } from '../../app/live-data';
import { navigate } from '../../app/router';
import { useServices, useStore } from '../../app/services-context';
import { dynamicKey, useI18n } from '../../i18n/i18n';
import { takeNewCriticals, unacknowledgedCriticals } from './alert-feed';
import { playCriticalTone } from './alert-sound';

/** While a critical alert is unacknowledged the tone repeats at this interval (unless muted). */
const REPEAT_MS = 30_000;

/**
 * Announces new critical alerts (native notification + tone), repeats the tone until each is
 * acknowledged, and keeps a banner on every screen naming the oldest one waiting.
 */
export function CriticalWatcher() {
  const { alerts } = useLiveData();
  const { platform, settings } = useServices();
  const { muted } = useStore(settings);
  const { t } = useI18n();
  const announced = useRef(new Set<string>());
  const [tones, setTones] = useState(0);
  const waiting = unacknowledgedCriticals(alerts).sort((a, b) => a.raisedAt - b.raisedAt);
  const pending = waiting.length;

  useEffect(() => {
    const fresh = takeNewCriticals(alerts, announced.current);
    if (fresh.length === 0) return;
    if (!muted) {
      playCriticalTone();
      setTones((n) => n + 1);
    }
    for (const a of fresh.slice(0, 3)) {
      platform.notifyCritical({
        alertId: a.id,
        title: `${t(dynamicKey('alertType', a.type))} — ${a.siteName}`,
        body: a.deviceId ?? a.message ?? '',
        route: `#/alerts/${a.id}`,
      });
    }
  }, [alerts, muted, platform, t]);

  useEffect(() => {
    if (muted || pending === 0) return;
    const timer = setInterval(() => {
      playCriticalTone();
      setTones((n) => n + 1);
    }, REPEAT_MS);
    return () => clearInterval(timer);
  }, [muted, pending]);

  const first = waiting[0];
  if (!first) return null;
  return (
    <div className="critical-banner" role="alert" data-testid="critical-banner" data-sounding={String(!muted)} data-tones={tones} data-alert-id={first.id}>
      <strong>{t('alerts.criticalWaiting', { count: pending })}</strong>
      <span>
        {t(dynamicKey('alertType', first.type))} — {first.siteName}
      </span>
      <button type="button" className="btn btn-danger" onClick={() => navigate({ name: 'alerts', alertId: first.id })} data-testid="critical-banner-open">
        {t('alerts.criticalOpen')}
      </button>
    </div>
  );
}
