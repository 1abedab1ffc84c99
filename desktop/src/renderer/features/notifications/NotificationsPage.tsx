import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useMemo } from 'react';
import type { Capabilities } from '../../app/capabilities';
import { useLiveData } from '../../app/live-data';
import { useServices } from '../../app/services-context';
import { useI18n } from '../../i18n/i18n';
import { adminErrorText } from '../admin/use-admin-action';
import { ChannelsPanel } from './ChannelsPanel';
import { DeadLettersPanel } from './DeadLettersPanel';
import { notificationsApi } from './notifications-api';
import { RulesPanel } from './RulesPanel';
import { SILENCES_KEY, useSilences } from './silences';
import { SilencesPanel } from './SilencesPanel';

/**
 * Alert notifications: channels and routing rules (tenant-admin), dead letters with Retry, and
 * silences. HQ operators and site managers see the dead letters and silences of their sites and
 * may silence them; the parts they may not use are not shown.
 */
export function NotificationsPage({
  caps,
}: {
  caps: Pick<Capabilities, 'notifications' | 'manageNotifications' | 'silence'>;
}) {
  const { api } = useServices();
  const { t } = useI18n();
  const { sites, siteById, alerts } = useLiveData();
  const n = useMemo(() => notificationsApi(api), [api]);
  const queries = useQueryClient();
  const manage = caps.manageNotifications;
  const channels = useQuery({ queryKey: ['notifications', 'channels'], queryFn: () => n.channels(), enabled: manage });
  const rules = useQuery({ queryKey: ['notifications', 'rules'], queryFn: () => n.rules(), enabled: manage });
  const dead = useQuery({
    queryKey: ['notifications', 'dead-letters'],
    queryFn: () => n.deadLetters(),
    refetchInterval: 15_000,
  });
  const silences = useSilences(caps.notifications);
  const refresh = (key: string) => () => void queries.invalidateQueries({ queryKey: ['notifications', key] });
  const site = (id: string) => ({
    name: siteById.get(id)?.name ?? id,
    timezone: siteById.get(id)?.timezone ?? 'Asia/Seoul',
  });
  const alertOf = (id: string) => alerts.find((a) => a.id === id);
  const siteList = sites.map((s) => ({ id: s.id, name: s.name, timezone: s.timezone }));
  const failed = [channels.error, rules.error, dead.error].find((e) => e);

  return (
    <div className="settings-page notifications-page" data-testid="notifications-page">
      <h1 className="page-title">{t('nav.notifications')}</h1>
      {failed && (
        <p className="error-text" role="alert" data-testid="notifications-error">
          {adminErrorText(failed, t)}
        </p>
      )}
      <div className="notify-columns">
        {manage && (
          <div className="notify-column">
            <ChannelsPanel api={n} channels={channels.data ?? []} onChanged={refresh('channels')} />
            <RulesPanel
              api={n}
              rules={rules.data ?? []}
              channels={channels.data ?? []}
              sites={siteList}
              onChanged={() => {
                refresh('rules')();
                refresh('channels')();
              }}
            />
          </div>
        )}
        <div className="notify-column">
          <DeadLettersPanel
            api={n}
            letters={dead.data ?? []}
            canRetry={manage}
            alertOf={alertOf}
            site={site}
            onChanged={refresh('dead-letters')}
          />
          <SilencesPanel
            api={n}
            silences={silences.data}
            loadError={silences.error}
            canCreate={caps.silence}
            sites={siteList}
            site={site}
            onChanged={() => void queries.invalidateQueries({ queryKey: SILENCES_KEY })}
          />
        </div>
      </div>
    </div>
  );
}
