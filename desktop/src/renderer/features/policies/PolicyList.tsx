import { useI18n } from '../../i18n/i18n';
import type { PolicySummary } from './policy-api';

/** The tenant's policies; ↑ and ↓ move between them, Enter or a click opens one. */
export function PolicyList({ policies, selectedId, onSelect }: { policies: readonly PolicySummary[]; selectedId: string | undefined; onSelect: (id: string) => void }) {
  const { t } = useI18n();
  const move = (from: number, by: number): void => {
    const next = policies[Math.max(0, Math.min(policies.length - 1, from + by))];
    if (!next) return;
    onSelect(next.id);
    document.querySelector<HTMLElement>(`[data-testid="policy-item-${next.id}"]`)?.focus();
  };
  if (policies.length === 0) return <p className="muted">{t('policy.none')}</p>;
  return (
    <ul className="policy-list" aria-label={t('policy.listLabel')} data-testid="policy-list">
      {policies.map((p, i) => (
        <li key={p.id}>
          <button
            type="button"
            className={p.id === selectedId ? 'policy-item selected' : 'policy-item'}
            aria-current={p.id === selectedId ? 'true' : undefined}
            onClick={() => onSelect(p.id)}
            onKeyDown={(e) => {
              if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
                e.preventDefault();
                move(i, e.key === 'ArrowDown' ? 1 : -1);
              }
            }}
            data-testid={`policy-item-${p.id}`}
          >
            <strong>{p.name}</strong>
            <span className="muted small">{t('policy.latest', { version: p.latestVersion })}</span>
          </button>
        </li>
      ))}
    </ul>
  );
}
