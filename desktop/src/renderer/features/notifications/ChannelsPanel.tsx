import { dynamicKey, useI18n } from '../../i18n/i18n';
import { Outcome } from '../admin/Field';
import { ChannelForm } from './ChannelForm';
import type { ChannelRow, NotificationsApi } from './notifications-api';
import { useConfirmedAction } from './use-confirmed-action';

/** Where a channel delivers, as a person reads it. */
export function channelTarget(c: ChannelRow): string {
  if (c.kind === 'webhook') return c.url ?? '';
  return (c.to ?? []).join(', ');
}

/** The tenant's channels (webhook, e-mail, text messages): the list, removal after a question, and the add form. */
export function ChannelsPanel({
  api,
  channels,
  onChanged,
}: {
  api: NotificationsApi;
  channels: ChannelRow[];
  onChanged: () => void;
}) {
  const { t } = useI18n();
  const remove = useConfirmedAction(t);
  return (
    <section aria-labelledby="notify-channels" data-testid="notify-channels">
      <h2 id="notify-channels">{t('notify.channels')}</h2>
      <p className="muted">{t('notify.channelsHelp')}</p>
      {channels.length === 0 ? (
        <p className="muted" data-testid="notify-channels-empty">
          {t('notify.noChannels')}
        </p>
      ) : (
        <table className="data-table">
          <thead>
            <tr>
              <th>{t('notify.kind')}</th>
              <th>{t('notify.target')}</th>
              <th>{t('notify.details')}</th>
              <th>
                <span className="visually-hidden">{t('notify.actions')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {channels.map((c) => (
              <tr key={c.id} data-testid={`notify-channel-${c.id}`} data-kind={c.kind}>
                <td>{t(dynamicKey('channelKind', c.kind))}</td>
                <td className="mono ellipsis" title={channelTarget(c)}>
                  {channelTarget(c)}
                </td>
                <td className="mono small">
                  {c.secretHint ?? ''}
                  {c.provider ? t(dynamicKey('smsProvider', c.provider)) : ''}
                </td>
                <td>
                  <button
                    type="button"
                    className="btn"
                    aria-label={`${t('notify.remove')}: ${channelTarget(c)}`}
                    data-testid={`notify-channel-remove-${c.id}`}
                    onClick={() =>
                      remove.ask({
                        title: t('notify.removeChannelTitle'),
                        question: t('notify.removeChannelQuestion', { target: channelTarget(c) }),
                        confirm: t('notify.remove'),
                        run: async () => {
                          await api.removeChannel(c.id);
                          onChanged();
                          return t('notify.channelRemoved');
                        },
                      })
                    }
                  >
                    {t('notify.remove')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Outcome done={remove.done} error={remove.error} testId="notify-channel-remove" />
      {remove.dialog}
      <ChannelForm api={api} onCreated={onChanged} />
    </section>
  );
}
