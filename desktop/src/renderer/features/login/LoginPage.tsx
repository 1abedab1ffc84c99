import { useState, type FormEvent } from 'react';
import { useServices, useStore } from '../../app/services-context';
import { ApiError } from '../../data/api-error';
import { useI18n } from '../../i18n/i18n';
import { ChangePasswordForm, type PendingPasswordChange } from './ChangePasswordForm';

/** What a person can act on, for each way sign-in can fail. */
function loginErrorText(err: unknown, t: ReturnType<typeof useI18n>['t']): string {
  if (!(err instanceof ApiError)) return t('login.failed', { reason: (err as Error)?.message ?? String(err) });
  if (err.status === 401) return t('login.wrong');
  if (err.timedOut) return t('login.timedOut');
  if (err.status === 0) return t('login.unreachable');
  return t('login.failed', { reason: err.message });
}

/**
 * Sign-in. The role of the signed-in user decides what the console shows afterwards; a person whose
 * password an admin set chooses their own first (ChangePasswordForm).
 */
export function LoginPage() {
  const { api, settings } = useServices();
  const { lang } = useStore(settings);
  const { t } = useI18n();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const [pending, setPending] = useState<PendingPasswordChange | undefined>();

  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      // On success the session store switches the app to the signed-in shell, which unmounts this
      // page; that first render must not wait for anything (documents, GPU, storage) — see SignedIn.
      const r = await api.login(email.trim(), password);
      if ('mustChangePassword' in r) {
        setPending({ email: email.trim(), current: password, token: r.accessToken });
        setPassword('');
        setBusy(false);
      }
    } catch (err) {
      setError(loginErrorText(err, t));
      setBusy(false);
    }
  };

  if (pending)
    return (
      <div className="login">
        <ChangePasswordForm pending={pending} onCancel={() => setPending(undefined)} />
      </div>
    );

  return (
    <div className="login">
      <form className="login-form" onSubmit={(e) => void submit(e)} data-testid="login-form" aria-labelledby="login-title">
        <h1 id="login-title">{t('app.title')}</h1>
        <p className="muted">{t('login.subtitle')}</p>
        <label>
          {t('login.email')}
          <input type="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.target.value)} data-testid="login-email" autoFocus />
        </label>
        <label>
          {t('login.password')}
          <input type="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} data-testid="login-password" />
        </label>
        <div className="login-error" role="alert" data-testid="login-error">
          {error ?? ''}
        </div>
        <button type="submit" className="btn btn-primary btn-large" disabled={busy} data-testid="login-submit">
          {busy ? t('login.signingIn') : t('login.submit')}
        </button>
        <button type="button" className="btn btn-ghost" onClick={() => settings.patch({ lang: lang === 'ko' ? 'en' : 'ko' })} data-testid="lang-toggle">
          {lang === 'ko' ? 'English' : '한국어'}
        </button>
      </form>
    </div>
  );
}
