import { useMemo, useState, type FormEvent } from 'react';
import { useI18n } from '../../i18n/i18n';
import { FieldProblems } from './FieldProblems';
import { HoursEditor } from './HoursEditor';
import { PolicyApiError, type PolicyApi, type PolicyDetail, type PolicyTemplateChoice } from './policy-api';
import { bodyOf, draftOf, formOf, type PolicyForm } from './policy-form';
import { problemOfCloud, problemsAt, type FieldProblem } from './policy-paths';
import { policyErrorText, scenarioLines } from './policy-text';

/**
 * The editor of a policy's latest version: opening hours, closed dates and holidays as fields,
 * scenarios listed as "trigger → actions", the rest as raw JSON; problems next to their fields,
 * from the schema in the browser first and from the cloud's 400 when it finds more. Saving makes
 * a new version (versions are immutable). Readers see the same fields, read-only.
 */
export function PolicyEditor({ api, policy, templates, canWrite, onSaved }: { api: PolicyApi; policy: PolicyDetail; templates: readonly PolicyTemplateChoice[]; canWrite: boolean; onSaved: (version: number) => void }) {
  const { t } = useI18n();
  const [form, setForm] = useState<PolicyForm>(() => formOf(policy.body));
  const [problems, setProblems] = useState<FieldProblem[]>([]);
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState('');
  // The templates may arrive after the form opened: until one is picked, the first is.
  const [picked, setTemplate] = useState<string | undefined>();
  const template = picked ?? templates[0]?.id ?? '';
  const draft = useMemo(() => draftOf(form), [form]);
  const scenarios = useMemo(() => scenarioLines(draft.body.scenarios, t), [draft, t]);
  const change = (f: PolicyForm): void => {
    setForm(f);
    setProblems([]);
    setNotice('');
  };

  const save = async (e: Pick<FormEvent, 'preventDefault'>): Promise<void> => {
    e.preventDefault();
    if (!canWrite || busy) return;
    const checked = bodyOf(form);
    if ('problems' in checked) return setProblems(checked.problems);
    setBusy(true);
    try {
      const { version } = await api.addVersion(policy.id, checked.body);
      setNotice(t('policy.savedVersion', { version }));
      onSaved(version);
    } catch (err) {
      if (err instanceof PolicyApiError && err.status === 400) setProblems([problemOfCloud(err.message)]);
      else setProblems([{ field: 'form', path: '', message: policyErrorText(err, t) }]);
    } finally {
      setBusy(false);
    }
  };
  const fromTemplate = (): void => {
    const chosen = templates.find((x) => x.id === template);
    if (chosen) change(formOf(chosen.body));
    setNotice(chosen ? t('policy.templateLoaded', { name: chosen.name }) : '');
  };

  return (
    <form className="policy-editor" onSubmit={(e) => void save(e)} noValidate data-testid="policy-editor" aria-label={t('policy.editorTitle', { version: policy.latestVersion })}>
      <h2>{t('policy.editorTitle', { version: policy.latestVersion })}</h2>
      {canWrite && templates.length > 0 && (
        <div className="policy-template">
          <label>
            {t('policy.startFromTemplate')}
            <select value={template} onChange={(e) => setTemplate(e.target.value)} data-testid="policy-template-pick">
              {templates.map((x) => (
                <option key={x.id} value={x.id} title={x.description}>
                  {x.name}
                </option>
              ))}
            </select>
          </label>
          <button type="button" className="btn" onClick={fromTemplate} data-testid="policy-template-apply">
            {t('policy.useTemplate')}
          </button>
        </div>
      )}
      <HoursEditor form={form} readOnly={!canWrite} problems={problems} onChange={change} />
      <section className="policy-scenarios" aria-label={t('policy.scenarios')}>
        <h3>{t('policy.scenarios')}</h3>
        {scenarios.length === 0 ? (
          <p className="muted small">{t('policy.noScenarios')}</p>
        ) : (
          <ul data-testid="policy-scenario-list">
            {scenarios.map((s) => (
              <li key={s.id} className={s.valid ? '' : 'error-text'} data-testid={`policy-scenario-${s.id}`}>
                <strong>{s.id}</strong>: {s.text}
              </li>
            ))}
          </ul>
        )}
      </section>
      <label className="policy-raw">
        {t('policy.rawJson')}
        <textarea value={form.rest} onChange={(e) => change({ ...form, rest: e.target.value })} rows={10} spellCheck={false} readOnly={!canWrite} data-testid="policy-raw" />
      </label>
      <FieldProblems problems={problemsAt(problems, 'rest').map((p) => ({ ...p, message: p.path ? `${p.path}: ${p.message}` : p.message }))} testId="policy-problem-rest" />
      <FieldProblems problems={problemsAt(problems, 'form')} testId="policy-problem-form" />
      <p className="muted small" role="status" data-testid="policy-editor-notice">
        {notice || (problems.length ? t('policy.problemsFound', { n: problems.length }) : '')}
      </p>
      {canWrite && (
        <button type="submit" className="btn btn-primary btn-large" disabled={busy} data-testid="policy-save">
          {busy ? t('policy.saving') : t('policy.saveVersion', { version: policy.latestVersion + 1 })}
        </button>
      )}
    </form>
  );
}
