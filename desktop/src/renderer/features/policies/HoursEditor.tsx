import type { WeekdayKey } from '@cr/shared';
import { dynamicKey, useI18n } from '../../i18n/i18n';
import { FieldProblems } from './FieldProblems';
import { NEW_RANGE, WEEK, dayInMode, withDay, type DayMode, type PolicyForm, type TimeRange } from './policy-form';
import { problemsAt, type FieldProblem } from './policy-paths';

const MODES: readonly DayMode[] = ['unset', 'hours', 'closed'];

/** Opening hours per weekday (site time): no hours set, time ranges with add/remove, or closed; then closed dates and holidays. */
export function HoursEditor({ form, readOnly, problems, onChange }: { form: PolicyForm; readOnly: boolean; problems: readonly FieldProblem[]; onChange: (f: PolicyForm) => void }) {
  const { t } = useI18n();
  const setRange = (day: WeekdayKey, i: number, patch: Partial<TimeRange>): void =>
    onChange(withDay(form, day, (d) => ({ ...d, ranges: d.ranges.map((r, j) => (j === i ? { ...r, ...patch } : r)) })));
  const dates = form.closedDates;
  return (
    <fieldset className="policy-hours" disabled={readOnly} data-testid="policy-hours">
      <legend>{t('policy.openingHours')}</legend>
      <p className="muted small">{t('policy.hoursHint')}</p>
      {WEEK.map((day) => {
        const d = form.days[day];
        const dayName = t(dynamicKey('policy.day', day));
        return (
          <div key={day} className="policy-day" data-testid={`policy-day-${day}`} data-mode={d.mode}>
            <label className="policy-day-name">
              <span>{dayName}</span>
              <select value={d.mode} onChange={(e) => onChange(withDay(form, day, (x) => dayInMode(x, e.target.value as DayMode)))} aria-label={t('policy.dayMode', { day: dayName })} data-testid={`policy-day-mode-${day}`}>
                {MODES.map((m) => (
                  <option key={m} value={m}>
                    {t(dynamicKey('policy.mode', m))}
                  </option>
                ))}
              </select>
            </label>
            <div className="policy-ranges">
              {d.mode === 'hours' &&
                d.ranges.map((r, i) => (
                  <span key={i} className="policy-range" data-testid={`policy-range-${day}-${i}`}>
                    <input type="text" inputMode="numeric" size={5} placeholder="HH:MM" value={r.start} onChange={(e) => setRange(day, i, { start: e.target.value })} aria-label={t('policy.rangeStart', { day: dayName, n: i + 1 })} data-testid={`policy-start-${day}-${i}`} />
                    <span aria-hidden="true">–</span>
                    <input type="text" inputMode="numeric" size={5} placeholder="HH:MM" value={r.end} onChange={(e) => setRange(day, i, { end: e.target.value })} aria-label={t('policy.rangeEnd', { day: dayName, n: i + 1 })} data-testid={`policy-end-${day}-${i}`} />
                    <button type="button" className="btn btn-small" onClick={() => onChange(withDay(form, day, (x) => ({ ...x, ranges: x.ranges.filter((_, j) => j !== i) })))} aria-label={t('policy.removeRange', { day: dayName, n: i + 1 })} data-testid={`policy-remove-${day}-${i}`}>
                      ✕
                    </button>
                    <FieldProblems problems={problemsAt(problems, `hours.${day}.${i}`, true)} testId={`policy-problem-${day}-${i}`} />
                  </span>
                ))}
              {d.mode === 'hours' && (
                <button type="button" className="btn btn-small" onClick={() => onChange(withDay(form, day, (x) => ({ ...x, ranges: [...x.ranges, NEW_RANGE] })))} data-testid={`policy-add-${day}`}>
                  {t('policy.addRange')}
                </button>
              )}
              <FieldProblems problems={problemsAt(problems, `hours.${day}`)} testId={`policy-problem-${day}`} />
            </div>
          </div>
        );
      })}
      <FieldProblems problems={problemsAt(problems, 'hours')} testId="policy-problem-hours" />
      <div className="policy-closed-dates">
        <span>{t('policy.closedDates')}</span>
        {dates.map((date, i) => (
          <span key={i} className="policy-range">
            <input type="date" value={date} onChange={(e) => onChange({ ...form, closedDates: dates.map((x, j) => (j === i ? e.target.value : x)) })} aria-label={t('policy.closedDate', { n: i + 1 })} data-testid={`policy-closed-${i}`} />
            <button type="button" className="btn btn-small" onClick={() => onChange({ ...form, closedDates: dates.filter((_, j) => j !== i) })} aria-label={t('policy.removeClosedDate', { n: i + 1 })}>
              ✕
            </button>
            <FieldProblems problems={problemsAt(problems, `closedDates.${i}`)} testId={`policy-problem-closed-${i}`} />
          </span>
        ))}
        <button type="button" className="btn btn-small" onClick={() => onChange({ ...form, closedDates: [...dates, ''] })} data-testid="policy-add-closed">
          {t('policy.addClosedDate')}
        </button>
        <FieldProblems problems={problemsAt(problems, 'closedDates')} testId="policy-problem-closed" />
      </div>
      <label className="policy-check">
        <input type="checkbox" checked={form.holidays} onChange={(e) => onChange({ ...form, holidays: e.target.checked })} data-testid="policy-holidays" />
        {t('policy.holidays')}
      </label>
      <FieldProblems problems={problemsAt(problems, 'holidays')} testId="policy-problem-holidays" />
    </fieldset>
  );
}
