import { useState, type FormEvent } from 'react';
import { useServices, useStore } from '../../app/services-context';
import { ApiError } from '../../data/api-error';
import { useI18n } from '../../i18n/i18n';

/** Sign-in. The role of the signed-in user decides what the console shows afterwards. */
export function LoginPage() {
  const { api, settings } = useServices();
  const { lang } = useStore(settings);
  const { t } = useI18n();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await api.login(email.trim(), password);
    } catch (err) {
      const status = err instanceof ApiError ? err.status : -1;
      setError(status === 401 ? t('login.wrong') : status === 0 ? t('login.unreachable') : t('login.failed', { reason: (err as Error).message }));
      setBusy(false);
    }
  };

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
