import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { useLiveData } from '../../app/live-data';
import { useServices } from '../../app/services-context';
import { useI18n } from '../../i18n/i18n';
import { formatSiteTime } from '../../i18n/site-time';
import { endOfLocalDay, startOfLocalDay } from '../events/local-day';

const PAGE_SIZE = 50;

/** Who did what, when and from where: the audit log, filtered by site and dates, paged. */
export function AuditPage() {
  const { api } = useServices();
  const { t } = useI18n();
  const { sites } = useLiveData();
  const [siteId, setSiteId] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [text, setText] = useState('');
  const [page, setPage] = useState(0);
  const tz = 'Asia/Seoul';
  const q = useQuery({
    queryKey: ['audit', siteId, from, to],
    queryFn: () => api.audit({ siteId: siteId || undefined, from: from ? startOfLocalDay(from, tz) : undefined, to: to ? endOfLocalDay(to, tz) : undefined, limit: 1000 }),
    placeholderData: keepPreviousData,
    refetchInterval: 30_000,
  });
  const filtered = useMemo(() => {
    const needle = text.trim().toLowerCase();
    const items = [...(q.data ?? [])].sort((a, b) => b.ts - a.ts);
    return needle ? items.filter((r) => `${r.actor} ${r.action} ${r.target} ${r.result} ${r.source ?? ''}`.toLowerCase().includes(needle)) : items;
  }, [q.data, text]);
  const pages = Math.max(1, Math.ceil(filtered.length / PAGE_SIZE));
  const current = Math.min(page, pages - 1);
  const rows = filtered.slice(current * PAGE_SIZE, (current + 1) * PAGE_SIZE);
  return (
    <div className="table-page" data-testid="audit-page">
      <div className="filter-bar">
        <select value={siteId} onChange={(e) => (setSiteId(e.target.value), setPage(0))} aria-label={t('alerts.site')} data-testid="audit-site">
          <option value="">{t('alerts.allSites')}</option>
          {sites.map((s) => (
            <option key={s.id} value={s.id}>
              {s.name}
            </option>
          ))}
        </select>
        <label className="inline-label">
          {t('events.from')} <input type="date" value={from} onChange={(e) => (setFrom(e.target.value), setPage(0))} data-testid="audit-from" />
        </label>
        <label className="inline-label">
          {t('events.to')} <input type="date" value={to} onChange={(e) => (setTo(e.target.value), setPage(0))} data-testid="audit-to" />
        </label>
        <input type="search" value={text} onChange={(e) => (setText(e.target.value), setPage(0))} placeholder={t('events.search')} data-testid="audit-search" />
      </div>
      <table className="data-table">
        <thead>
          <tr>
            <th>{t('events.time')}</th>
            <th>{t('audit.actor')}</th>
            <th>{t('audit.action')}</th>
            <th>{t('audit.target')}</th>
            <th>{t('audit.result')}</th>
            <th>{t('audit.where')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.id} data-testid="audit-row" data-action={r.action} data-result={r.result}>
              <td className="mono nowrap">{formatSiteTime(r.ts, tz)}</td>
              <td>{r.actor}</td>
              <td>{r.action}</td>
              <td className="mono small">{r.target}</td>
              <td>{r.result}</td>
              <td>{r.source ?? '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="pager">
        <span className="muted" data-testid="audit-status">
          {q.isError ? t('common.loadFailed') : q.isFetching && !q.data ? t('common.loading') : t('audit.page', { n: current + 1, pages, rows: filtered.length })}
        </span>
        <button type="button" className="btn" disabled={current === 0} onClick={() => setPage(current - 1)} data-testid="audit-prev">
          {t('common.prev')}
        </button>
        <button type="button" className="btn" disabled={current >= pages - 1} onClick={() => setPage(current + 1)} data-testid="audit-next">
          {t('common.next')}
        </button>
      </div>
    </div>
  );
}
