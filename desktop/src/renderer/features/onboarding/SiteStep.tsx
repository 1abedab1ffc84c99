import { useState, type FormEvent } from 'react';
import { useLiveData } from '../../app/live-data';
import { useI18n } from '../../i18n/i18n';
import type { AdminApi, NewSiteBody } from '../admin/admin-api';
import { checkSite, type Problems, type SiteFields } from '../admin/admin-forms';
import { Field, Outcome } from '../admin/Field';
import { problemText, useAdminAction } from '../admin/use-admin-action';
import { SitePointMap } from './SitePointMap';

const EMPTY: SiteFields = { id: '', name: '', lat: '37.5665', lng: '126.9780', timezone: 'Asia/Seoul' };

/** The site that was created, and when ("create site" starts the clock of the go-live). */
export interface CreatedSite extends NewSiteBody {
  createdAt: number;
}

/**
 * Step 1: the site's code, name, address, point and time zone (`POST /api/v1/sites`), with the
 * point on the map; clicking the map moves it. Once created the site is shown, not edited here.
 */
export function SiteStep({ admin, site, onCreated }: { admin: AdminApi; site?: CreatedSite; onCreated: (s: CreatedSite) => void }) {
  const { t } = useI18n();
  const { sites } = useLiveData();
  const [f, setF] = useState<SiteFields>(EMPTY);
  const [address, setAddress] = useState('');
  const [problems, setProblems] = useState<Problems<keyof SiteFields>>({});
  const action = useAdminAction(t);
  const set = (k: keyof SiteFields) => (v: string) => setF({ ...f, [k]: v });

  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    const checked = checkSite(f);
    setProblems(checked.problems);
    if (!checked.body) return;
    const body: NewSiteBody = { ...checked.body, ...(address.trim() ? { address: address.trim() } : {}) };
    let createdAt = 0;
    const ok = await action.run(async () => {
      createdAt = Date.now();
      await admin.createSite(body);
      return t('admin.siteCreated', { id: body.id });
    });
    if (ok) onCreated({ ...body, createdAt });
  };

  if (site)
    return (
      <div data-testid="onboarding-site-created">
        <p>{t('onboarding.site.created', { id: site.id, name: site.name })}</p>
        <SitePointMap lat={site.lat} lng={site.lng} others={sites} onPick={() => undefined} />
      </div>
    );
  return (
    <form onSubmit={(e) => void submit(e)} data-testid="onboarding-site-form" noValidate>
      <div className="onboarding-site-grid">
        <div className="onboarding-fields">
          <Field label={t('onboarding.site.code')} value={f.id} onValue={set('id')} problem={problemText(problems.id, t)} placeholder="seongsu" testId="onboarding-site-id" autoComplete="off" />
          <Field label={t('admin.name')} value={f.name} onValue={set('name')} problem={problemText(problems.name, t)} testId="onboarding-site-name" />
          <Field label={t('onboarding.site.address')} value={address} onValue={setAddress} testId="onboarding-site-address" />
          <div className="filter-bar">
            <Field label={t('admin.lat')} value={f.lat} onValue={set('lat')} problem={problemText(problems.lat, t)} inputMode="decimal" testId="onboarding-site-lat" />
            <Field label={t('admin.lng')} value={f.lng} onValue={set('lng')} problem={problemText(problems.lng, t)} inputMode="decimal" testId="onboarding-site-lng" />
          </div>
          <Field label={t('admin.timezone')} value={f.timezone} onValue={set('timezone')} problem={problemText(problems.timezone, t)} testId="onboarding-site-timezone" />
          <div>
            <button type="submit" className="btn btn-primary" disabled={action.busy} data-testid="onboarding-site-create">
              {action.busy ? t('onboarding.working') : t('onboarding.site.create')}
            </button>
          </div>
          <Outcome done={action.done} error={action.error} testId="onboarding-site" />
        </div>
        <SitePointMap
          lat={Number(f.lat)}
          lng={Number(f.lng)}
          others={sites}
          onPick={(p) => setF({ ...f, lat: String(p.lat), lng: String(p.lng) })}
        />
      </div>
    </form>
  );
}
