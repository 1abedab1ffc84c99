import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { formatLocal } from '@cr/shared';
import { useServices } from '../../app/services-context';
import { dynamicKey, useI18n } from '../../i18n/i18n';
import { formatSiteTime } from '../../i18n/site-time';
import { adminErrorText } from '../admin/use-admin-action';
import { notificationsApi, type DeliveryRow } from './notifications-api';

export const DELIVERY_REFRESH_MS = 5_000;

/** A pending notification not tried yet is scheduled (an escalation, or about to be sent); tried, it is retrying. */
const statusOf = (d: DeliveryRow): string =>
  d.status === 'pending' && d.attempts.length === 0 ? 'scheduled' : d.status;

/** Who a notification went to: the channel's label, else its kind. */
export function channelText(d: Pick<DeliveryRow, 'channel'>, t: ReturnType<typeof useI18n>['t']): string {
  const kind = t(dynamicKey('channelKind', d.channel.kind));
  return d.channel.label ? `${kind} · ${d.channel.label}` : kind;
}

/**
 * The notifications of one alert (`GET /api/v1/alerts/{id}/deliveries`), refreshed every 5 s while
 * the detail is open: channel, event, status, each attempt with its answer, when delivered.
 */
export function DeliveryLog({
  alertId,
  timezone,
  refreshMs = DELIVERY_REFRESH_MS,
}: {
  alertId: string;
  timezone: string;
  refreshMs?: number;
}) {
  const { api } = useServices();
  const { t } = useI18n();
  const n = useMemo(() => notificationsApi(api), [api]);
  const q = useQuery({
    queryKey: ['notifications', 'deliveries', alertId],
    queryFn: () => n.deliveries(alertId),
    refetchInterval: refreshMs,
  });
  const at = (ts: number): string => formatLocal(ts, timezone);
  const rows = q.data ?? [];
  return (
    <section aria-labelledby="delivery-log-title" data-testid="delivery-log">
      <h3 id="delivery-log-title">{t('delivery.title', { n: rows.length })}</h3>
      {q.error && !q.data && (
        <p className="error-text small" role="alert" data-testid="delivery-log-error">
          {adminErrorText(q.error, t)}
        </p>
      )}
      {q.data && rows.length === 0 && (
        <p className="muted" data-testid="delivery-log-empty">
          {t('delivery.none')}
        </p>
      )}
      <ul className="entry-list">
        {rows.map((d) => (
          <li key={d.id} data-testid="delivery-entry" data-status={d.status} data-event={d.event}>
            <div className="delivery-head">
              <b>{channelText(d, t)}</b>
              <span>{t(dynamicKey('deliveryEvent', d.event))}</span>
              <span className={`delivery-status status-${statusOf(d)}`} data-testid="delivery-status">
                {t(dynamicKey('deliveryStatus', statusOf(d)))}
              </span>
            </div>
            <div className="muted small">
              {t('delivery.queued', { at: at(d.queuedAt) })}
              {d.deliveredAt !== undefined && ` · ${t('delivery.deliveredAt', { at: at(d.deliveredAt) })}`}
              {d.status === 'pending' &&
                d.nextAttemptAt !== undefined &&
                ` · ${t('delivery.nextAttempt', { at: at(d.nextAttemptAt) })}`}
              {d.deadAt !== undefined && ` · ${t('delivery.deadAt', { at: at(d.deadAt) })}`}
            </div>
            {d.attempts.length > 0 && (
              <ol className="attempt-list small" aria-label={t('delivery.attempts')}>
                {d.attempts.map((a) => (
                  <li key={a.n} data-testid="delivery-attempt">
                    {t('delivery.attempt', { n: a.n, at: formatSiteTime(a.at, timezone) })} ·{' '}
                    {a.statusCode !== undefined ? `HTTP ${a.statusCode}` : ''}
                    {a.statusCode !== undefined && a.error ? ' · ' : ''}
                    {a.error ?? ''} · {t('delivery.duration', { ms: a.durationMs })}
                  </li>
                ))}
              </ol>
            )}
            {d.lastError && d.status !== 'delivered' && <div className="error-text small">{d.lastError}</div>}
          </li>
        ))}
      </ul>
    </section>
  );
}
