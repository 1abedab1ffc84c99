import { useI18n } from '../../i18n/i18n';
import type { FieldProblem } from './policy-paths';
import { problemText } from './policy-text';

/** The problems of one field, next to it (announced as they appear). */
export function FieldProblems({ problems, testId }: { problems: readonly FieldProblem[]; testId: string }) {
  const { t } = useI18n();
  if (problems.length === 0) return null;
  return (
    <span className="policy-problem error-text" role="alert" data-testid={testId}>
      {problems.map((p) => problemText(p.message, t)).join('; ')}
    </span>
  );
}
