import { useState, type FormEvent } from 'react';
import { useI18n } from '../../i18n/i18n';
import type { AdminApi } from './admin-api';
import { checkSite, type Problems, type SiteFields } from './admin-forms';
import { Field, Outcome } from './Field';
import { problemText, useAdminAction } from './use-admin-action';

const EMPTY: SiteFields = { id: '', name: '', lat: '37.5665', lng: '126.9780', timezone: 'Asia/Seoul' };

/** Creates a site of the tenant (`POST /api/v1/sites`); the new site is selected for its zones and gateway. */
export function SiteCreateForm({ admin, onCreated }: { admin: AdminApi; onCreated: (siteId: string) => void }) {
  const { t } = useI18n();
  const [f, setF] = useState<SiteFields>(EMPTY);
  const [problems, setProblems] = useState<Problems<keyof SiteFields>>({});
  const action = useAdminAction(t);
  const set = (k: keyof SiteFields) => (v: string) => setF({ ...f, [k]: v });

  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    const checked = checkSite(f);
    setProblems(checked.problems);
    if (!checked.body) return;
    const body = checked.body;
    const ok = await action.run(async () => {
      await admin.createSite(body);
      return t('admin.siteCreated', { id: body.id });
    });
    if (ok) {
      setF(EMPTY);
      onCreated(body.id);
    }
  };

  return (
    <form onSubmit={(e) => void submit(e)} aria-labelledby="admin-new-site" data-testid="admin-site-form" noValidate>
      <h3 id="admin-new-site">{t('admin.newSite')}</h3>
      <div className="filter-bar">
        <Field
          label={t('admin.siteId')}
          value={f.id}
          onValue={set('id')}
          problem={problemText(problems.id, t)}
          placeholder="seongsu"
          testId="admin-site-id"
        />
        <Field
          label={t('admin.name')}
          value={f.name}
          onValue={set('name')}
          problem={problemText(problems.name, t)}
          testId="admin-site-name"
        />
        <Field
          label={t('admin.lat')}
          value={f.lat}
          onValue={set('lat')}
          problem={problemText(problems.lat, t)}
          inputMode="decimal"
          testId="admin-site-lat"
        />
        <Field
          label={t('admin.lng')}
          value={f.lng}
          onValue={set('lng')}
          problem={problemText(problems.lng, t)}
          inputMode="decimal"
          testId="admin-site-lng"
        />
        <Field
          label={t('admin.timezone')}
          value={f.timezone}
          onValue={set('timezone')}
          problem={problemText(problems.timezone, t)}
          testId="admin-site-timezone"
        />
      </div>
      <div>
        <button type="submit" className="btn btn-primary" disabled={action.busy} data-testid="admin-site-create">
          {t('admin.createSite')}
        </button>
      </div>
      <Outcome done={action.done} error={action.error} testId="admin-site" />
    </form>
  );
}
