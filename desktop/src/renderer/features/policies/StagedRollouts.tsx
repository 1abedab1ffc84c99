import type { UseQueryResult } from '@tanstack/react-query';
import { useState } from 'react';
import { dynamicKey, useI18n } from '../../i18n/i18n';
import { PolicyApiError, type PolicyApi, type StagedRollout } from './policy-api';
import { pct, policyErrorText } from './policy-text';

const RUNNING = new Set(['first-stage', 'waiting']);

/** The policy's staged rollouts, newest first: state, stages, signals against their limits, why one stopped; stopping a running one. */
export function StagedRollouts({ api, policyId, rollouts, siteName, canWrite, onChanged }: { api: PolicyApi; policyId: string; rollouts: UseQueryResult<StagedRollout[]>; siteName: (id: string) => string; canWrite: boolean; onChanged: (message: string) => void }) {
  const { t, lang } = useI18n();
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState<string | undefined>();
  const missing = rollouts.error instanceof PolicyApiError && rollouts.error.missing;
  const stop = async (r: StagedRollout): Promise<void> => {
    setBusy(r.rolloutId);
    setError(undefined);
    try {
      await api.stop(policyId, r.rolloutId);
      onChanged(t('policy.stagedStopped', { version: r.version }));
    } catch (err) {
      setError(policyErrorText(err, t));
    } finally {
      setBusy(undefined);
    }
  };
  const time = (ts: number): string => new Date(ts).toLocaleString(lang === 'ko' ? 'ko-KR' : 'en-GB');
  const list = [...(rollouts.data ?? [])].sort((a, b) => b.createdAt - a.createdAt);
  return (
    <section className="policy-staged" aria-label={t('policy.stagedTitle')} data-testid="policy-staged">
      <h3>{t('policy.stagedTitle')}</h3>
      {missing && <p className="muted small" data-testid="policy-staged-missing">{t('policy.missingRoute')}</p>}
      {rollouts.isError && !missing && <p className="error-text" role="alert">{policyErrorText(rollouts.error, t)}</p>}
      {error && <p className="error-text" role="alert">{error}</p>}
      {rollouts.isSuccess && list.length === 0 && <p className="muted small">{t('policy.stagedNone')}</p>}
      {list.map((r) => (
        <article key={r.rolloutId} className={`policy-staged-item policy-staged-${r.state}`} data-testid={`policy-staged-${r.rolloutId}`} data-state={r.state}>
          <header className="policy-bar">
            <strong>v{r.version}</strong>
            <span className={`policy-state policy-state-${r.state}`}>{t(dynamicKey('policy.state', r.state))}</span>
            <span className="muted small">{t('policy.stagedBy', { by: r.createdBy, at: time(r.createdAt) })}</span>
            {r.nextStageAt !== undefined && <span className="small">{t('policy.nextStageAt', { at: time(r.nextStageAt) })}</span>}
            {canWrite && RUNNING.has(r.state) && (
              <button type="button" className="btn btn-danger btn-small" onClick={() => void stop(r)} disabled={busy === r.rolloutId} data-testid={`policy-staged-stop-${r.rolloutId}`}>
                {t('policy.stagedStop')}
              </button>
            )}
          </header>
          <p className="small">
            {t('policy.stagedFirst', { sites: r.firstSiteIds.map(siteName).join(', ') })} · {t('policy.stagedRest', { sites: r.restSiteIds.map(siteName).join(', ') || '—', wait: r.waitSec })}
          </p>
          <p className="small" data-testid="policy-staged-signals">
            {t('policy.signals', {
              failed: r.signals.failedApplies,
              maxFailed: r.stopWhen.maxFailedApplies ?? '—',
              denied: r.signals.swipes ? pct(r.signals.deniedSwipes / r.signals.swipes) : '—',
              maxDenied: r.stopWhen.maxDeniedRate !== undefined ? pct(r.stopWhen.maxDeniedRate) : '—',
              swipes: r.signals.swipes,
              alerts: r.signals.newAlerts,
              maxAlerts: r.stopWhen.maxNewAlerts ?? '—',
            })}
          </p>
          {r.reason && <p className="error-text small">{t('policy.stagedReason', { reason: r.reason })}</p>}
        </article>
      ))}
    </section>
  );
}
