import { dynamicKey, useI18n, type Translate } from '../../i18n/i18n';
import { Outcome } from '../admin/Field';
import { channelTarget } from './ChannelsPanel';
import type { ChannelRow, NotificationsApi, RuleRow } from './notifications-api';
import { RuleForm } from './RuleForm';
import { useConfirmedAction } from './use-confirmed-action';

/** What a rule matches and does, in words. */
function ruleText(r: RuleRow, siteName: (id: string) => string, t: Translate) {
  return {
    sites: r.siteIds?.length ? r.siteIds.map(siteName).join(', ') : t('notify.allSites'),
    categories: r.categories?.length
      ? r.categories.map((c) => t(dynamicKey('category', c))).join(', ')
      : t('notify.allCategories'),
    severity: r.minSeverity
      ? t('notify.fromSeverity', { severity: t(dynamicKey('severity', r.minSeverity)) })
      : t('notify.anySeverity'),
    escalate:
      r.escalateAfterMin === undefined
        ? '—'
        : t(r.escalationOnly ? 'notify.tierAfterMinutes' : 'notify.escalateMinutes', { n: r.escalateAfterMin }),
  };
}

/** The routing rules: what goes to which channel; removal after a question; the rule editor. */
export function RulesPanel({
  api,
  rules,
  channels,
  sites,
  onChanged,
}: {
  api: NotificationsApi;
  rules: RuleRow[];
  channels: ChannelRow[];
  sites: { id: string; name: string }[];
  onChanged: () => void;
}) {
  const { t } = useI18n();
  const remove = useConfirmedAction(t);
  const siteName = (id: string): string => sites.find((s) => s.id === id)?.name ?? id;
  const channelOf = (id: string): string => {
    const c = channels.find((x) => x.id === id);
    return c ? `${t(dynamicKey('channelKind', c.kind))} · ${channelTarget(c)}` : id;
  };
  return (
    <section aria-labelledby="notify-rules" data-testid="notify-rules">
      <h2 id="notify-rules">{t('notify.rules')}</h2>
      {rules.length === 0 ? (
        <p className="muted" data-testid="notify-rules-empty">
          {t('notify.noRules')}
        </p>
      ) : (
        <table className="data-table">
          <thead>
            <tr>
              <th>{t('notify.channel')}</th>
              <th>{t('notify.sites')}</th>
              <th>{t('notify.categories')}</th>
              <th>{t('notify.minSeverity')}</th>
              <th>{t('notify.escalation')}</th>
              <th>{t('notify.resolvedColumn')}</th>
              <th>
                <span className="visually-hidden">{t('notify.actions')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {rules.map((r) => {
              const x = ruleText(r, siteName, t);
              return (
                <tr key={r.id} data-testid={`notify-rule-${r.id}`}>
                  <td className="ellipsis">{channelOf(r.channelId)}</td>
                  <td>{x.sites}</td>
                  <td>{x.categories}</td>
                  <td>{x.severity}</td>
                  <td>{x.escalate}</td>
                  <td>{r.notifyResolved ? t('notify.yes') : t('notify.no')}</td>
                  <td>
                    <button
                      type="button"
                      className="btn"
                      aria-label={`${t('notify.remove')}: ${channelOf(r.channelId)}`}
                      data-testid={`notify-rule-remove-${r.id}`}
                      onClick={() =>
                        remove.ask({
                          title: t('notify.removeRuleTitle'),
                          question: t('notify.removeRuleQuestion', { channel: channelOf(r.channelId) }),
                          confirm: t('notify.remove'),
                          run: async () => {
                            await api.removeRule(r.id);
                            onChanged();
                            return t('notify.ruleRemoved');
                          },
                        })
                      }
                    >
                      {t('notify.remove')}
                    </button>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      <Outcome done={remove.done} error={remove.error} testId="notify-rule-remove" />
      {remove.dialog}
      <RuleForm api={api} channels={channels} sites={sites} onCreated={onChanged} />
    </section>
  );
}
