import { localTime } from '@cr/shared';
import { dynamicKey, useI18n } from '../../i18n/i18n';
import type { BookingForm } from './booking-form';
import { WEEK_ORDER } from './booking-plan';
import { localToEpoch } from './booking-time';

/** Weekly repeat of a new booking: weekdays (the first booking's day always among them), weeks, holidays. */
export function RepeatFields({ form, timeZone, count, onChange }: { form: BookingForm; timeZone: string; count: number; onChange: (patch: Partial<BookingForm>) => void }) {
  const { t } = useI18n();
  const first = localTime(localToEpoch(form.date, 12 * 60, timeZone) ?? Date.now(), timeZone).weekday;
  const toggle = (day: number, on: boolean): void => onChange({ weekdays: on ? [...form.weekdays, day] : form.weekdays.filter((d) => d !== day) });
  return (
    <>
      <label className="booking-check">
        <input type="checkbox" checked={form.repeat} onChange={(e) => onChange({ repeat: e.target.checked })} data-testid="booking-repeat" />
        {t('booking.repeat')}
      </label>
      {form.repeat && (
        <fieldset className="booking-repeat" data-testid="booking-repeat-fields">
          <legend>{t('booking.repeatDays')}</legend>
          <div className="booking-weekdays">
            {WEEK_ORDER.map((d) => (
              <label key={d} className="booking-check">
                <input type="checkbox" checked={d === first || form.weekdays.includes(d)} disabled={d === first} onChange={(e) => toggle(d, e.target.checked)} data-testid={`booking-weekday-${d}`} />
                {t(dynamicKey('booking.weekday', String(d)))}
              </label>
            ))}
          </div>
          <label>
            {t('booking.repeatWeeks')}
            <input type="number" min={1} max={52} value={form.weeks} onChange={(e) => onChange({ weeks: Number(e.target.value) || 1 })} data-testid="booking-weeks" />
          </label>
          <label className="booking-check">
            <input type="checkbox" checked={form.skipHolidays} onChange={(e) => onChange({ skipHolidays: e.target.checked })} data-testid="booking-skip-holidays" />
            {t('booking.skipHolidays')}
          </label>
          <p className="muted small" data-testid="booking-repeat-summary">
            {t('booking.repeatSummary', { n: count })}
          </p>
        </fieldset>
      )}
    </>
  );
}
