import { useQuery } from '@tanstack/react-query';
import { useI18n } from '../../i18n/i18n';
import { formatSiteTime } from '../../i18n/site-time';
import { adminErrorText } from '../admin/use-admin-action';
import type { OnboardingApi } from './onboarding-api';

/** How often the wizard asks the cloud while it waits for the site (discovery, link, checks). */
export const POLL_MS = 2_000;

/** Polls the site's link to its edge: online, when last heard from, when its permissions were last current. */
export function useSiteLink(api: OnboardingApi, siteId: string, enabled = true) {
  return useQuery({ queryKey: ['onboarding', 'link', siteId], queryFn: () => api.link(siteId), refetchInterval: POLL_MS, enabled: enabled && siteId !== '' });
}

/**
 * Step 6 (and a line atop discovery): the gateway's link and its permission sync, as the cloud
 * last heard them. Offline until the person runs the gateway command.
 */
export function LinkStatus({ api, siteId, timezone, compact }: { api: OnboardingApi; siteId: string; timezone: string; compact?: boolean }) {
  const { t } = useI18n();
  const link = useSiteLink(api, siteId);
  const at = (ts: number | undefined): string => (ts ? formatSiteTime(ts, timezone) : t('onboarding.link.never'));
  const online = link.data?.online === true;
  return (
    <div className={`onboarding-link ${online ? 'is-online' : 'is-waiting'}`} data-testid="onboarding-link" data-online={String(online)} role="status">
      <span className={`tone-dot ${online ? 'tone-ok' : 'tone-offline'}`} aria-hidden="true" />
      <strong>{online ? t('onboarding.link.online') : t('onboarding.link.waiting')}</strong>
      {!online && <span className="onboarding-spinner" aria-hidden="true" />}
      {!compact && (
        <dl className="onboarding-link-facts">
          <dt>{t('onboarding.link.lastSeen')}</dt>
          <dd data-testid="onboarding-link-last-seen">{at(link.data?.lastSeenAt)}</dd>
          <dt>{t('onboarding.link.permissions')}</dt>
          <dd data-testid="onboarding-link-permissions">{at(link.data?.permissionsSyncedAt)}</dd>
        </dl>
      )}
      {link.error && <span className="error-text">{adminErrorText(link.error, t)}</span>}
    </div>
  );
}
