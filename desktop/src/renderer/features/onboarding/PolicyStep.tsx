import { type FormEvent } from 'react';
import { dynamicKey, useI18n } from '../../i18n/i18n';
import { Field } from '../admin/Field';
import { POLICY_TEMPLATES, siteHoursOf, type PolicyChoice } from './wizard-model';

/**
 * Step 2: the site's opening-hours template, in the site's time zone. It becomes the gateway's
 * staffed hours in the command of the next steps (the cloud has no site policies to store it in).
 */
export function PolicyStep({
  choice,
  timezone,
  onChange,
  onNext,
}: {
  choice: PolicyChoice;
  timezone: string;
  onChange: (c: PolicyChoice) => void;
  onNext: () => void;
}) {
  const { t } = useI18n();
  const { hours, problem } = siteHoursOf(choice);
  const submit = (e: FormEvent): void => {
    e.preventDefault();
    if (!problem) onNext();
  };
  return (
    <form onSubmit={submit} data-testid="onboarding-policy-form" noValidate>
      <fieldset className="onboarding-templates">
        <legend>{t('onboarding.policy.template')}</legend>
        {POLICY_TEMPLATES.map((tpl) => (
          <label key={tpl} className="check">
            <input
              type="radio"
              name="policy-template"
              value={tpl}
              checked={choice.template === tpl}
              onChange={() => onChange({ ...choice, template: tpl })}
              data-testid={`onboarding-policy-${tpl}`}
            />
            <span>
              <strong>{t(dynamicKey('onboarding.policy', tpl))}</strong>{' '}
              <span className="muted small">{t(dynamicKey('onboarding.policyHelp', tpl))}</span>
            </span>
          </label>
        ))}
      </fieldset>
      {choice.template === 'custom' && (
        <div className="filter-bar">
          <Field label={t('onboarding.policy.open')} value={choice.open} onValue={(open) => onChange({ ...choice, open })} placeholder="07:00" testId="onboarding-policy-open" />
          <Field
            label={t('onboarding.policy.close')}
            value={choice.close}
            onValue={(close) => onChange({ ...choice, close })}
            placeholder="23:00"
            problem={problem ? t('onboarding.policy.badHours') : undefined}
            testId="onboarding-policy-close"
          />
        </div>
      )}
      <p className="muted" data-testid="onboarding-policy-summary">
        {hours ? t('onboarding.policy.summary', { hours, timezone }) : t('onboarding.policy.summary24h', { timezone })}
      </p>
      <p className="muted small">{t('onboarding.policy.note')}</p>
      <div>
        <button type="submit" className="btn btn-primary" disabled={!!problem} data-testid="onboarding-policy-next">
          {t('onboarding.next')}
        </button>
      </div>
    </form>
  );
}
