import { useState, type FormEvent } from 'react';
import { dynamicKey, useI18n } from '../../i18n/i18n';
import { Field, Outcome } from '../admin/Field';
import { useAdminAction } from '../admin/use-admin-action';
import { channelTarget } from './ChannelsPanel';
import { checkRule, MAX_ESCALATE_MIN, type RuleFields, type RuleProblems } from './notification-forms';
import { CATEGORIES, RULE_SEVERITIES, type ChannelRow, type NotificationsApi } from './notifications-api';
import { notifyProblemText } from './problem-text';

const EMPTY: RuleFields = {
  channelId: '',
  siteIds: [],
  categories: [],
  minSeverity: '',
  escalateAfterMin: '',
  notifyResolved: false,
  escalationOnly: false,
};

const toggle = <T,>(list: T[], v: T, on: boolean): T[] => (on ? [...list, v] : list.filter((x) => x !== v));

/**
 * Creates a routing rule (`POST /api/v1/notifications/rules`): which channel, for which sites and
 * categories (none ticked: all), from which severity, whether to escalate and to tell the resolution.
 */
export function RuleForm({
  api,
  channels,
  sites,
  onCreated,
}: {
  api: NotificationsApi;
  channels: ChannelRow[];
  sites: { id: string; name: string }[];
  onCreated: () => void;
}) {
  const { t } = useI18n();
  const [f, setF] = useState<RuleFields>(EMPTY);
  const [problems, setProblems] = useState<RuleProblems>({});
  const action = useAdminAction(t);
  const channelId = f.channelId || channels[0]?.id || '';

  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    const checked = checkRule({ ...f, channelId });
    setProblems(checked.problems);
    if (!checked.body) return;
    const body = checked.body;
    const ok = await action.run(async () => {
      await api.createRule(body);
      return t('notify.ruleAdded');
    });
    if (ok) {
      setF(EMPTY);
      onCreated();
    }
  };

  return (
    <form onSubmit={(e) => void submit(e)} aria-labelledby="notify-new-rule" data-testid="notify-rule-form" noValidate>
      <h3 id="notify-new-rule">{t('notify.newRule')}</h3>
      <div className="filter-bar">
        <label>
          {t('notify.channel')}
          <select
            value={channelId}
            onChange={(e) => setF({ ...f, channelId: e.target.value })}
            aria-invalid={problems.channelId ? true : undefined}
            data-testid="notify-rule-channel"
          >
            {channels.length === 0 && <option value="">{t('notify.noChannels')}</option>}
            {channels.map((c) => (
              <option key={c.id} value={c.id}>
                {t(dynamicKey('channelKind', c.kind))} · {channelTarget(c)}
              </option>
            ))}
          </select>
          {problems.channelId && (
            <span className="error-text small" data-testid="notify-rule-channel-problem">
              {t('notify.problem.no-channel')}
            </span>
          )}
        </label>
        <label>
          {t('notify.minSeverity')}
          <select
            value={f.minSeverity}
            onChange={(e) => setF({ ...f, minSeverity: e.target.value as RuleFields['minSeverity'] })}
            data-testid="notify-rule-severity"
          >
            <option value="">{t('notify.anySeverity')}</option>
            {RULE_SEVERITIES.map((s) => (
              <option key={s} value={s}>
                {t(dynamicKey('severity', s))}
              </option>
            ))}
          </select>
        </label>
        <Field
          label={t('notify.escalateAfter')}
          value={f.escalateAfterMin}
          onValue={(escalateAfterMin) => setF({ ...f, escalateAfterMin })}
          problem={notifyProblemText(problems.escalateAfterMin, t)}
          placeholder={t('notify.escalateNever')}
          inputMode="numeric"
          min={1}
          max={MAX_ESCALATE_MIN}
          testId="notify-rule-escalate"
        />
      </div>
      <fieldset>
        <legend>{t('notify.sites')}</legend>
        <span className="muted small">{t('notify.allWhenNone')}</span>
        <div className="check-grid">
          {sites.map((s) => (
            <label key={s.id} className="check">
              <input
                type="checkbox"
                checked={f.siteIds.includes(s.id)}
                onChange={(e) => setF({ ...f, siteIds: toggle(f.siteIds, s.id, e.target.checked) })}
                data-testid={`notify-rule-site-${s.id}`}
              />
              {s.name}
            </label>
          ))}
        </div>
      </fieldset>
      <fieldset>
        <legend>{t('notify.categories')}</legend>
        <span className="muted small">{t('notify.allWhenNone')}</span>
        <div className="check-grid">
          {CATEGORIES.map((c) => (
            <label key={c} className="check">
              <input
                type="checkbox"
                checked={f.categories.includes(c)}
                onChange={(e) => setF({ ...f, categories: toggle(f.categories, c, e.target.checked) })}
                data-testid={`notify-rule-category-${c}`}
              />
              {t(dynamicKey('category', c))}
            </label>
          ))}
        </div>
      </fieldset>
      <label className="check">
        <input
          type="checkbox"
          checked={f.notifyResolved}
          onChange={(e) => setF({ ...f, notifyResolved: e.target.checked })}
          data-testid="notify-rule-resolved"
        />
        {t('notify.notifyResolved')}
      </label>
      <label className="check">
        <input
          type="checkbox"
          checked={f.escalationOnly}
          onChange={(e) => setF({ ...f, escalationOnly: e.target.checked })}
          data-testid="notify-rule-escalation-only"
        />
        {t('notify.escalationOnly')}
      </label>
      <div>
        <button
          type="submit"
          className="btn btn-primary"
          disabled={action.busy || channels.length === 0}
          data-testid="notify-rule-add"
        >
          {t('notify.addRule')}
        </button>
      </div>
      <Outcome done={action.done} error={action.error} testId="notify-rule" />
    </form>
  );
}
