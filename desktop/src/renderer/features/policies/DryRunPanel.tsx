import { useState, type FormEvent } from 'react';
import { useI18n } from '../../i18n/i18n';
import { siteClock, siteToday } from '../bookings/booking-time';
import type { DryRun, PolicyApi } from './policy-api';
import { policyErrorText, siteIso } from './policy-text';

export interface DryRunSite {
  id: string;
  name: string;
  timezone: string;
}

/** What a version would decide at a site at a moment of the site's own time: who gets in, and which scenarios fire. */
export function DryRunPanel({ api, policyId, versions, sites }: { api: PolicyApi; policyId: string; versions: readonly number[]; sites: readonly DryRunSite[] }) {
  const { t } = useI18n();
  const [siteId, setSiteId] = useState(sites[0]?.id ?? '');
  const site = sites.find((s) => s.id === siteId) ?? sites[0];
  const zone = site?.timezone ?? 'Asia/Seoul';
  const [version, setVersion] = useState(Math.max(...versions, 1));
  const [date, setDate] = useState(() => siteToday(zone));
  const [clock, setClock] = useState(() => siteClock(Date.now(), zone));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const [result, setResult] = useState<DryRun | undefined>();
  const [deniedOnly, setDeniedOnly] = useState(false);
  const denied = result?.decisions.filter((d) => d.result !== 'granted').length ?? 0;
  const shown = result?.decisions.filter((d) => !deniedOnly || d.result !== 'granted') ?? [];
  const at = siteIso(date, clock, zone);
  const run = async (e: Pick<FormEvent, 'preventDefault'>): Promise<void> => {
    e.preventDefault();
    if (!site || !at || busy) return;
    setBusy(true);
    setError(undefined);
    try {
      setResult(await api.dryRun(policyId, { version, siteId: site.id, at }));
    } catch (err) {
      setResult(undefined);
      setError(policyErrorText(err, t));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="policy-dry-run" aria-label={t('policy.dryRun')} data-testid="policy-dry-run">
      <h3>{t('policy.dryRun')}</h3>
      <form className="policy-bar" onSubmit={(e) => void run(e)} noValidate>
        <label>
          {t('policy.site')}
          <select value={siteId} onChange={(e) => setSiteId(e.target.value)} data-testid="dry-run-site">
            {sites.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('policy.version')}
          <select value={version} onChange={(e) => setVersion(Number(e.target.value))} data-testid="dry-run-version">
            {versions.map((v) => (
              <option key={v} value={v}>
                v{v}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('policy.dryRunDate')}
          <input type="date" value={date} onChange={(e) => setDate(e.target.value)} data-testid="dry-run-date" />
        </label>
        <label>
          {t('policy.dryRunTime')}
          <input type="time" value={clock} onChange={(e) => setClock(e.target.value)} data-testid="dry-run-time" />
        </label>
        <button type="submit" className="btn btn-primary" disabled={!at || busy || !site} data-testid="dry-run-submit">
          {t('policy.dryRunSubmit')}
        </button>
      </form>
      <p className="muted small">{at ? t('policy.dryRunAt', { at, zone }) : t('policy.dryRunBadTime')}</p>
      {error && (
        <p className="error-text" role="alert" data-testid="dry-run-error">
          {error}
        </p>
      )}
      {result && (
        <div data-testid="dry-run-result" data-site-open={String(result.siteOpen)}>
          <p>
            <strong>{result.siteOpen ? t('policy.dryRunOpen') : t('policy.dryRunClosed')}</strong>{' '}
            <span data-testid="dry-run-counts">{t('policy.dryRunCounts', { granted: result.decisions.length - denied, denied })}</span>
          </p>
          <label className="policy-check">
            <input type="checkbox" checked={deniedOnly} onChange={(e) => setDeniedOnly(e.target.checked)} data-testid="dry-run-denied-only" />
            {t('policy.dryRunDeniedOnly')}
          </label>
          <table className="data-table">
            <thead>
              <tr>
                <th>{t('policy.member')}</th>
                <th>{t('policy.zone')}</th>
                <th>{t('policy.result')}</th>
                <th>{t('policy.reason')}</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((d) => (
                <tr key={`${d.memberId}-${d.zoneId}`} data-testid="dry-run-decision" data-result={d.result}>
                  <td>{d.memberName ? `${d.memberName} (${d.memberId})` : d.memberId}</td>
                  <td>{d.zoneId}</td>
                  <td>{d.result}</td>
                  <td>{d.reason}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {result.decisions.length === 0 && <p className="muted small">{t('policy.dryRunNoDecisions')}</p>}
          <ul className="policy-dry-run-scenarios">
            {result.scenarios.map((s) => (
              <li key={s.scenarioId} data-testid="dry-run-scenario" data-fires={String(s.fires)}>
                <strong>{s.scenarioId}</strong>: {s.fires ? t('policy.fires') : t('policy.doesNotFire')} — {s.why}
              </li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}
