import { useI18n } from '../../i18n/i18n';

/** Asks before something is removed or ended: Escape or Cancel keep it, the focus starts on Cancel. */
export function ConfirmDialog({
  title,
  question,
  confirm,
  busy,
  error,
  onConfirm,
  onClose,
}: {
  title: string;
  question: string;
  confirm: string;
  busy?: boolean;
  error?: string | undefined;
  onConfirm: () => void;
  onClose: () => void;
}) {
  const { t } = useI18n();
  return (
    <div
      className="overlay"
      role="alertdialog"
      aria-modal="true"
      aria-labelledby="confirm-title"
      aria-describedby="confirm-question"
      data-testid="confirm-dialog"
      onKeyDown={(e) => e.key === 'Escape' && !busy && onClose()}
    >
      <div className="overlay-panel">
        <h2 id="confirm-title">{title}</h2>
        <p id="confirm-question" className="command-question">
          {question}
        </p>
        {error && (
          <p className="error-text" role="alert" data-testid="confirm-error">
            {error}
          </p>
        )}
        <div className="dialog-actions">
          <button
            type="button"
            className="btn btn-danger btn-large"
            onClick={onConfirm}
            disabled={busy}
            data-testid="confirm-yes"
          >
            {confirm}
          </button>
          <button type="button" className="btn btn-large" onClick={onClose} autoFocus data-testid="confirm-cancel">
            {t('common.cancel')}
          </button>
        </div>
      </div>
    </div>
  );
}
