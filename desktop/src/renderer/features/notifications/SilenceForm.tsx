import { useState, type FormEvent } from 'react';
import { ALERT_TYPES, formatLocal, type AlertType } from '@cr/shared';
import { dynamicKey, useI18n } from '../../i18n/i18n';
import { Field, Outcome } from '../admin/Field';
import { useAdminAction } from '../admin/use-admin-action';
import {
  checkSilence,
  SILENCE_PRESETS,
  silenceEnd,
  siteWallTime,
  type SilenceFields,
  type SilenceProblems,
} from './notification-forms';
import type { NotificationsApi } from './notifications-api';
import { notifyProblemText } from './problem-text';

const EMPTY: SilenceFields = {
  siteId: '',
  deviceId: '',
  types: [],
  startsAt: '',
  preset: '30m',
  endsAt: '',
  reason: '',
};
const TYPES = Object.keys(ALERT_TYPES) as AlertType[];

/**
 * Silences notifications of a site (or one device, or some alert types) from now or from a later
 * start (a maintenance window), for 30 min, 2 h, until tomorrow 09:00 at the site, or until a chosen
 * time. Times are typed and shown in the site's time.
 */
export function SilenceForm({
  api,
  sites,
  onCreated,
}: {
  api: NotificationsApi;
  sites: { id: string; name: string; timezone: string }[];
  onCreated: () => void;
}) {
  const { t } = useI18n();
  const [f, setF] = useState<SilenceFields>(EMPTY);
  const [problems, setProblems] = useState<SilenceProblems>({});
  const action = useAdminAction(t);
  const siteId = f.siteId || sites[0]?.id || '';
  const timezone = sites.find((s) => s.id === siteId)?.timezone ?? 'Asia/Seoul';
  const now = Date.now();
  const start = f.startsAt ? siteWallTime(f.startsAt, timezone) : now;
  const end = start === undefined ? undefined : silenceEnd(f, start, now, timezone);

  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    const checked = checkSilence({ ...f, siteId }, Date.now(), timezone);
    setProblems(checked.problems);
    if (!checked.body) return;
    const body = checked.body;
    const ok = await action.run(async () => {
      await api.createSilence(body);
      return t('silence.created', { until: formatLocal(body.endsAt, timezone) });
    });
    if (ok) {
      setF({ ...EMPTY, siteId });
      onCreated();
    }
  };

  return (
    <form onSubmit={(e) => void submit(e)} aria-labelledby="silence-new" data-testid="silence-form" noValidate>
      <h3 id="silence-new">{t('silence.new')}</h3>
      <div className="filter-bar">
        <label>
          {t('alerts.site')}
          <select value={siteId} onChange={(e) => setF({ ...f, siteId: e.target.value })} data-testid="silence-site">
            {sites.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </select>
          {problems.siteId && <span className="error-text small">{notifyProblemText(problems.siteId, t)}</span>}
        </label>
        <Field
          label={t('silence.device')}
          value={f.deviceId}
          onValue={(deviceId) => setF({ ...f, deviceId })}
          placeholder={t('silence.allDevices')}
          testId="silence-device"
        />
        <Field
          label={t('silence.startsAt')}
          type="datetime-local"
          value={f.startsAt}
          onValue={(startsAt) => setF({ ...f, startsAt })}
          problem={notifyProblemText(problems.startsAt, t)}
          testId="silence-starts"
        />
      </div>
      <fieldset>
        <legend>{t('silence.duration')}</legend>
        <div className="filter-bar">
          {SILENCE_PRESETS.map((p) => (
            <label key={p} className="check">
              <input
                type="radio"
                name="silence-preset"
                value={p}
                checked={f.preset === p}
                onChange={() => setF({ ...f, preset: p })}
                data-testid={`silence-preset-${p}`}
              />
              {t(dynamicKey('silence.preset', p))}
            </label>
          ))}
          {f.preset === 'custom' && (
            <Field
              label={t('silence.endsAt')}
              type="datetime-local"
              value={f.endsAt}
              onValue={(endsAt) => setF({ ...f, endsAt })}
              problem={notifyProblemText(problems.endsAt, t)}
              testId="silence-ends"
            />
          )}
        </div>
        {f.preset !== 'custom' && problems.endsAt && (
          <span className="error-text small" data-testid="silence-ends-problem">
            {notifyProblemText(problems.endsAt, t)}
          </span>
        )}
        <p className="muted small" data-testid="silence-preview">
          {start !== undefined && end !== undefined
            ? t('silence.preview', { from: formatLocal(start, timezone), until: formatLocal(end, timezone) })
            : t('silence.siteTime')}
        </p>
      </fieldset>
      <details>
        <summary>{t('silence.typesPick', { n: f.types.length })}</summary>
        <div className="check-grid">
          {TYPES.map((ty) => (
            <label key={ty} className="check">
              <input
                type="checkbox"
                checked={f.types.includes(ty)}
                onChange={(e) =>
                  setF({ ...f, types: e.target.checked ? [...f.types, ty] : f.types.filter((x) => x !== ty) })
                }
                data-testid={`silence-type-${ty}`}
              />
              {t(dynamicKey('alertType', ty))}
            </label>
          ))}
        </div>
      </details>
      <Field
        label={t('silence.reason')}
        value={f.reason}
        onValue={(reason) => setF({ ...f, reason })}
        problem={notifyProblemText(problems.reason, t)}
        maxLength={500}
        testId="silence-reason"
      />
      <div>
        <button
          type="submit"
          className="btn btn-primary"
          disabled={action.busy || sites.length === 0}
          data-testid="silence-create"
        >
          {t('silence.create')}
        </button>
      </div>
      <Outcome done={action.done} error={action.error} testId="silence" />
    </form>
  );
}
