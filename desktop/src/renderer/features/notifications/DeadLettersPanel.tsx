import { formatLocal } from '@cr/shared';
import { dynamicKey, useI18n } from '../../i18n/i18n';
import { Outcome } from '../admin/Field';
import { useAdminAction } from '../admin/use-admin-action';
import { channelText } from './DeliveryLog';
import type { FeedAlert } from '../alerts/alert-feed';
import type { DeliveryRow, NotificationsApi } from './notifications-api';

/**
 * Notifications given up after their retry window, newest first, each in its site's time; a
 * tenant-admin puts one back in the outbox with Retry (the same Idempotency-Key).
 */
export function DeadLettersPanel({
  api,
  letters,
  canRetry,
  alertOf,
  site,
  onChanged,
}: {
  api: NotificationsApi;
  letters: DeliveryRow[];
  canRetry: boolean;
  /** the alert as the console knows it (named by its type and device), if it does */
  alertOf: (id: string) => FeedAlert | undefined;
  site: (id: string) => { name: string; timezone: string };
  onChanged: () => void;
}) {
  const { t } = useI18n();
  const action = useAdminAction(t);
  const alertName = (id: string): string => {
    const a = alertOf(id);
    return a ? `${t(dynamicKey('alertType', a.type))}${a.deviceId ? ` · ${a.deviceId}` : ''}` : id;
  };
  const retry = (d: DeliveryRow): void =>
    void action.run(async () => {
      await api.retry(d.id);
      onChanged();
      return t('notify.retried');
    });
  return (
    <section aria-labelledby="notify-dead" data-testid="notify-dead-letters">
      <h2 id="notify-dead">{t('notify.deadLetters', { n: letters.length })}</h2>
      {letters.length === 0 ? (
        <p className="muted" data-testid="notify-dead-empty">
          {t('notify.noDeadLetters')}
        </p>
      ) : (
        <table className="data-table">
          <thead>
            <tr>
              <th>{t('notify.deadAt')}</th>
              <th>{t('alerts.site')}</th>
              <th>{t('notify.alert')}</th>
              <th>{t('notify.event')}</th>
              <th>{t('notify.channel')}</th>
              <th>{t('notify.lastError')}</th>
              {canRetry && (
                <th>
                  <span className="visually-hidden">{t('notify.actions')}</span>
                </th>
              )}
            </tr>
          </thead>
          <tbody>
            {letters.map((d) => {
              const s = site(d.siteId);
              return (
                <tr key={d.id} data-testid={`notify-dead-${d.id}`}>
                  <td className="mono nowrap">{formatLocal(d.deadAt ?? d.queuedAt, s.timezone)}</td>
                  <td>{s.name}</td>
                  <td>
                    <a href={`#/alerts/${d.alertId}`} title={d.alertId} data-testid={`notify-dead-alert-${d.id}`}>
                      {alertName(d.alertId)}
                    </a>
                  </td>
                  <td>{t(dynamicKey('deliveryEvent', d.event))}</td>
                  <td>{channelText(d, t)}</td>
                  <td className="error-text small">
                    {d.lastError ?? ''} ({t('notify.attemptCount', { n: d.attempts.length })})
                  </td>
                  {canRetry && (
                    <td>
                      <button
                        type="button"
                        className="btn"
                        onClick={() => retry(d)}
                        disabled={action.busy}
                        data-testid={`notify-dead-retry-${d.id}`}
                      >
                        {t('notify.retry')}
                      </button>
                    </td>
                  )}
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      <Outcome done={action.done} error={action.error} testId="notify-dead" />
    </section>
  );
}
