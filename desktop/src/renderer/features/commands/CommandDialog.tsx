import { useEffect, useRef, useState, type FormEvent } from 'react';
import { DEFAULT_PULSE_MS, DOOR_ACTIONS, type DoorAction } from '@cr/shared';
import { useServices } from '../../app/services-context';
import type { User } from '../../data/api-types';
import type { CommandRoute } from '../../data/api-client';
import { dynamicKey, useI18n } from '../../i18n/i18n';
import { isTracking, type CommandView } from './command-flow';
import { isReasonValid, pulseMs, type CommandTarget } from './command-target';
import { CommandStatusView } from './CommandStatusView';
import { trackCommand } from './track-command';
import { useCommandRoute } from './use-command-route';

/**
 * Confirmation and live status of a door command or site-mode change. Names the site and the door
 * (or mode), requires a reason, then shows the server's status until it is final.
 */
export function CommandDialog({ target, user, onClose }: { target: CommandTarget; user: User; onClose: () => void }) {
  const { api } = useServices();
  const { t } = useI18n();
  const route = useCommandRoute(target.siteId, user);
  const [action, setAction] = useState<DoorAction>(target.kind === 'door' ? (target.action ?? 'pulse-unlock') : 'unlock');
  const [seconds, setSeconds] = useState(String(DEFAULT_PULSE_MS / 1000));
  const [reason, setReason] = useState('');
  const [view, setView] = useState<CommandView | undefined>();
  const [sentVia, setSentVia] = useState<CommandRoute['via']>('cloud');
  const abort = useRef(new AbortController());
  useEffect(() => () => abort.current.abort(), []);

  const duration = action === 'pulse-unlock' ? pulseMs(seconds) : undefined;
  const valid = isReasonValid(reason) && (action !== 'pulse-unlock' || duration !== undefined || target.kind === 'mode');
  const busy = view !== undefined && isTracking(view);

  const submit = (e: FormEvent): void => {
    e.preventDefault();
    if (!valid || view) return;
    const r = route;
    setSentVia(r.via);
    const send =
      target.kind === 'door'
        ? () => api.doorCommand(target.siteId, target.doorId, { action, reason: reason.trim(), ...(duration ? { durationMs: duration } : {}) }, r)
        : () => api.siteMode(target.siteId, { mode: target.mode, reason: reason.trim() }, r);
    void trackCommand({ send, poll: (id) => api.command(id, r) }, setView, { signal: abort.current.signal });
  };

  const question =
    target.kind === 'door'
      ? t('command.confirmDoor', { action: t(dynamicKey('doorAction', action)), door: target.doorName, site: target.siteName })
      : t('command.confirmMode', { mode: t(dynamicKey('mode', target.mode)), site: target.siteName });

  return (
    <div className="overlay" role="dialog" aria-modal="true" aria-labelledby="command-title" data-testid="command-dialog" onKeyDown={(e) => e.key === 'Escape' && !busy && onClose()}>
      <form className="overlay-panel command-panel" onSubmit={submit}>
        <h2 id="command-title">{target.kind === 'door' ? t('command.doorTitle') : t('command.modeTitle')}</h2>
        <dl className="command-facts">
          <dt>{t('command.site')}</dt>
          <dd data-testid="command-site">{target.siteName}</dd>
          {target.kind === 'door' ? (
            <>
              <dt>{t('command.door')}</dt>
              <dd data-testid="command-door">{target.doorName}</dd>
            </>
          ) : (
            <>
              <dt>{t('command.mode')}</dt>
              <dd data-testid="command-mode">{t(dynamicKey('mode', target.mode))}</dd>
            </>
          )}
        </dl>
        {target.kind === 'door' && (
          <div className="segmented" role="radiogroup" aria-label={t('command.action')}>
            {DOOR_ACTIONS.map((a) => (
              <button key={a} type="button" role="radio" aria-checked={action === a} className={action === a ? 'seg active' : 'seg'} onClick={() => setAction(a)} disabled={!!view} data-testid={`command-action-${a}`}>
                {t(dynamicKey('doorAction', a))}
              </button>
            ))}
          </div>
        )}
        {target.kind === 'door' && action === 'pulse-unlock' && (
          <label>
            {t('command.seconds')}
            <input type="number" min={1} max={300} value={seconds} onChange={(e) => setSeconds(e.target.value)} disabled={!!view} data-testid="command-seconds" />
          </label>
        )}
        <label>
          {t('command.reason')}
          <input value={reason} onChange={(e) => setReason(e.target.value)} maxLength={500} required disabled={!!view} autoFocus placeholder={t('command.reasonHint')} data-testid="command-reason" />
        </label>
        <p className="command-question">{question}</p>
        {view && <CommandStatusView view={view} via={sentVia} />}
        <div className="dialog-actions">
          {!view && (
            <button type="submit" className={target.kind === 'mode' && target.mode !== 'normal' ? 'btn btn-danger btn-large' : 'btn btn-primary btn-large'} disabled={!valid} data-testid="command-confirm">
              {t('command.confirm')}
            </button>
          )}
          <button type="button" className="btn btn-large" onClick={onClose} data-testid={view ? 'command-close' : 'command-cancel'}>
            {view ? t('common.close') : t('common.cancel')}
          </button>
        </div>
      </form>
    </div>
  );
}
