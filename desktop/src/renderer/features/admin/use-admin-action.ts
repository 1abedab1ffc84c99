import { useState } from 'react';
import { ApiError } from '../../data/api-error';
import { dynamicKey, type Translate } from '../../i18n/i18n';
import type { Problem } from './admin-forms';

/** What a person can act on, for each way an admin change can fail. */
export function adminErrorText(err: unknown, t: Translate): string {
  if (!(err instanceof ApiError)) return t('admin.error.failed', { reason: (err as Error)?.message ?? String(err) });
  if (err.status === 409) return /\bexists\b/.test(err.message) ? t('admin.error.exists') : t('admin.error.conflict', { reason: err.message });
  if (err.status === 403) return t('admin.error.forbidden', { reason: err.message });
  if (err.status === 0) return t('login.unreachable');
  return t('admin.error.failed', { reason: err.message });
}

export const problemText = (p: Problem | undefined, t: Translate): string =>
  p ? t(dynamicKey('admin.problem', p)) : '';

/** One admin action at a time per form: busy while it runs, then a success line or an error line. */
export function useAdminAction(t: Translate) {
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<string>();
  const [error, setError] = useState<string>();
  const run = async (action: () => Promise<string>): Promise<boolean> => {
    setBusy(true);
    setDone(undefined);
    setError(undefined);
    try {
      setDone(await action());
      return true;
    } catch (err) {
      setError(adminErrorText(err, t));
      return false;
    } finally {
      setBusy(false);
    }
  };
  return { busy, done, error, run };
}
