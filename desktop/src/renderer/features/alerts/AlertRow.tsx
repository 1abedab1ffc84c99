import { memo } from 'react';
import { formatLocal } from '@cr/shared';
import { dynamicKey, useI18n } from '../../i18n/i18n';
import type { SilenceRow } from '../notifications/notifications-api';
import { SilencedBadge } from '../notifications/SilencedBadge';
import type { FeedAlert } from './alert-feed';
import type { Viewer } from './use-presence';

export interface AlertRowProps {
  alert: FeedAlert;
  selected: boolean;
  canAct: boolean;
  viewers: readonly Viewer[] | undefined;
  /** the silence holding this alert's notifications back, if any */
  silence?: SilenceRow | undefined;
  onSelect: (id: string) => void;
  onAck: (a: FeedAlert) => void;
}

/** One alert in the console list; fixed height so streaming updates never reflow the list. */
export const AlertRow = memo(function AlertRow({ alert: a, selected, canAct, viewers, silence, onSelect, onAck }: AlertRowProps) {
  const { t } = useI18n();
  return (
    <li
      className={`alert-row sev-${a.severity} state-${a.state}${selected ? ' selected' : ''}`}
      data-testid={`alert-row-${a.id}`}
      data-alert-id={a.id}
      data-alert-type={a.type}
      data-site-id={a.siteId}
      data-state={a.state}
      data-cause-cleared={a.causeCleared ? 'true' : 'false'}
      data-severity={a.severity}
      aria-selected={selected}
      onClick={() => onSelect(a.id)}
    >
      <span className={`sev-chip sev-${a.severity}`}>{t(dynamicKey('severity', a.severity))}</span>
      <span className="alert-main">
        <strong>{t(dynamicKey('alertType', a.type))}</strong>
        <span className="muted">
          {a.siteName}
          {a.deviceId ? ` · ${a.deviceId}` : ''}
          {silence && (
            <>
              {' · '}
              <SilencedBadge silence={silence} timezone={a.timezone} testId={`alert-silenced-${a.id}`} />
            </>
          )}
        </span>
      </span>
      <span className="alert-time">{formatLocal(a.raisedAt, a.timezone)}</span>
      <span className={`state-chip state-${a.state}`}>
        {t(dynamicKey('alertState', a.state))}
        {a.causeCleared && a.state !== 'resolved' && (
          <span className="cause-cleared" data-testid={`alert-cause-cleared-${a.id}`} title={t('alerts.causeClearedAt', { at: formatLocal(a.clearedAt!, a.timezone) })}>
            {' · '}
            {t('alerts.causeCleared')}
          </span>
        )}
      </span>
      <span className="ack-count" data-testid={`alert-ack-count-${a.id}`} data-count={a.acks.length} title={a.acks.map((k) => `${k.by} (${k.where})`).join(', ')}>
        ✓{a.acks.length}
      </span>
      <span className="presence" data-testid={`alert-presence-${a.id}`} data-viewers={viewers?.map((v) => v.name).join(',') ?? ''}>
        {viewers && viewers.length > 0 ? `◉ ${viewers.map((v) => v.name).join(', ')}` : ''}
      </span>
      {canAct && a.state === 'open' ? (
        <button
          type="button"
          className="btn btn-primary"
          onClick={(e) => {
            e.stopPropagation();
            onAck(a);
          }}
          data-testid={`alert-ack-${a.id}`}
        >
          {t('alerts.ack')}
        </button>
      ) : (
        <span className="btn-placeholder" />
      )}
    </li>
  );
});
