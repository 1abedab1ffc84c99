import { formatLocal } from '@cr/shared';
import { useI18n } from '../../i18n/i18n';
import type { SilenceRow } from './notifications-api';

/** "HH:MM" when the instant is today at the site, else the full local date and time. */
export function untilText(ts: number, timeZone: string, now = Date.now()): string {
  const text = formatLocal(ts, timeZone);
  return text.slice(0, 10) === formatLocal(now, timeZone).slice(0, 10) ? text.slice(11) : text;
}

/** Says that notifications of an alert are held back by a silence, until when and by whom. */
export function SilencedBadge({
  silence: s,
  timezone,
  testId,
}: {
  silence: SilenceRow;
  timezone: string;
  testId: string;
}) {
  const { t } = useI18n();
  const until = untilText(Math.min(s.endsAt, s.endedAt ?? Infinity), timezone);
  return (
    <span className="silenced-badge" data-testid={testId} data-silence-id={s.id} title={s.reason}>
      {t('silence.badge', { until, name: s.author.name })}
    </span>
  );
}
