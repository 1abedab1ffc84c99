import { onboardingTestMemberId, remoteDoorTestOf, testAlarmOf, testSwipeOf, type AcceptanceCheck } from '@cr/shared';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { dynamicKey, useI18n } from '../../i18n/i18n';
import { formatSiteTime } from '../../i18n/site-time';
import { useAdminAction } from '../admin/use-admin-action';
import { POLL_MS } from './LinkStatus';
import type { OnboardingApi } from './onboarding-api';
import { NO_CHECKS, canGoLive, testCardNumber, type Checks } from './wizard-model';

/** Events and alerts that reached the cloud this long before the test began still count (clocks of site and console differ). */
const CLOCK_SLACK_MS = 5_000;

/**
 * The guided acceptance test of one site: creates the test member with a test card, then watches
 * what the site reports (the card's grant, a door unlocked and locked remotely, an alarm) until
 * each check has passed; passed checks stay green. `finish` retires the test card.
 */
export function useAcceptance(api: OnboardingApi, site: { id: string; timezone: string }, zoneIds: readonly string[]) {
  const { t } = useI18n();
  const [card] = useState(() => testCardNumber(site.id));
  const [since, setSince] = useState<number>();
  const [checks, setChecks] = useState<Checks>(NO_CHECKS);
  const start = useAdminAction(t);
  const memberId = onboardingTestMemberId(site.id);
  const watching = (c: AcceptanceCheck): boolean => since !== undefined && checks[c].state === 'waiting';
  const poll = (c: AcceptanceCheck) => ({ enabled: watching(c), refetchInterval: POLL_MS });
  const swipes = useQuery({ queryKey: ['onboarding', 'swipes', site.id, since], queryFn: () => api.events(site.id, 'access.granted', since!), ...poll('test-card') });
  const doors = useQuery({ queryKey: ['onboarding', 'doors', site.id, since], queryFn: () => api.events(site.id, 'command.executed', since!), ...poll('remote-door') });
  const alerts = useQuery({ queryKey: ['onboarding', 'alerts', site.id, since], queryFn: () => api.alerts(site.id), ...poll('test-alarm') });

  useEffect(() => {
    if (since === undefined) return;
    const at = (ts: number): string => formatSiteTime(ts, site.timezone);
    const swipe = swipes.data && testSwipeOf(swipes.data, memberId, since);
    const door = doors.data && remoteDoorTestOf(doors.data, since);
    const alarm = alerts.data && testAlarmOf(alerts.data, since);
    setChecks((cur) => {
      const next = { ...cur };
      if (swipe && cur['test-card'].state === 'waiting')
        next['test-card'] = { state: 'passed', at: swipe.ts, detail: t('onboarding.check.swiped', { reader: swipe.deviceId ?? '?', at: at(swipe.ts) }) };
      if (door && cur['remote-door'].state === 'waiting')
        next['remote-door'] = { state: 'passed', at: Date.now(), detail: t('onboarding.check.doorDone', { door: door.doorId, by: door.by ?? '?' }) };
      if (alarm && cur['test-alarm'].state === 'waiting')
        next['test-alarm'] = { state: 'passed', at: alarm.raisedAt, detail: t('onboarding.check.alarmRaised', { type: t(dynamicKey('alertType', alarm.type)), at: at(alarm.raisedAt) }) };
      return next;
    });
  }, [swipes.data, doors.data, alerts.data, since, memberId, site.timezone, t]);

  const begin = (): void =>
    void start.run(async () => {
      const began = Date.now() - CLOCK_SLACK_MS;
      await api.putTestMember(memberId, { card, zoneIds: [...zoneIds], siteId: site.id });
      setSince(began);
      setChecks({ 'test-card': { state: 'waiting' }, 'remote-door': { state: 'waiting' }, 'test-alarm': { state: 'waiting' } });
      return t('onboarding.check.started', { card });
    });
  const finish = async (): Promise<void> => {
    // The test card opens nothing once the site is live.
    await api.putTestMember(memberId, { card, zoneIds: [], siteId: site.id, active: false });
  };
  const error = swipes.error ?? doors.error ?? alerts.error ?? undefined;
  return { card, started: since !== undefined, checks, ready: canGoLive(checks), begin, starting: start, pollError: error, finish };
}
