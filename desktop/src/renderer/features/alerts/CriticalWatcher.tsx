import { useEffect, useRef } from 'react';
import { useLiveData } from '../../app/live-data';
import { useServices, useStore } from '../../app/services-context';
import { dynamicKey, useI18n } from '../../i18n/i18n';
import { takeNewCriticals, unacknowledgedCriticals } from './alert-feed';
import { playCriticalTone } from './alert-sound';

/** While a critical alert is unacknowledged the tone repeats at this interval (unless muted). */
const REPEAT_MS = 30_000;

/** Announces new critical alerts (native notification + tone) and repeats the tone until acknowledged. */
export function CriticalWatcher() {
  const { alerts } = useLiveData();
  const { platform, settings } = useServices();
  const { muted } = useStore(settings);
  const { t } = useI18n();
  const announced = useRef(new Set<string>());
  const pending = unacknowledgedCriticals(alerts).length;

  useEffect(() => {
    const fresh = takeNewCriticals(alerts, announced.current);
    if (fresh.length === 0) return;
    if (!muted) playCriticalTone();
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
    const timer = setInterval(playCriticalTone, REPEAT_MS);
    return () => clearInterval(timer);
  }, [muted, pending]);
  return null;
}
