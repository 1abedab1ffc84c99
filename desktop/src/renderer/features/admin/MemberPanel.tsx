import { useState, type FormEvent } from 'react';
import { useI18n } from '../../i18n/i18n';
import type { AdminApi, MemberRow, ZoneRow } from './admin-api';
import { checkMember, type MemberFields, type Problems } from './admin-forms';
import { Field, Outcome } from './Field';
import { problemText, useAdminAction } from './use-admin-action';

const EMPTY: MemberFields = { id: '', name: '', card: '', zoneIds: [], afterHours: false };

/**
 * Creates (or replaces) a member with one card, granted on chosen zones of this site at all times
 * (`PUT /api/v1/members/{memberId}`); connected gateways have the change within seconds.
 */
export function MemberPanel({
  admin,
  siteId,
  zones,
  members,
  onSaved,
}: {
  admin: AdminApi;
  siteId: string;
  zones: ZoneRow[];
  members: MemberRow[];
  onSaved: () => void;
}) {
  const { t } = useI18n();
  const [f, setF] = useState<MemberFields>(EMPTY);
  const [problems, setProblems] = useState<Problems<'id' | 'name' | 'card' | 'zoneIds'>>({});
  const action = useAdminAction(t);
  const here = members.filter((m) => m.grants.some((g) => !g.siteIds || g.siteIds.includes(siteId)));

  const toggleZone = (zoneId: string, on: boolean): void =>
    setF({ ...f, zoneIds: on ? [...f.zoneIds, zoneId] : f.zoneIds.filter((z) => z !== zoneId) });
  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    const checked = checkMember(f, siteId);
    setProblems(checked.problems);
    if (!checked.body) return;
    const body = checked.body;
    const ok = await action.run(async () => {
      await admin.putMember(body);
      return t('admin.memberSaved', { id: body.id });
    });
    if (ok) {
      setF(EMPTY);
      onSaved();
    }
  };

  return (
    <section aria-labelledby="admin-members" data-testid="admin-members">
      <h2 id="admin-members">{t('admin.members')}</h2>
      {here.length > 0 && (
        <table className="data-table">
          <thead>
            <tr>
              <th>{t('admin.memberId')}</th>
              <th>{t('admin.name')}</th>
              <th>{t('admin.card')}</th>
              <th>{t('admin.grantZones')}</th>
            </tr>
          </thead>
          <tbody>
            {here.map((m) => (
              <tr key={m.id} data-testid={`admin-member-${m.id}`}>
                <td className="mono">{m.id}</td>
                <td>{m.name ?? ''}</td>
                <td className="mono">{m.credentials.map((c) => c.value).join(', ')}</td>
                <td>
                  {[
                    ...new Set(
                      m.grants.filter((g) => !g.siteIds || g.siteIds.includes(siteId)).flatMap((g) => g.zoneIds),
                    ),
                  ].join(', ')}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <form onSubmit={(e) => void submit(e)} data-testid="admin-member-form" noValidate>
        <div className="filter-bar">
          <Field
            label={t('admin.memberId')}
            value={f.id}
            onValue={(id) => setF({ ...f, id })}
            problem={problemText(problems.id, t)}
            placeholder="member-0001"
            testId="admin-member-id"
          />
          <Field
            label={t('admin.name')}
            value={f.name}
            onValue={(name) => setF({ ...f, name })}
            problem={problemText(problems.name, t)}
            testId="admin-member-name"
          />
          <Field
            label={t('admin.card')}
            value={f.card}
            onValue={(card) => setF({ ...f, card })}
            problem={problemText(problems.card, t)}
            autoComplete="off"
            testId="admin-member-card"
          />
        </div>
        <fieldset aria-describedby={problems.zoneIds ? 'admin-member-zones-problem' : undefined}>
          <legend>{t('admin.grantZones')}</legend>
          {zones.length === 0 && <span className="muted">{t('admin.noZones')}</span>}
          {zones.map((z) => (
            <label key={z.id} className="check">
              <input
                type="checkbox"
                checked={f.zoneIds.includes(z.id)}
                onChange={(e) => toggleZone(z.id, e.target.checked)}
                data-testid={`admin-member-zone-${z.id}`}
              />{' '}
              {z.name}
            </label>
          ))}
          {problems.zoneIds && (
            <span id="admin-member-zones-problem" className="error-text small">
              {problemText(problems.zoneIds, t)}
            </span>
          )}
        </fieldset>
        <label className="check">
          <input
            type="checkbox"
            checked={f.afterHours}
            onChange={(e) => setF({ ...f, afterHours: e.target.checked })}
            data-testid="admin-member-after-hours"
          />{' '}
          {t('admin.afterHours')}
        </label>
        <div>
          <button type="submit" className="btn btn-primary" disabled={action.busy} data-testid="admin-member-save">
            {t('admin.saveMember')}
          </button>
        </div>
        <Outcome done={action.done} error={action.error} testId="admin-member" />
      </form>
    </section>
  );
}
