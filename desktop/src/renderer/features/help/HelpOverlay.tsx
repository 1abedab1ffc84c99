import { useI18n, type MessageKey } from '../../i18n/i18n';
import type { Shortcut } from '../../app/shortcuts';

const keyLabel = (k: string): string => (k === ' ' ? 'Space' : k === 'Escape' ? 'Esc' : k);

/** The list of keyboard shortcuts, opened with `?`. */
export function HelpOverlay({ shortcuts, onClose }: { shortcuts: readonly Shortcut[]; onClose: () => void }) {
  const { t } = useI18n();
  return (
    <div className="overlay" role="dialog" aria-modal="true" aria-labelledby="help-title" data-testid="help-overlay" onClick={onClose}>
      <div className="overlay-panel" onClick={(e) => e.stopPropagation()}>
        <h2 id="help-title">{t('help.title')}</h2>
        <table className="help-table">
          <tbody>
            {shortcuts.map((s) => (
              <tr key={s.key}>
                <td>
                  <kbd>{keyLabel(s.key)}</kbd>
                </td>
                <td>{t(s.help as MessageKey)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <button type="button" className="btn" onClick={onClose} autoFocus>
          {t('common.close')}
        </button>
      </div>
    </div>
  );
}
