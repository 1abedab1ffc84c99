import { useState } from 'react';
import { dynamicKey, useI18n } from '../../i18n/i18n';
import type { PolicyApi } from './policy-api';
import { rollbackPlan, statusCounts, type BoardRow, type BoardSite } from './policy-board';
import { PolicyDialog } from './PolicyDialog';
import { policyErrorText } from './policy-text';
import { RolloutDialog } from './RolloutDialog';

interface Props {
  api: PolicyApi;
  policyId: string;
  versions: readonly number[];
  rows: readonly BoardRow[];
  sites: readonly BoardSite[];
  policyName: (id: string) => string;
  canWrite: boolean;
  onChanged: (message: string) => void;
}

/**
 * Every site of the tenant: which version of this policy it is assigned and which its edge
 * applied, with the edge's reason when it refused; rolling a version out and the one-click
 * rollback of the newest assigned version to the one before it (after a question).
 */
export function RolloutBoard({ api, policyId, versions, rows, sites, policyName, canWrite, onChanged }: Props) {
  const { t } = useI18n();
  const [rollingOut, setRollingOut] = useState(false);
  const [askRollback, setAskRollback] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const plan = rollbackPlan(rows, versions);
  const counts = statusCounts(rows);
  const latest = Math.max(...versions, 1);
  const rollback = async (): Promise<void> => {
    if (!plan) return;
    setBusy(true);
    setError(undefined);
    try {
      await api.rollout(policyId, plan.to, plan.siteIds);
      setAskRollback(false);
      onChanged(t('policy.rolledBack', { version: plan.to, n: plan.siteIds.length }));
    } catch (err) {
      setError(policyErrorText(err, t));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="policy-board" aria-label={t('policy.board')} data-testid="policy-board">
      <h3>{t('policy.board')}</h3>
      <div className="policy-bar">
        <span className="muted small" data-testid="policy-board-counts">
          {t('policy.boardCounts', counts)}
        </span>
        {canWrite && (
          <>
            <button type="button" className="btn btn-primary" onClick={() => setRollingOut(true)} data-testid="policy-rollout">
              {t('policy.rolloutOpen')}
            </button>
            <button type="button" className="btn btn-danger" onClick={() => setAskRollback(true)} disabled={!plan} data-testid="policy-rollback" title={plan ? undefined : t('policy.rollbackNone')}>
              {plan ? t('policy.rollback', { version: plan.to }) : t('policy.rollbackNone')}
            </button>
          </>
        )}
      </div>
      <table className="data-table">
        <thead>
          <tr>
            <th>{t('policy.site')}</th>
            <th>{t('policy.assigned')}</th>
            <th>{t('policy.status')}</th>
            <th>{t('policy.applied')}</th>
            <th>{t('policy.stage')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.siteId} data-testid={`policy-board-row-${r.siteId}`} data-holds={r.holds} data-version={r.version ?? ''} data-status={r.status ?? ''} data-applied={r.appliedVersion ?? ''}>
              <td>{r.siteName}</td>
              <td>{r.holds === 'none' ? <span className="muted">{t('policy.noPolicy')}</span> : r.holds === 'other' ? t('policy.otherPolicy', { name: policyName(r.otherPolicyId!), version: r.version! }) : `v${r.version}`}</td>
              <td>
                {r.status && (
                  <span className={`policy-status policy-status-${r.status}`} data-testid={`policy-status-${r.siteId}`}>
                    {t(dynamicKey('policy.status', r.status))}
                  </span>
                )}
                {r.error && (
                  <span className="error-text small" data-testid={`policy-error-${r.siteId}`}>
                    {' '}
                    {t('policy.edgeRefused', { reason: r.error })}
                  </span>
                )}
              </td>
              <td>{r.appliedVersion !== undefined ? `v${r.appliedVersion}` : '—'}</td>
              <td>{r.stage ? t(dynamicKey('policy.stageOf', r.stage)) : ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {rollingOut && (
        <RolloutDialog
          api={api}
          policyId={policyId}
          versions={versions}
          initialVersion={latest}
          sites={sites}
          onDone={(m) => {
            setRollingOut(false);
            onChanged(m);
          }}
          onClose={() => setRollingOut(false)}
        />
      )}
      {askRollback && plan && (
        <PolicyDialog title={t('policy.rollbackTitle', { version: plan.to })} testId="rollback-dialog" submitLabel={t('policy.rollbackConfirm', { version: plan.to })} danger focusCancel busy={busy} error={error} onSubmit={() => void rollback()} onClose={() => setAskRollback(false)}>
          <p className="command-question">{t('policy.rollbackQuestion', { from: plan.from, to: plan.to, sites: plan.siteIds.map((id) => rows.find((r) => r.siteId === id)?.siteName ?? id).join(', ') })}</p>
        </PolicyDialog>
      )}
    </section>
  );
}
