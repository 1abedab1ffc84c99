import { dynamicKey, useI18n } from '../../i18n/i18n';
import type { DoorReport } from '@cr/shared';
import { displayStatus, type CommandView } from './command-flow';

/** What each door did with a mode change: the ones that did not confirm first, named. */
function DoorResults({ doors }: { doors: DoorReport[] }) {
  const { t } = useI18n();
  const confirmed = doors.filter((d) => d.result === 'confirmed').length;
  const others = doors.filter((d) => d.result !== 'confirmed');
  return (
    <div className="command-doors" data-testid="command-doors">
      <div>{t('command.doorsConfirmed', { confirmed, total: doors.length })}</div>
      {others.length > 0 && (
        <ul>
          {others.map((d) => (
            <li key={d.doorId} data-door={d.doorId} data-result={d.result}>
              {d.doorId}: {t(dynamicKey('doorResult', d.result))}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** The live status line of a command; its tone follows the server's answer only. */
export function CommandStatusView({ view, via }: { view: CommandView; via: 'cloud' | 'lan' }) {
  const { t } = useI18n();
  const status = displayStatus(view);
  const tone = status === 'executed' ? 'ok' : ['failed', 'expired', 'rejected', 'send-failed', 'unconfirmed'].includes(status) ? 'bad' : 'busy';
  const error = view.phase === 'final' || view.phase === 'tracking' ? view.error : view.phase === 'send-failed' ? view.error : undefined;
  return (
    <div className={`command-status status-${tone}`} data-testid="command-status" data-status={status} role="status" aria-live="assertive">
      <strong>{t(dynamicKey('commandStatus', status))}</strong>
      <span className="muted"> · {t(via === 'lan' ? 'command.viaLan' : 'command.viaCloud')}</span>
      {error && <div className="command-error">{error === 'unreachable' ? t('command.unreachable') : error}</div>}
      {status === 'unconfirmed' && <div className="command-error">{t('command.unconfirmedHelp')}</div>}
      {view.phase === 'final' && view.doors && <DoorResults doors={view.doors} />}
    </div>
  );
}
