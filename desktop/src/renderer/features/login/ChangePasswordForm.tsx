import { useState, type FormEvent } from 'react';
import { useServices } from '../../app/services-context';
import { ApiError } from '../../data/api-error';
import { useI18n, type Translate } from '../../i18n/i18n';

/** The floor the cloud enforces (MIN_PASSWORD_LENGTH); checked here first for a quick answer. */
export const MIN_PASSWORD_LENGTH = 12;

/** What sign-in handed over for a person whose password an admin set. */
export interface PendingPasswordChange {
  email: string;
  /** the password the admin set, just typed at sign-in */
  current: string;
  /** opens only `POST /api/v1/auth/password` */
  token: string;
}

function changeErrorText(err: unknown, t: Translate): string {
  if (!(err instanceof ApiError)) return t('login.failed', { reason: (err as Error)?.message ?? String(err) });
  // The restricted token lives 10 minutes; the admin-set password may also have been reset meanwhile.
  if (err.status === 401 || err.status === 403) return t('password.expired');
  if (err.status === 429) return t('password.tooMany');
  if (err.timedOut) return t('login.timedOut');
  if (err.status === 0) return t('login.unreachable');
  return t('login.failed', { reason: err.message });
}

/**
 * First sign-in with a password an administrator set: the person chooses their own before the
 * console opens. On success the cloud starts a normal session and the app switches to the shell.
 */
export function ChangePasswordForm({ pending, onCancel }: { pending: PendingPasswordChange; onCancel: () => void }) {
  const { api } = useServices();
  const { t } = useI18n();
  const [next, setNext] = useState('');
  const [repeat, setRepeat] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);

  const problem = (): string | undefined => {
    if (next.length < MIN_PASSWORD_LENGTH) return t('password.tooShort', { n: MIN_PASSWORD_LENGTH });
    if (next !== repeat) return t('password.mismatch');
    if (next === pending.current) return t('password.sameAsOld');
    return undefined;
  };

  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    const p = problem();
    setError(p);
    if (p) return;
    setBusy(true);
    try {
      await api.changePassword(pending.token, pending.email, pending.current, next);
    } catch (err) {
      setError(changeErrorText(err, t));
      setBusy(false);
    }
  };

  return (
    <form
      className="login-form"
      onSubmit={(e) => void submit(e)}
      data-testid="password-form"
      aria-labelledby="password-title"
    >
      <h1 id="password-title">{t('password.title')}</h1>
      <p className="muted">{t('password.explain', { n: MIN_PASSWORD_LENGTH })}</p>
      <label>
        {t('password.new')}
        <input
          type="password"
          autoComplete="new-password"
          required
          value={next}
          onChange={(e) => setNext(e.target.value)}
          data-testid="password-new"
          autoFocus
        />
      </label>
      <label>
        {t('password.repeat')}
        <input
          type="password"
          autoComplete="new-password"
          required
          value={repeat}
          onChange={(e) => setRepeat(e.target.value)}
          data-testid="password-repeat"
        />
      </label>
      <div className="login-error" role="alert" data-testid="password-error">
        {error ?? ''}
      </div>
      <button type="submit" className="btn btn-primary btn-large" disabled={busy} data-testid="password-submit">
        {busy ? t('password.saving') : t('password.submit')}
      </button>
      <button type="button" className="btn btn-ghost" onClick={onCancel} data-testid="password-cancel">
        {t('password.cancel')}
      </button>
    </form>
  );
}
