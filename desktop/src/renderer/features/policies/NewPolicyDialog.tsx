import { useState } from 'react';
import { useI18n } from '../../i18n/i18n';
import { FieldProblems } from './FieldProblems';
import { PolicyApiError, type PolicyApi, type PolicyTemplateChoice } from './policy-api';
import { problemOfCloud, type FieldProblem } from './policy-paths';
import { PolicyDialog } from './PolicyDialog';
import { policyErrorText } from './policy-text';

/** A new policy named and started from a template (or empty): its version 1. */
export function NewPolicyDialog({ api, templates, onDone, onClose }: { api: PolicyApi; templates: readonly PolicyTemplateChoice[]; onDone: (id: string, name: string) => void; onClose: () => void }) {
  const { t } = useI18n();
  const [name, setName] = useState('');
  // The templates may arrive after the form opened: until one is picked, the first is.
  const [picked, setTemplate] = useState<string | undefined>();
  const template = picked ?? templates[0]?.id ?? '';
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<FieldProblem | undefined>();
  const chosen = templates.find((x) => x.id === template);
  const submit = async (): Promise<void> => {
    setBusy(true);
    setProblem(undefined);
    try {
      const made = await api.create(name.trim(), chosen?.body ?? {});
      onDone(made.id, name.trim());
    } catch (err) {
      setProblem(err instanceof PolicyApiError && err.status === 400 ? problemOfCloud(err.message) : { field: 'form', path: '', message: policyErrorText(err, t) });
    } finally {
      setBusy(false);
    }
  };
  return (
    <PolicyDialog
      title={t('policy.newTitle')}
      testId="new-policy-dialog"
      submitLabel={t('policy.create')}
      busy={busy}
      canSubmit={name.trim().length > 0}
      error={problem && problem.field !== 'name' ? (problem.path ? `${problem.path}: ${problem.message}` : problem.message) : undefined}
      onSubmit={() => void submit()}
      onClose={onClose}
    >
      <label>
        {t('policy.name')}
        <input value={name} onChange={(e) => setName(e.target.value)} maxLength={120} autoFocus data-testid="new-policy-name" />
      </label>
      <FieldProblems problems={problem?.field === 'name' ? [problem] : []} testId="new-policy-name-problem" />
      <label>
        {t('policy.startFromTemplate')}
        <select value={template} onChange={(e) => setTemplate(e.target.value)} data-testid="new-policy-template">
          <option value="">{t('policy.emptyPolicy')}</option>
          {templates.map((x) => (
            <option key={x.id} value={x.id}>
              {x.name}
            </option>
          ))}
        </select>
      </label>
      <p className="muted small">{chosen?.description ?? t('policy.emptyPolicyHint')}</p>
    </PolicyDialog>
  );
}
