import { useI18n } from '../../i18n/i18n';
import type { DeviceHealthView } from './fleet-api';

const DAY_MS = 86_400_000;
const WIDTH = 700;
const HEIGHT = 28;

/**
 * Seven days of a device's availability as one bar: green online, grey offline, dark where nothing
 * is known; day ticks underneath, today at the right.
 */
export function AvailabilityStrip({ spans, now, days = 7 }: { spans: DeviceHealthView['availability']; now: number; days?: number }) {
  const { t } = useI18n();
  const start = now - days * DAY_MS;
  const x = (ts: number): number => ((Math.min(Math.max(ts, start), now) - start) / (now - start)) * WIDTH;
  return (
    <svg className="availability-strip" viewBox={`0 0 ${WIDTH} ${HEIGHT + 12}`} role="img" aria-label={t('fleet.stripLabel', { days })} data-testid="availability-strip">
      <rect x={0} y={0} width={WIDTH} height={HEIGHT} className="strip-unknown" rx={3} />
      {spans.map((s) => {
        const x0 = x(s.from);
        const w = Math.max(1, x(s.to ?? now) - x0);
        return <rect key={s.from} x={x0} y={0} width={w} height={HEIGHT} className={`strip-${s.state}`} data-state={s.state} />;
      })}
      {Array.from({ length: days + 1 }, (_, i) => (
        <line key={i} x1={(i / days) * WIDTH} x2={(i / days) * WIDTH} y1={HEIGHT} y2={HEIGHT + 6} className="strip-tick" />
      ))}
    </svg>
  );
}
