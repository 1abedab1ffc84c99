import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { dynamicKey, useI18n } from '../../i18n/i18n';
import type { PolicyApi, PolicyDetail } from './policy-api';
import { policyErrorText } from './policy-text';

/** What changed between any two versions of the policy, one readable line per change. */
export function VersionDiff({ api, policy }: { api: PolicyApi; policy: PolicyDetail }) {
  const { t } = useI18n();
  const versions = policy.versions.map((v) => v.version).sort((a, b) => a - b);
  const latest = policy.latestVersion;
  const [picked, setPicked] = useState<{ from?: number; to?: number }>({});
  const to = picked.to ?? latest;
  const from = picked.from ?? Math.max(1, to - 1);
  const diff = useQuery({ queryKey: ['policy-diff', policy.id, from, to], queryFn: () => api.diff(policy.id, from, to), enabled: versions.length > 1 && from !== to });
  const pick = (which: 'from' | 'to', label: string) => (
    <label>
      {label}
      <select value={which === 'from' ? from : to} onChange={(e) => setPicked({ from, to, [which]: Number(e.target.value) })} data-testid={`policy-diff-${which}`}>
        {versions.map((v) => (
          <option key={v} value={v}>
            v{v}
          </option>
        ))}
      </select>
    </label>
  );
  return (
    <section className="policy-diff" aria-label={t('policy.diff')} data-testid="policy-diff">
      <h3>{t('policy.diff')}</h3>
      {versions.length < 2 ? (
        <p className="muted small">{t('policy.diffOneVersion')}</p>
      ) : (
        <>
          <div className="policy-bar">
            {pick('from', t('policy.diffFrom'))}
            {pick('to', t('policy.diffTo'))}
          </div>
          {from === to && <p className="muted small">{t('policy.diffSame')}</p>}
          {diff.isError && <p className="error-text" role="alert">{policyErrorText(diff.error, t)}</p>}
          {diff.data && diff.data.length === 0 && <p className="muted small">{t('policy.diffNone')}</p>}
          {diff.data && diff.data.length > 0 && (
            <ul className="policy-diff-lines" data-testid="policy-diff-lines">
              {diff.data.map((c) => (
                <li key={`${c.path}-${c.kind}`} className={`policy-change policy-change-${c.kind}`} data-path={c.path} data-kind={c.kind}>
                  <span className="policy-change-kind">{t(dynamicKey('policy.change', c.kind))}</span> {c.text}
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </section>
  );
}
