import { useState, type FormEvent, type RefObject } from 'react';
import { formatLocal } from '@cr/shared';
import { dynamicKey, useI18n } from '../../i18n/i18n';
import { DeliveryLog } from '../notifications/DeliveryLog';
import type { SilenceRow } from '../notifications/notifications-api';
import { SilencedBadge } from '../notifications/SilencedBadge';
import type { FeedAlert } from './alert-feed';
import type { Viewer } from './use-presence';

export interface AlertActions {
  ack: (a: FeedAlert) => void;
  note: (a: FeedAlert, text: string) => void;
  assign: (a: FeedAlert, to: string) => void;
  resolve: (a: FeedAlert, reason: string) => void;
}

/**
 * Everything about one alert: facts, every acknowledgement (who/when/where), notes, assignment,
 * resolve; for those who may read it, who was notified (`notifications`) and the silence holding
 * notifications back.
 */
export function AlertDetail({
  alert: a,
  canAct,
  viewers,
  actions,
  noteRef,
  notifications = false,
  silence,
}: {
  alert: FeedAlert;
  canAct: boolean;
  viewers: readonly Viewer[];
  actions: AlertActions;
  noteRef: RefObject<HTMLTextAreaElement | null>;
  notifications?: boolean;
  silence?: SilenceRow | undefined;
}) {
  const { t } = useI18n();
  const [note, setNote] = useState('');
  const [assignee, setAssignee] = useState('');
  const [reason, setReason] = useState('');
  const at = (ts: number): string => formatLocal(ts, a.timezone);
  const submitNote = (e: FormEvent): void => {
    e.preventDefault();
    if (!note.trim()) return;
    actions.note(a, note.trim());
    setNote('');
  };
  const submitAssign = (e: FormEvent): void => {
    e.preventDefault();
    if (!assignee.trim()) return;
    actions.assign(a, assignee.trim());
    setAssignee('');
  };
  return (
    <div className="alert-detail" data-testid="alert-detail" data-alert-id={a.id} data-state={a.state}>
      <h2>
        <span className={`sev-chip sev-${a.severity}`}>{t(dynamicKey('severity', a.severity))}</span> {t(dynamicKey('alertType', a.type))}
      </h2>
      {silence && <SilencedBadge silence={silence} timezone={a.timezone} testId="alert-detail-silenced" />}
      {'summaryOnly' in a && a.summaryOnly === true && (
        <p className="muted" data-testid="alert-summary-only">
          {t('alerts.summaryOnly')}
        </p>
      )}
      <dl className="facts">
        <dt>{t('alerts.site')}</dt>
        <dd>
          <a href={`#/sites/${a.siteId}`}>{a.siteName}</a>
        </dd>
        <dt>{t('alerts.device')}</dt>
        <dd>{a.deviceId ?? '—'}</dd>
        <dt>{t('alerts.raisedAt')}</dt>
        <dd>{at(a.raisedAt)}</dd>
        <dt>{t('alerts.state')}</dt>
        <dd data-testid="alert-detail-state">{t(dynamicKey('alertState', a.state))}</dd>
        <dt>{t('alerts.cause')}</dt>
        <dd data-testid="alert-detail-cause" data-cause-cleared={a.causeCleared ? 'true' : 'false'}>
          {a.causeCleared ? (a.clearedAt !== undefined ? t('alerts.causeClearedAt', { at: at(a.clearedAt) }) : t('alerts.causeCleared')) : t('alerts.causeActive')}
          {a.causes.length > 0 && (
            <ul className="entry-list" data-testid="alert-cause-history">
              {a.causes.map((c) => (
                <li key={`${c.state}|${c.at}|${c.by}`}>
                  {t(c.state === 'cleared' ? 'alerts.causeMarkCleared' : 'alerts.causeMarkActive', { at: at(c.at), by: c.by })}
                  {c.reason ? ` — ${c.reason}` : ''}
                </li>
              ))}
            </ul>
          )}
        </dd>
        <dt>{t('alerts.assignee')}</dt>
        <dd data-testid="alert-assignee">{a.assignee ?? '—'}</dd>
        {a.message && (
          <>
            <dt>{t('alerts.message')}</dt>
            <dd>{a.message}</dd>
          </>
        )}
      </dl>
      {viewers.length > 0 && (
        <p className="presence-line" data-testid="alert-viewers">
          {t('alerts.alsoViewing', { names: viewers.map((v) => v.name).join(', ') })}
        </p>
      )}
      <h3>{t('alerts.acks', { n: a.acks.length })}</h3>
      <ul className="entry-list" data-testid={`alert-acks-${a.id}`}>
        {a.acks.map((k) => (
          <li key={`${k.by}|${k.at}|${k.where}`} data-testid="alert-ack-entry" data-by={k.by} data-where={k.where}>
            <b>{k.by}</b> · {at(k.at)} · {t('alerts.where', { where: k.where })}
          </li>
        ))}
        {a.acks.length === 0 && <li className="muted">{t('alerts.noAcks')}</li>}
      </ul>
      <h3>{t('alerts.notes', { n: a.notes.length })}</h3>
      <ul className="entry-list" data-testid="alert-notes">
        {a.notes.map((n) => (
          <li key={n.id} data-testid="alert-note-entry">
            <b>{n.by}</b> · {at(n.at)} · {n.where}
            <div className="note-text">{n.text}</div>
          </li>
        ))}
      </ul>
      {a.resolutions.length > 0 && (
        <p data-testid="alert-resolution">
          {t('alerts.resolvedBy', { by: a.resolutions[0]!.by, at: at(a.resolutions[0]!.at), where: a.resolutions[0]!.where })}
        </p>
      )}
      {notifications && <DeliveryLog alertId={a.id} timezone={a.timezone} />}
      {canAct && (
        <div className="alert-actions">
          {a.state === 'open' && (
            <button type="button" className="btn btn-primary btn-large" onClick={() => actions.ack(a)} data-testid="alert-detail-ack">
              {t('alerts.ack')} (a)
            </button>
          )}
          <form onSubmit={submitNote} className="inline-form">
            <textarea ref={noteRef} value={note} onChange={(e) => setNote(e.target.value)} maxLength={2000} rows={2} placeholder={t('alerts.notePlaceholder')} data-testid="alert-note-input" />
            <button type="submit" className="btn" disabled={!note.trim()} data-testid="alert-note-add">
              {t('alerts.addNote')}
            </button>
          </form>
          <form onSubmit={submitAssign} className="inline-form">
            <input value={assignee} onChange={(e) => setAssignee(e.target.value)} maxLength={200} placeholder={t('alerts.assignPlaceholder')} data-testid="alert-assign-input" />
            <button type="submit" className="btn" disabled={!assignee.trim()} data-testid="alert-assign-submit">
              {t('alerts.assign')}
            </button>
          </form>
          {a.state !== 'resolved' && (
            <form onSubmit={(e) => (e.preventDefault(), actions.resolve(a, reason.trim()))} className="inline-form">
              <input value={reason} onChange={(e) => setReason(e.target.value)} maxLength={500} placeholder={t('alerts.resolveReason')} data-testid="alert-resolve-reason" />
              <button type="submit" className="btn btn-danger" data-testid="alert-resolve">
                {t('alerts.resolve')}
              </button>
            </form>
          )}
        </div>
      )}
    </div>
  );
}
