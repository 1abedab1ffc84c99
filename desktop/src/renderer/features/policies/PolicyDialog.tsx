import { useId, type FormEvent, type KeyboardEvent, type ReactNode } from 'react';
import { useI18n } from '../../i18n/i18n';
import { useFocusTrap } from '../bookings/use-focus-trap';

/**
 * A modal form of the policies page: Tab stays inside, Escape closes, Enter in a field submits
 * (not in the raw JSON text area or on a checkbox), focus returns where it was.
 */
export function PolicyDialog({
  title,
  testId,
  submitLabel,
  busy,
  canSubmit = true,
  danger,
  focusCancel,
  error,
  onSubmit,
  onClose,
  children,
}: {
  title: string;
  testId: string;
  submitLabel: string;
  busy?: boolean;
  canSubmit?: boolean;
  danger?: boolean;
  /** a question: the focus starts on Cancel, so Enter alone does not confirm it */
  focusCancel?: boolean;
  error?: string | undefined;
  onSubmit: () => void;
  onClose: () => void;
  children?: ReactNode;
}) {
  const { t } = useI18n();
  const id = useId();
  const trap = useFocusTrap<HTMLDivElement>(() => !busy && onClose());
  const submit = (e: Pick<FormEvent, 'preventDefault'>): void => {
    e.preventDefault();
    if (!busy && canSubmit) onSubmit();
  };
  const onKeyDown = (e: KeyboardEvent): void => {
    trap.onKeyDown(e);
    const el = e.target;
    if (e.key === 'Enter' && el instanceof HTMLInputElement && el.type !== 'checkbox' && !e.defaultPrevented) submit(e);
  };
  return (
    <div className="overlay" role="dialog" aria-modal="true" aria-labelledby={`${id}-title`} data-testid={testId} ref={trap.ref} onKeyDown={onKeyDown}>
      <form className="overlay-panel policy-dialog" onSubmit={submit} noValidate>
        <h2 id={`${id}-title`}>{title}</h2>
        {children}
        {error && (
          <p className="error-text" role="alert" data-testid={`${testId}-error`}>
            {error}
          </p>
        )}
        <div className="dialog-actions">
          <button type="submit" className={danger ? 'btn btn-danger btn-large' : 'btn btn-primary btn-large'} disabled={busy || !canSubmit} data-testid={`${testId}-submit`}>
            {busy ? t('policy.saving') : submitLabel}
          </button>
          <button type="button" className="btn btn-large" onClick={onClose} disabled={busy} autoFocus={focusCancel} data-testid={`${testId}-cancel`}>
            {t('common.cancel')}
          </button>
        </div>
      </form>
    </div>
  );
}
