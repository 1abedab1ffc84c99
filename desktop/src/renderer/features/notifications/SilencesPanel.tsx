import { formatLocal } from '@cr/shared';
import { dynamicKey, useI18n } from '../../i18n/i18n';
import { adminErrorText } from '../admin/use-admin-action';
import { Outcome } from '../admin/Field';
import type { NotificationsApi, SilenceRow } from './notifications-api';
import { SilenceForm } from './SilenceForm';
import { useConfirmedAction } from './use-confirmed-action';

/**
 * Active and upcoming silences of the user's sites, in each site's time; "End now" after a question;
 * the form to quiet notifications for a while, or a maintenance window that starts later.
 */
export function SilencesPanel({
  api,
  silences,
  loadError,
  canCreate,
  sites,
  site,
  onChanged,
}: {
  api: NotificationsApi;
  silences: SilenceRow[] | undefined;
  loadError: unknown;
  canCreate: boolean;
  sites: { id: string; name: string; timezone: string }[];
  site: (id: string) => { name: string; timezone: string };
  onChanged: () => void;
}) {
  const { t } = useI18n();
  const end = useConfirmedAction(t);
  const now = Date.now();
  const list = silences ?? [];
  return (
    <section aria-labelledby="notify-silences" data-testid="notify-silences">
      <h2 id="notify-silences">{t('silence.title')}</h2>
      <p className="muted">{t('silence.help')}</p>
      {loadError !== null && loadError !== undefined && !silences && (
        <p className="error-text" role="alert" data-testid="notify-silences-error">
          {adminErrorText(loadError, t)}
        </p>
      )}
      {silences && list.length === 0 && (
        <p className="muted" data-testid="notify-silences-empty">
          {t('silence.none')}
        </p>
      )}
      {list.length > 0 && (
        <table className="data-table">
          <thead>
            <tr>
              <th>{t('alerts.site')}</th>
              <th>{t('alerts.device')}</th>
              <th>{t('silence.types')}</th>
              <th>{t('silence.fromUntil')}</th>
              <th>{t('silence.author')}</th>
              <th>{t('silence.reason')}</th>
              <th>
                <span className="visually-hidden">{t('notify.actions')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {list.map((s) => {
              const where = site(s.siteId);
              const upcoming = s.startsAt > now;
              return (
                <tr key={s.id} data-testid={`silence-${s.id}`} data-upcoming={upcoming ? 'true' : 'false'}>
                  <td>{where.name}</td>
                  <td className={s.deviceId ? 'mono' : 'muted'}>{s.deviceId ?? t('silence.allDevices')}</td>
                  <td>
                    {s.types?.length
                      ? s.types.map((ty) => t(dynamicKey('alertType', ty))).join(', ')
                      : t('silence.allTypes')}
                  </td>
                  <td className="mono" data-testid={`silence-window-${s.id}`}>
                    <span className="nowrap">{formatLocal(s.startsAt, where.timezone)} –</span>{' '}
                    <span className="nowrap">{formatLocal(s.endsAt, where.timezone)}</span>
                    {upcoming && <span className="badge small">{t('silence.upcoming')}</span>}
                  </td>
                  <td>{s.author.name}</td>
                  <td>{s.reason}</td>
                  <td>
                    {canCreate && (
                      <button
                        type="button"
                        className="btn"
                        data-testid={`silence-end-${s.id}`}
                        onClick={() =>
                          end.ask({
                            title: t(upcoming ? 'silence.cancelTitle' : 'silence.endTitle'),
                            question: t('silence.endQuestion', { site: where.name, reason: s.reason }),
                            confirm: t(upcoming ? 'silence.cancel' : 'silence.endNow'),
                            run: async () => {
                              await api.endSilence(s.id);
                              onChanged();
                              return t('silence.ended');
                            },
                          })
                        }
                      >
                        {t(upcoming ? 'silence.cancel' : 'silence.endNow')}
                      </button>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      <Outcome done={end.done} error={end.error} testId="silence-end" />
      {end.dialog}
      {canCreate && <SilenceForm api={api} sites={sites} onCreated={onChanged} />}
    </section>
  );
}
