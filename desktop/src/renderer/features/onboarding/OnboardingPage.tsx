import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { useServices } from '../../app/services-context';
import { dynamicKey, useI18n } from '../../i18n/i18n';
import { adminApi } from '../admin/admin-api';
import { EdgeTokenPanel } from '../admin/EdgeTokenPanel';
import { ZonesPanel } from '../admin/ZonesPanel';
import { AcceptanceStep } from './AcceptanceStep';
import { DiscoveryStep } from './DiscoveryStep';
import { LinkStatus, useSiteLink } from './LinkStatus';
import { onboardingApi } from './onboarding-api';
import { PolicyStep } from './PolicyStep';
import { SiteStep, type CreatedSite } from './SiteStep';
import { DEFAULT_POLICY, siteHoursOf, stepOpen, WIZARD_STEPS, type PolicyChoice, type WizardStep } from './wizard-model';
import './onboarding.css';

const FIRST_FIELD = 'input:not([disabled]), select:not([disabled]), textarea, button:not([disabled])';

function NextButton({ onNext, disabled, testId }: { onNext: () => void; disabled?: boolean; testId: string }) {
  const { t } = useI18n();
  return (
    <div>
      <button type="button" className="btn btn-primary" onClick={onNext} disabled={disabled} data-testid={testId}>
        {t('onboarding.next')}
      </button>
    </div>
  );
}

/**
 * The onboarding wizard of a new site (tenant-admin): site and its point on the map, opening-hours
 * template, zones, the gateway's token and command, the devices its edge discovers (approved and
 * placed one by one), the link and permission sync, then the guided acceptance test and go-live.
 * Each step's first field takes the focus; Enter submits a step's form.
 */
export function OnboardingPage() {
  const { api } = useServices();
  const { t } = useI18n();
  const queries = useQueryClient();
  const admin = useMemo(() => adminApi(api), [api]);
  const onboarding = useMemo(() => onboardingApi(api), [api]);
  const [step, setStep] = useState<WizardStep>('site');
  const [site, setSite] = useState<CreatedSite>();
  const [policy, setPolicy] = useState<PolicyChoice>(DEFAULT_POLICY);
  const [liveAt, setLiveAt] = useState<number>();
  const body = useRef<HTMLElement>(null);
  const siteId = site?.id ?? '';
  const zones = useQuery({ queryKey: ['admin', 'zones', siteId], queryFn: () => admin.zones(siteId), enabled: siteId !== '' });
  const zoneRows = zones.data ?? [];
  const link = useSiteLink(onboarding, siteId, step === 'sync');
  const next = (): void => setStep(WIZARD_STEPS[Math.min(WIZARD_STEPS.indexOf(step) + 1, WIZARD_STEPS.length - 1)]!);

  useEffect(() => {
    body.current?.querySelector<HTMLElement>(FIRST_FIELD)?.focus();
  }, [step, site]);

  const created = (s: CreatedSite): void => {
    setSite(s);
    // The overview, the admin page and the rest of the console list sites from their own queries.
    void queries.invalidateQueries({ queryKey: ['sites'] });
    void queries.invalidateQueries({ queryKey: ['admin', 'sites'] });
    setStep('policy');
  };

  let content: ReactNode;
  if (step === 'site' || !site) content = <SiteStep admin={admin} site={site} onCreated={created} />;
  else if (step === 'policy') content = <PolicyStep choice={policy} timezone={site.timezone} onChange={setPolicy} onNext={next} />;
  else if (step === 'zones')
    content = (
      <>
        <ZonesPanel admin={admin} siteId={site.id} zones={zoneRows} onSaved={() => void zones.refetch()} />
        <NextButton onNext={next} disabled={zoneRows.length === 0} testId="onboarding-zones-next" />
      </>
    );
  else if (step === 'gateway')
    content = (
      <>
        <EdgeTokenPanel admin={admin} siteId={site.id} cloudUrl={api.baseUrl} options={{ commissioning: false, siteHours: siteHoursOf(policy).hours }} />
        <NextButton onNext={next} testId="onboarding-gateway-next" />
      </>
    );
  else if (step === 'discovery') content = <DiscoveryStep api={onboarding} siteId={site.id} timezone={site.timezone} zones={zoneRows} onNext={next} />;
  else if (step === 'sync')
    content = (
      <>
        <LinkStatus api={onboarding} siteId={site.id} timezone={site.timezone} />
        <NextButton onNext={next} disabled={link.data?.online !== true} testId="onboarding-sync-next" />
      </>
    );
  else
    content = (
      <AcceptanceStep api={onboarding} site={site} zoneIds={zoneRows.map((z) => z.id)} createdAt={site.createdAt} onLive={setLiveAt} />
    );

  return (
    <div className="onboarding-page" data-testid="onboarding-page" data-step={step} data-live={liveAt !== undefined}>
      <nav aria-label={t('onboarding.steps')}>
        <ol className="onboarding-steps">
          {WIZARD_STEPS.map((s, i) => (
            <li key={s}>
              <button
                type="button"
                className={s === step ? 'onboarding-step active' : 'onboarding-step'}
                aria-current={s === step ? 'step' : undefined}
                disabled={!stepOpen(s, site !== undefined)}
                onClick={() => setStep(s)}
                data-testid={`onboarding-step-${s}`}
              >
                <span className="onboarding-step-no">{i + 1}</span> {t(dynamicKey('onboarding.step', s))}
              </button>
            </li>
          ))}
        </ol>
      </nav>
      <section ref={body} className="onboarding-body" aria-labelledby="onboarding-step-title">
        <h2 id="onboarding-step-title">
          {t('onboarding.title')} · {t(dynamicKey('onboarding.step', step))}
          {site ? <span className="muted"> — {site.name} ({site.id})</span> : null}
        </h2>
        <p className="muted">{t(dynamicKey('onboarding.help', step))}</p>
        {content}
      </section>
    </div>
  );
}
