import { useRef, useState, type FormEvent } from 'react';
import { useI18n } from '../../i18n/i18n';
import type { AdminApi, ZoneRow } from './admin-api';
import { checkZone, type Problems, type ZoneFields } from './admin-forms';
import { Field, Outcome } from './Field';
import { problemText, useAdminAction } from './use-admin-action';

/**
 * The zones of one site: add one, or rename one (`PUT /api/v1/sites/{siteId}/zones/{zoneId}`).
 * "Rename" fills the form with the zone and moves the focus to its name.
 */
export function ZonesPanel({
  admin,
  siteId,
  zones,
  onSaved,
}: {
  admin: AdminApi;
  siteId: string;
  zones: ZoneRow[];
  onSaved: () => void;
}) {
  const { t } = useI18n();
  const [f, setF] = useState<ZoneFields>({ id: '', name: '' });
  const [problems, setProblems] = useState<Problems<keyof ZoneFields>>({});
  const action = useAdminAction(t);
  const nameInput = useRef<HTMLInputElement>(null);

  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    const p = checkZone(f);
    setProblems(p);
    if (Object.keys(p).length) return;
    const zone = { id: f.id.trim(), name: f.name.trim() };
    const ok = await action.run(async () => {
      await admin.putZone(siteId, zone.id, zone.name);
      return t('admin.zoneSaved', { id: zone.id });
    });
    if (ok) {
      setF({ id: '', name: '' });
      onSaved();
    }
  };
  const rename = (z: ZoneRow): void => {
    setF({ id: z.id, name: z.name });
    nameInput.current?.focus();
  };

  return (
    <section aria-labelledby="admin-zones" data-testid="admin-zones">
      <h2 id="admin-zones">{t('admin.zones')}</h2>
      {zones.length === 0 ? (
        <p className="muted">{t('admin.noZones')}</p>
      ) : (
        <table className="data-table">
          <tbody>
            {zones.map((z) => (
              <tr key={z.id} data-testid={`admin-zone-${z.id}`}>
                <td className="mono">{z.id}</td>
                <td>{z.name}</td>
                <td>
                  <button
                    type="button"
                    className="btn"
                    onClick={() => rename(z)}
                    aria-label={`${t('admin.rename')}: ${z.name}`}
                  >
                    {t('admin.rename')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <form onSubmit={(e) => void submit(e)} data-testid="admin-zone-form" noValidate>
        <div className="filter-bar">
          <Field
            label={t('admin.zoneId')}
            value={f.id}
            onValue={(id) => setF({ ...f, id })}
            problem={problemText(problems.id, t)}
            placeholder="lobby"
            testId="admin-zone-id"
          />
          <Field
            label={t('admin.zoneName')}
            value={f.name}
            onValue={(name) => setF({ ...f, name })}
            problem={problemText(problems.name, t)}
            inputRef={nameInput}
            testId="admin-zone-name"
          />
          <button type="submit" className="btn btn-primary" disabled={action.busy} data-testid="admin-zone-save">
            {t('admin.saveZone')}
          </button>
        </div>
        <Outcome done={action.done} error={action.error} testId="admin-zone" />
      </form>
    </section>
  );
}
