import { useId, type InputHTMLAttributes, type Ref } from 'react';

/** A labelled text input with its problem, announced to screen readers beside the field. */
export function Field({
  label,
  problem,
  testId,
  onValue,
  inputRef,
  ...input
}: {
  label: string;
  problem?: string;
  testId: string;
  onValue: (v: string) => void;
  inputRef?: Ref<HTMLInputElement>;
} & Omit<InputHTMLAttributes<HTMLInputElement>, 'onChange'>) {
  const hint = useId();
  return (
    <label>
      {label}
      <input
        {...input}
        ref={inputRef}
        onChange={(e) => onValue(e.target.value)}
        aria-invalid={problem ? true : undefined}
        aria-describedby={problem ? hint : undefined}
        data-testid={testId}
      />
      {problem && (
        <span id={hint} className="error-text small" data-testid={`${testId}-problem`}>
          {problem}
        </span>
      )}
    </label>
  );
}

/** The outcome line under a form: polite for success, assertive for an error. */
export function Outcome({ done, error, testId }: { done?: string; error?: string; testId: string }) {
  if (error)
    return (
      <p className="error-text" role="alert" data-testid={`${testId}-error`}>
        {error}
      </p>
    );
  return (
    <p className="muted" role="status" data-testid={`${testId}-done`}>
      {done ?? ''}
    </p>
  );
}
