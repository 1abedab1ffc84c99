import { useState } from 'react';
import { useI18n } from '../../i18n/i18n';
import type { PolicyApi, Stages } from './policy-api';
import type { BoardSite } from './policy-board';
import { PolicyDialog } from './PolicyDialog';
import { policyErrorText } from './policy-text';

/** The stop signals a staged rollout starts with (the cloud's defaults). */
export const DEFAULT_STAGES = { waitSec: 600, maxFailedApplies: 0, maxDeniedRatePct: 30, maxNewAlerts: 5 };

/** The request of a rollout form: plain to the chosen sites, or staged with the first sites going ahead. */
export function rolloutRequest(f: { siteIds: string[]; staged: boolean; firstSiteIds: string[]; waitSec: number; maxFailedApplies: number; maxDeniedRatePct: number; maxNewAlerts: number }): { siteIds: string[]; stages?: Stages } | { problem: 'no-sites' | 'no-first' | 'bad-number' } {
  if (f.siteIds.length === 0) return { problem: 'no-sites' };
  if (!f.staged) return { siteIds: f.siteIds };
  const first = f.firstSiteIds.filter((s) => f.siteIds.includes(s));
  if (first.length === 0) return { problem: 'no-first' };
  const nums = [f.waitSec, f.maxFailedApplies, f.maxDeniedRatePct, f.maxNewAlerts];
  if (nums.some((n) => !Number.isFinite(n) || n < 0) || f.maxDeniedRatePct > 100) return { problem: 'bad-number' };
  return {
    siteIds: f.siteIds,
    stages: { firstSiteIds: first, waitSec: Math.round(f.waitSec), stopWhen: { maxFailedApplies: Math.round(f.maxFailedApplies), maxDeniedRate: f.maxDeniedRatePct / 100, maxNewAlerts: Math.round(f.maxNewAlerts) } },
  };
}

/** Rolls a version out to chosen sites, plainly or in stages (first sites, a wait, stop signals). */
export function RolloutDialog({ api, policyId, versions, initialVersion, sites, onDone, onClose }: { api: PolicyApi; policyId: string; versions: readonly number[]; initialVersion: number; sites: readonly BoardSite[]; onDone: (message: string) => void; onClose: () => void }) {
  const { t } = useI18n();
  const [version, setVersion] = useState(initialVersion);
  const [siteIds, setSiteIds] = useState<string[]>([]);
  const [staged, setStaged] = useState(false);
  const [firstSiteIds, setFirst] = useState<string[]>([]);
  const [n, setN] = useState(DEFAULT_STAGES);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const request = rolloutRequest({ siteIds, staged, firstSiteIds, ...n });
  const toggle = (list: string[], id: string, on: boolean): string[] => (on ? [...list, id] : list.filter((x) => x !== id));
  const submit = async (): Promise<void> => {
    if ('problem' in request) return;
    setBusy(true);
    setError(undefined);
    try {
      await api.rollout(policyId, version, request.siteIds, request.stages);
      onDone(request.stages ? t('policy.stagedStarted', { version, n: request.stages.firstSiteIds.length, total: request.siteIds.length }) : t('policy.rolledOut', { version, n: request.siteIds.length }));
    } catch (err) {
      setError(policyErrorText(err, t));
    } finally {
      setBusy(false);
    }
  };
  const num = (key: keyof typeof n, label: string) => (
    <label className="policy-num">
      {label}
      <input type="number" min={0} value={n[key]} onChange={(e) => setN({ ...n, [key]: Number(e.target.value) })} data-testid={`rollout-${key}`} />
    </label>
  );
  return (
    <PolicyDialog title={t('policy.rolloutTitle')} testId="rollout-dialog" submitLabel={t('policy.rolloutSubmit', { version })} busy={busy} canSubmit={!('problem' in request)} error={error} onSubmit={() => void submit()} onClose={onClose}>
      <label>
        {t('policy.version')}
        <select value={version} onChange={(e) => setVersion(Number(e.target.value))} autoFocus data-testid="rollout-version">
          {versions.map((v) => (
            <option key={v} value={v}>
              v{v}
            </option>
          ))}
        </select>
      </label>
      <fieldset className="policy-site-picks">
        <legend>{t('policy.rolloutSites')}</legend>
        {sites.map((s) => (
          <label key={s.id} className="policy-check">
            <input type="checkbox" checked={siteIds.includes(s.id)} onChange={(e) => setSiteIds(toggle(siteIds, s.id, e.target.checked))} data-testid={`rollout-site-${s.id}`} />
            {s.name}
          </label>
        ))}
      </fieldset>
      <label className="policy-check">
        <input type="checkbox" checked={staged} onChange={(e) => setStaged(e.target.checked)} data-testid="rollout-staged" />
        {t('policy.staged')}
      </label>
      {staged && (
        <fieldset className="policy-stages">
          <legend>{t('policy.firstSites')}</legend>
          {sites
            .filter((s) => siteIds.includes(s.id))
            .map((s) => (
              <label key={s.id} className="policy-check">
                <input type="checkbox" checked={firstSiteIds.includes(s.id)} onChange={(e) => setFirst(toggle(firstSiteIds, s.id, e.target.checked))} data-testid={`rollout-first-${s.id}`} />
                {s.name}
              </label>
            ))}
          {num('waitSec', t('policy.waitSec'))}
          {num('maxFailedApplies', t('policy.maxFailedApplies'))}
          {num('maxDeniedRatePct', t('policy.maxDeniedRate'))}
          {num('maxNewAlerts', t('policy.maxNewAlerts'))}
        </fieldset>
      )}
      <p className="muted small" aria-live="polite" data-testid="rollout-problem">
        {'problem' in request ? t(`policy.problem.${request.problem}`) : ''}
      </p>
    </PolicyDialog>
  );
}
