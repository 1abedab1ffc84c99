import { ACCEPTANCE_CHECKS, type AcceptanceCheck } from '@cr/shared';
import { useState } from 'react';
import { routeHash } from '../../app/router';
import { dynamicKey, useI18n } from '../../i18n/i18n';
import { Outcome } from '../admin/Field';
import { adminErrorText, useAdminAction } from '../admin/use-admin-action';
import type { OnboardingApi } from './onboarding-api';
import { useAcceptance } from './use-acceptance';
import type { CheckState } from './wizard-model';

function CheckItem({ check, state, hint }: { check: AcceptanceCheck; state: CheckState; hint: string }) {
  const { t } = useI18n();
  const passed = state.state === 'passed';
  return (
    <li className={`onboarding-check is-${state.state}`} data-testid={`onboarding-check-${check}`} data-state={state.state}>
      <span className="onboarding-check-mark" aria-hidden="true">
        {passed ? '✓' : state.state === 'waiting' ? '…' : '○'}
      </span>
      <div>
        <strong>{t(dynamicKey('onboarding.check', check))}</strong>
        <span className="sr-only"> — {t(dynamicKey('onboarding.checkState', state.state))}</span>
        <div className="muted small">{passed ? state.detail : hint}</div>
      </div>
      {state.state === 'waiting' && <span className="onboarding-spinner" aria-hidden="true" />}
    </li>
  );
}

/**
 * Step 7: the guided acceptance test, then "Go live" (enabled only when every check is green) and
 * the time from "create site" to live.
 */
export function AcceptanceStep({
  api,
  site,
  zoneIds,
  createdAt,
  onLive,
}: {
  api: OnboardingApi;
  site: { id: string; name: string; timezone: string };
  zoneIds: readonly string[];
  createdAt: number;
  onLive: (at: number) => void;
}) {
  const { t } = useI18n();
  const test = useAcceptance(api, site, zoneIds);
  const goLive = useAdminAction(t);
  const [liveAt, setLiveAt] = useState<number>();
  const hints: Record<AcceptanceCheck, string> = {
    'test-card': t('onboarding.hint.test-card', { card: test.card }),
    'remote-door': t('onboarding.hint.remote-door'),
    'test-alarm': t('onboarding.hint.test-alarm'),
  };
  const live = (): void =>
    void goLive.run(async () => {
      await test.finish();
      const at = Date.now();
      setLiveAt(at);
      onLive(at);
      return t('onboarding.live.done', { name: site.name });
    });

  if (liveAt !== undefined) {
    const secs = ((liveAt - createdAt) / 1000).toFixed(1);
    return (
      <div className="onboarding-live" data-testid="onboarding-live" role="status">
        <h3>{t('onboarding.live.title', { name: site.name })}</h3>
        <p className="onboarding-live-time" data-testid="onboarding-live-time" data-ms={liveAt - createdAt}>
          {t('onboarding.live.time', { seconds: secs })}
        </p>
        <div className="filter-bar">
          <a className="btn btn-primary" href={routeHash({ name: 'overview' })} data-testid="onboarding-live-map">
            {t('onboarding.live.map')}
          </a>
          <a className="btn" href={routeHash({ name: 'site', siteId: site.id })} data-testid="onboarding-live-site">
            {t('onboarding.live.site')}
          </a>
        </div>
      </div>
    );
  }
  return (
    <div data-testid="onboarding-acceptance">
      {!test.started && (
        <>
          <p className="muted">{t('onboarding.check.intro')}</p>
          <div>
            <button type="button" className="btn btn-primary" onClick={test.begin} disabled={test.starting.busy} data-testid="onboarding-acceptance-start">
              {test.starting.busy ? t('onboarding.working') : t('onboarding.check.start')}
            </button>
          </div>
        </>
      )}
      <Outcome done={test.starting.done} error={test.starting.error} testId="onboarding-acceptance" />
      {test.started && (
        <p className="onboarding-card" data-testid="onboarding-test-card">
          {t('onboarding.check.card')} <strong className="mono">{test.card}</strong>
        </p>
      )}
      <ol className="onboarding-checks">
        {ACCEPTANCE_CHECKS.map((c) => (
          <CheckItem key={c} check={c} state={test.checks[c]} hint={hints[c]} />
        ))}
      </ol>
      {test.pollError && <p className="error-text">{adminErrorText(test.pollError, t)}</p>}
      <div>
        <button type="button" className="btn btn-primary btn-large" onClick={live} disabled={!test.ready || goLive.busy} data-testid="onboarding-go-live">
          {t('onboarding.live.go')}
        </button>
        {!test.ready && <span className="muted small"> {t('onboarding.live.notYet')}</span>}
      </div>
      <Outcome done={goLive.done} error={goLive.error} testId="onboarding-go-live" />
    </div>
  );
}
