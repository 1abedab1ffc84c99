import { useId, useState, type FormEvent } from 'react';
import { dynamicKey, useI18n } from '../../i18n/i18n';
import { Field, Outcome } from '../admin/Field';
import { useAdminAction } from '../admin/use-admin-action';
import { checkChannel, MAX_RECIPIENTS, type ChannelFields, type ChannelProblems } from './notification-forms';
import type { NotificationsApi } from './notifications-api';
import { notifyProblemText } from './problem-text';

const EMPTY: ChannelFields = { kind: 'webhook', url: '', secret: '', to: '', provider: 'alimtalk' };
const KINDS = ['webhook', 'email', 'sms'] as const;

/**
 * Adds a channel (`POST /api/v1/notifications/channels`) with the fields of its kind. The cloud may
 * refuse e-mail or text messages it has no relay for: its reason is shown as it says it.
 */
export function ChannelForm({ api, onCreated }: { api: NotificationsApi; onCreated: () => void }) {
  const { t } = useI18n();
  const [f, setF] = useState<ChannelFields>(EMPTY);
  const [problems, setProblems] = useState<ChannelProblems>({});
  const action = useAdminAction(t);
  const toHint = useId();

  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    const checked = checkChannel(f);
    setProblems(checked.problems);
    if (!checked.body) return;
    const body = checked.body;
    const ok = await action.run(async () => {
      await api.createChannel(body);
      return t('notify.channelAdded');
    });
    if (ok) {
      setF({ ...EMPTY, kind: f.kind });
      onCreated();
    }
  };
  const pickKind = (kind: ChannelFields['kind']): void => {
    setF({ ...f, kind });
    setProblems({});
  };

  return (
    <form
      onSubmit={(e) => void submit(e)}
      aria-labelledby="notify-new-channel"
      data-testid="notify-channel-form"
      noValidate
    >
      <h3 id="notify-new-channel">{t('notify.newChannel')}</h3>
      <fieldset className="segmented-field">
        <legend>{t('notify.kind')}</legend>
        {KINDS.map((k) => (
          <label key={k} className="check">
            <input
              type="radio"
              name="channel-kind"
              value={k}
              checked={f.kind === k}
              onChange={() => pickKind(k)}
              data-testid={`notify-channel-kind-${k}`}
            />
            {t(dynamicKey('channelKind', k))}
          </label>
        ))}
      </fieldset>
      {f.kind === 'webhook' && (
        <div className="filter-bar">
          <Field
            label={t('notify.url')}
            value={f.url}
            onValue={(url) => setF({ ...f, url })}
            problem={notifyProblemText(problems.url, t)}
            placeholder="https://hooks.example.com/control-room"
            inputMode="url"
            className="wide-input"
            testId="notify-channel-url"
          />
          <Field
            label={t('notify.secret')}
            value={f.secret}
            onValue={(secret) => setF({ ...f, secret })}
            problem={notifyProblemText(problems.secret, t)}
            type="password"
            autoComplete="new-password"
            testId="notify-channel-secret"
          />
        </div>
      )}
      {f.kind !== 'webhook' && (
        <div className="filter-bar">
          <label>
            {t(f.kind === 'email' ? 'notify.emails' : 'notify.phones')}
            <textarea
              rows={2}
              value={f.to}
              onChange={(e) => setF({ ...f, to: e.target.value })}
              placeholder={f.kind === 'email' ? 'ops@example.com, guard@example.com' : '+821012345678'}
              aria-invalid={problems.to ? true : undefined}
              aria-describedby={toHint}
              data-testid="notify-channel-to"
            />
            <span
              id={toHint}
              className={problems.to ? 'error-text small' : 'muted small'}
              data-testid={problems.to ? 'notify-channel-to-problem' : undefined}
            >
              {problems.to ? notifyProblemText(problems.to, t) : t('notify.recipientsHint', { max: MAX_RECIPIENTS })}
            </span>
          </label>
          {f.kind === 'sms' && (
            <label>
              {t('notify.provider')}
              <select
                value={f.provider}
                onChange={(e) => setF({ ...f, provider: e.target.value as ChannelFields['provider'] })}
                data-testid="notify-channel-provider"
              >
                <option value="alimtalk">{t('smsProvider.alimtalk')}</option>
                <option value="sms">{t('smsProvider.sms')}</option>
              </select>
            </label>
          )}
        </div>
      )}
      <div>
        <button type="submit" className="btn btn-primary" disabled={action.busy} data-testid="notify-channel-add">
          {t('notify.addChannel')}
        </button>
      </div>
      <Outcome done={action.done} error={action.error} testId="notify-channel" />
    </form>
  );
}
