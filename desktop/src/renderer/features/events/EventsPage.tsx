import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { useLiveData } from '../../app/live-data';
import { navigate } from '../../app/router';
import { useServices } from '../../app/services-context';
import { useI18n } from '../../i18n/i18n';
import { eventDetails, formatSiteTime } from '../../i18n/site-time';
import { ReportExport } from '../reports/ReportExport';
import { endOfLocalDay, startOfLocalDay } from './local-day';

const PAGE_SIZE = 50;
const TYPES = ['', 'access.granted', 'access.denied', 'door.forced', 'door.held-open', 'fire.alarm', 'fire.clear', 'tamper', 'motion', 'fault', 'command.executed', 'command.failed', 'mode.changed', 'device.offline', 'device.online'];

/** The access and device event log of one site, paged by the server's cursor. */
export function EventsPage({ siteId }: { siteId?: string }) {
  const { api } = useServices();
  const { t } = useI18n();
  const { sites, siteById } = useLiveData();
  const site = siteId ?? sites[0]?.id;
  const tz = (site && siteById.get(site)?.timezone) || 'Asia/Seoul';
  const [type, setType] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [text, setText] = useState('');
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const cursor = cursors[cursors.length - 1];
  const range = { from: from ? startOfLocalDay(from, tz) : undefined, to: to ? endOfLocalDay(to, tz) : undefined };
  const q = useQuery({
    queryKey: ['events', site, type, range.from, range.to, cursor],
    queryFn: () => api.events({ siteId: site!, type: type || undefined, ...range, limit: PAGE_SIZE, cursor }),
    enabled: !!site,
    placeholderData: keepPreviousData,
  });
  const reset = (): void => setCursors([undefined]);
  const rows = useMemo(() => {
    const needle = text.trim().toLowerCase();
    const items = q.data?.items ?? [];
    return needle ? items.filter((e) => `${e.type} ${e.deviceId ?? ''} ${JSON.stringify(e.data ?? {})}`.toLowerCase().includes(needle)) : items;
  }, [q.data, text]);
  return (
    <div className="table-page" data-testid="events-page">
      <div className="filter-bar">
        <select value={site ?? ''} onChange={(e) => (navigate({ name: 'events', siteId: e.target.value }), reset())} aria-label={t('alerts.site')} data-testid="events-site">
          {sites.map((s) => (
            <option key={s.id} value={s.id}>
              {s.name}
            </option>
          ))}
        </select>
        <select value={type} onChange={(e) => (setType(e.target.value), reset())} aria-label={t('events.type')} data-testid="events-type">
          {TYPES.map((ty) => (
            <option key={ty} value={ty}>
              {ty || t('events.allTypes')}
            </option>
          ))}
        </select>
        <label className="inline-label">
          {t('events.from')} <input type="date" value={from} onChange={(e) => (setFrom(e.target.value), reset())} data-testid="events-from" />
        </label>
        <label className="inline-label">
          {t('events.to')} <input type="date" value={to} onChange={(e) => (setTo(e.target.value), reset())} data-testid="events-to" />
        </label>
        <input type="search" value={text} onChange={(e) => setText(e.target.value)} placeholder={t('events.search')} data-testid="events-search" />
      </div>
      {site && <ReportExport siteId={site} to={range.to} />}
      <table className="data-table">
        <thead>
          <tr>
            <th>{t('events.time')}</th>
            <th>{t('events.type')}</th>
            <th>{t('events.device')}</th>
            <th>{t('events.details')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((e) => (
            <tr key={e.id} data-testid="events-row" data-type={e.type} className={e.type === 'access.denied' || e.type === 'door.forced' ? 'row-warn' : ''}>
              <td className="mono nowrap">{formatSiteTime(e.ts, tz)}</td>
              <td>{e.type}</td>
              <td className="nowrap">{e.deviceId ?? '—'}</td>
              <td className="small ellipsis" title={eventDetails(e.data)}>
                {eventDetails(e.data)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="pager">
        <span className="muted" data-testid="events-status">
          {q.isError ? t('common.loadFailed') : q.isFetching ? t('common.loading') : t('events.page', { n: cursors.length, rows: rows.length })}
        </span>
        <button type="button" className="btn" disabled={cursors.length <= 1} onClick={() => setCursors((c) => c.slice(0, -1))} data-testid="events-prev">
          {t('common.prev')}
        </button>
        <button type="button" className="btn" disabled={!q.data?.nextCursor} onClick={() => setCursors((c) => [...c, q.data?.nextCursor ?? undefined])} data-testid="events-next">
          {t('common.next')}
        </button>
      </div>
    </div>
  );
}
