import { useCallback, useMemo, useRef, useState } from 'react';
import { useLiveData } from '../../app/live-data';
import { navigate } from '../../app/router';
import { useShortcuts } from '../../app/shortcuts';
import { capabilitiesFor } from '../../app/capabilities';
import type { User } from '../../data/api-types';
import { useI18n } from '../../i18n/i18n';
import { silenceFor, useSilences } from '../notifications/silences';
import { countsByState, DEFAULT_FILTER, visibleAlerts, type AlertFilter, type AlertSort, type FeedAlert } from './alert-feed';
import { AlertDetail } from './AlertDetail';
import { AlertFilters } from './AlertFilters';
import { AlertRow } from './AlertRow';
import { useAlertActions } from './use-alert-actions';
import { usePresence } from './use-presence';

/** Rows rendered at once; the filter narrows further. Keeps the list fast with thousands of alerts. */
const MAX_ROWS = 300;

/** The live alert list across sites with filters, one-key acknowledgement and a detail panel. */
export function AlertConsole({ user, selectedId }: { user: User; selectedId?: string }) {
  const { t } = useI18n();
  const { alerts, sites, siteDocs } = useLiveData();
  const [filter, setFilter] = useState<AlertFilter>(DEFAULT_FILTER);
  const [sort, setSort] = useState<AlertSort>('severity');
  const searchRef = useRef<HTMLInputElement | null>(null);
  const noteRef = useRef<HTMLTextAreaElement | null>(null);
  const actions = useAlertActions(user);
  const canActOn = useCallback((siteId: string) => capabilitiesFor(user, siteId).actOnAlerts, [user]);
  const notifications = useMemo(() => capabilitiesFor(user).notifications, [user]);
  // One silences list for every row and the detail, refreshed every 30 s.
  const silences = useSilences(notifications).data;
  const shown = useMemo(() => visibleAlerts(alerts, filter, sort), [alerts, filter, sort]);
  const counts = useMemo(() => countsByState(alerts), [alerts]);
  const selected = alerts.find((a) => a.id === selectedId);
  const viewing = useMemo(() => (selected ? { siteId: selected.siteId, alertId: selected.id } : undefined), [selected?.siteId, selected?.id, selected]);
  const viewers = usePresence(siteDocs, user.email ?? user.name ?? user.id, viewing);
  const select = useCallback((id: string) => navigate({ name: 'alerts', alertId: id }), []);
  const ack = useCallback((a: FeedAlert) => actions.ack(a), [actions]);

  const move = (delta: number): void => {
    const i = shown.findIndex((a) => a.id === selectedId);
    const next = shown[Math.min(shown.length - 1, Math.max(0, i + delta))];
    if (next) select(next.id);
  };
  useShortcuts([
    { key: 'j', help: 'help.nextAlert', run: () => move(1) },
    { key: 'k', help: 'help.prevAlert', run: () => move(-1) },
    {
      key: 'a',
      help: 'help.ackAlert',
      run: () => {
        const target = selected?.state === 'open' ? selected : shown.find((a) => a.state === 'open');
        if (target && canActOn(target.siteId)) actions.ack(target);
      },
    },
    { key: 'r', help: 'help.resolveAlert', run: () => selected && selected.state !== 'resolved' && canActOn(selected.siteId) && actions.resolve(selected, '') },
    { key: 'n', help: 'help.noteAlert', run: () => noteRef.current?.focus() },
    { key: '/', help: 'help.search', run: () => searchRef.current?.focus() },
  ]);

  return (
    <div className="alert-console" data-testid="alert-console">
      <section className="alert-list-pane">
        <div className="alert-summary" data-testid="alert-summary">
          {t('alerts.summary', { open: counts.open, acknowledged: counts.acknowledged, resolved: counts.resolved })}
          {user.role === 'vendor' && <span className="muted"> · {t('alerts.vendorScope')}</span>}
        </div>
        <AlertFilters filter={filter} sort={sort} sites={sites} onFilter={setFilter} onSort={setSort} searchRef={searchRef} />
        <ul className="alert-list" data-testid="alert-list" aria-label={t('nav.alerts')}>
          {shown.slice(0, MAX_ROWS).map((a) => (
            <AlertRow key={a.id} alert={a} selected={a.id === selectedId} canAct={canActOn(a.siteId)} viewers={viewers.get(a.id)} silence={silenceFor(a, silences)} onSelect={select} onAck={ack} />
          ))}
          {shown.length === 0 && <li className="muted empty-row">{t('alerts.none')}</li>}
        </ul>
      </section>
      <aside className="alert-detail-pane">
        {selected ? (
          <AlertDetail key={selected.id} alert={selected} canAct={canActOn(selected.siteId)} viewers={viewers.get(selected.id) ?? []} actions={actions} noteRef={noteRef} notifications={notifications} silence={silenceFor(selected, silences)} />
        ) : (
          <p className="muted">{t('alerts.selectHint')}</p>
        )}
      </aside>
    </div>
  );
}
