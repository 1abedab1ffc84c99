import { dynamicKey, useI18n } from '../../i18n/i18n';
import { displayStatus, type CommandView } from './command-flow';

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
    </div>
  );
}
