import { useMemo, useState } from 'react';
import { DEFAULT_TIMEZONE } from '@cr/shared';
import { useLiveData } from '../../app/live-data';
import { navigate } from '../../app/router';
import { useServices } from '../../app/services-context';
import { dynamicKey, useI18n } from '../../i18n/i18n';
import { DryRunPanel } from './DryRunPanel';
import { NewPolicyDialog } from './NewPolicyDialog';
import { policyApi } from './policy-api';
import { boardRows } from './policy-board';
import { PolicyEditor } from './PolicyEditor';
import { PolicyList } from './PolicyList';
import { policyErrorText } from './policy-text';
import { RolloutBoard } from './RolloutBoard';
import { StagedRollouts } from './StagedRollouts';
import { usePolicyData, usePolicyList } from './use-policy-data';
import { VersionDiff } from './VersionDiff';
import { VersionGroups } from './VersionGroups';
import './policies.css';

const TABS = ['edit', 'rollout', 'dry-run'] as const;
type Tab = (typeof TABS)[number];

/**
 * Site policies of the tenant: the list; for the open policy its editor and version diff, the
 * rollout board (every site × version and status, rollouts plain or staged, rollback), staged
 * rollouts, A/B groups and a dry run. Tenant admins write; HQ and site managers read.
 */
export function PoliciesPage({ canWrite, policyId: routePolicyId }: { canWrite: boolean; policyId?: string | undefined }) {
  const { api } = useServices();
  const { t } = useI18n();
  const { sites } = useLiveData();
  const policies = useMemo(() => policyApi(api), [api]);
  const { list, templates } = usePolicyList(policies);
  const policyId = routePolicyId ?? list.data?.[0]?.id;
  const siteIds = useMemo(() => sites.map((s) => s.id), [sites]);
  const [tab, setTab] = useState<Tab>('edit');
  const data = usePolicyData(policies, policyId, siteIds, tab === 'rollout');
  const [creating, setCreating] = useState(false);
  const [notice, setNotice] = useState('');
  const detail = data.detail.data?.id === policyId ? data.detail.data : undefined;
  const versions = useMemo(() => (detail?.versions.map((v) => v.version) ?? []).sort((a, b) => a - b), [detail]);
  const boardSites = useMemo(() => sites.map((s) => ({ id: s.id, name: s.name })), [sites]);
  const rows = useMemo(
    () => (policyId ? boardRows(boardSites, policyId, data.status.data ?? [], data.holdings.data ?? new Map(), data.rollouts.data ?? []) : []),
    [boardSites, policyId, data.status.data, data.holdings.data, data.rollouts.data],
  );
  const siteName = (id: string): string => sites.find((s) => s.id === id)?.name ?? id;
  const policyName = (id: string): string => list.data?.find((p) => p.id === id)?.name ?? id;
  const changed = (message: string): void => {
    setNotice(message);
    void data.refresh();
  };
  const onTabKey = (key: string): void => {
    const i = TABS.indexOf(tab);
    const next = key === 'ArrowRight' ? TABS[(i + 1) % TABS.length] : key === 'ArrowLeft' ? TABS[(i + TABS.length - 1) % TABS.length] : undefined;
    if (!next) return;
    setTab(next);
    document.querySelector<HTMLElement>(`[data-testid="policy-tab-${next}"]`)?.focus();
  };

  return (
    <div className="table-page policies-page" data-testid="policies-page" data-policy-id={policyId ?? ''}>
      <div className="policy-bar">
        <h1 className="page-title">{t('nav.policies')}</h1>
        {canWrite && (
          <button type="button" className="btn btn-primary" onClick={() => setCreating(true)} data-testid="policy-new">
            {t('policy.new')}
          </button>
        )}
        {!canWrite && <span className="muted small">{t('policy.readOnly')}</span>}
      </div>
      <p className="muted small" role="status" data-testid="policy-notice">
        {notice}
      </p>
      {list.isError && (
        <p className="error-text" role="alert" data-testid="policy-load-error">
          {policyErrorText(list.error, t)}
        </p>
      )}
      <div className="policy-layout">
        <PolicyList policies={list.data ?? []} selectedId={policyId} onSelect={(id) => navigate({ name: 'policies', policyId: id })} />
        {detail && (
          <div className="policy-detail" data-testid="policy-detail" data-latest-version={detail.latestVersion}>
            <h2 className="policy-name">
              {detail.name} <span className="muted small">{t('policy.latest', { version: detail.latestVersion })}</span>
            </h2>
            <div role="tablist" className="policy-tabs" aria-label={t('policy.tabs')} onKeyDown={(e) => onTabKey(e.key)}>
              {TABS.map((x) => (
                <button key={x} type="button" role="tab" id={`policy-tab-${x}`} aria-selected={tab === x} aria-controls={`policy-panel-${x}`} tabIndex={tab === x ? 0 : -1} className={tab === x ? 'policy-tab active' : 'policy-tab'} onClick={() => setTab(x)} data-testid={`policy-tab-${x}`}>
                  {t(dynamicKey('policy.tab', x))}
                </button>
              ))}
            </div>
            <div role="tabpanel" id={`policy-panel-${tab}`} aria-labelledby={`policy-tab-${tab}`} className="policy-panel">
              {tab === 'edit' && (
                <>
                  <PolicyEditor key={`${detail.id}-${detail.latestVersion}`} api={policies} policy={detail} templates={templates.data ?? []} canWrite={canWrite} onSaved={(v) => changed(t('policy.savedVersion', { version: v }))} />
                  <VersionDiff key={`diff-${detail.id}-${detail.latestVersion}`} api={policies} policy={detail} />
                </>
              )}
              {tab === 'rollout' && (
                <>
                  <RolloutBoard api={policies} policyId={detail.id} versions={versions} rows={rows} sites={boardSites} policyName={policyName} canWrite={canWrite} onChanged={changed} />
                  <StagedRollouts api={policies} policyId={detail.id} rollouts={data.rollouts} siteName={siteName} canWrite={canWrite} onChanged={changed} />
                  <VersionGroups groups={data.groups} siteName={siteName} />
                </>
              )}
              {tab === 'dry-run' && <DryRunPanel api={policies} policyId={detail.id} versions={versions} sites={sites.map((s) => ({ id: s.id, name: s.name, timezone: s.timezone || DEFAULT_TIMEZONE }))} />}
            </div>
          </div>
        )}
        {data.detail.isError && <p className="error-text" role="alert">{policyErrorText(data.detail.error, t)}</p>}
      </div>
      {creating && (
        <NewPolicyDialog
          api={policies}
          templates={templates.data ?? []}
          onDone={(id, name) => {
            setCreating(false);
            setNotice(t('policy.created', { name }));
            void data.refresh();
            navigate({ name: 'policies', policyId: id });
          }}
          onClose={() => setCreating(false)}
        />
      )}
    </div>
  );
}
