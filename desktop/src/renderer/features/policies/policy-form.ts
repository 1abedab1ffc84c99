import { WEEKDAY_KEYS, policyBodySchema, type PolicyBody, type WeekdayKey } from '@cr/shared';
import { fieldOfPath, type FieldProblem } from './policy-paths';

/**
 * The editor's form of a policy body: opening hours per weekday as time ranges, closed dates and
 * the holidays switch as fields, everything else (access, booking, thresholds, scenarios) as raw
 * JSON. `bodyOf` turns it back into a body and checks it with the schema the cloud and edge use.
 */

/** `unset`: the policy names no hours for the day (open all day); `closed`: an empty list. */
export type DayMode = 'unset' | 'hours' | 'closed';
export interface TimeRange {
  start: string;
  end: string;
}
export interface DayForm {
  mode: DayMode;
  ranges: TimeRange[];
}
export interface PolicyForm {
  days: Record<WeekdayKey, DayForm>;
  closedDates: string[];
  holidays: boolean;
  /** the body without openingHours and holidays, as JSON text */
  rest: string;
}

/** Monday first, as the editor lists the week. */
export const WEEK: readonly WeekdayKey[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
export const NEW_RANGE: TimeRange = { start: '09:00', end: '18:00' };

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The form of a stored body (a body the schema no longer reads is still shown, its odd parts kept in the raw JSON). */
export function formOf(body: unknown): PolicyForm {
  const b = isRecord(body) ? body : {};
  const hours = isRecord(b.openingHours) ? b.openingHours : {};
  const days = Object.fromEntries(
    WEEKDAY_KEYS.map((k) => {
      const list = hours[k];
      if (!Array.isArray(list)) return [k, { mode: 'unset', ranges: [] }];
      const ranges = list.filter((r): r is [string, string] => Array.isArray(r) && r.length === 2).map(([start, end]) => ({ start: String(start), end: String(end) }));
      return [k, { mode: ranges.length ? 'hours' : 'closed', ranges }];
    }),
  ) as Record<WeekdayKey, DayForm>;
  const { openingHours: _hours, holidays, ...rest } = b;
  const closedDates = Array.isArray(hours.closedDates) ? hours.closedDates.map(String) : [];
  return { days, closedDates, holidays: isRecord(holidays) && holidays.country === 'KR', rest: JSON.stringify(rest, null, 2) };
}

export const blankForm = (): PolicyForm => formOf({});

/** What the form says as a body, before checking: undefined `rest` when its JSON does not parse. */
export function draftOf(form: PolicyForm): { body: Record<string, unknown>; restError?: string } {
  let rest: Record<string, unknown> = {};
  let restError: string | undefined;
  try {
    const parsed: unknown = form.rest.trim() ? JSON.parse(form.rest) : {};
    if (isRecord(parsed)) rest = parsed;
    else restError = 'must be a JSON object';
  } catch (err) {
    restError = (err as Error).message;
  }
  const openingHours: Record<string, unknown> = {};
  for (const k of WEEKDAY_KEYS) {
    const d = form.days[k];
    if (d.mode === 'closed') openingHours[k] = [];
    else if (d.mode === 'hours') openingHours[k] = d.ranges.map((r) => [r.start, r.end]);
  }
  const dates = form.closedDates.map((d) => d.trim()).filter(Boolean);
  if (dates.length) openingHours.closedDates = dates;
  const body: Record<string, unknown> = {};
  if (Object.keys(openingHours).length) body.openingHours = openingHours;
  if (form.holidays) body.holidays = { country: 'KR' };
  Object.assign(body, rest);
  return restError === undefined ? { body } : { body, restError };
}

/** The body to save, or the problems with it, each on the field that holds it. */
export function bodyOf(form: PolicyForm): { body: PolicyBody } | { problems: FieldProblem[] } {
  const draft = draftOf(form);
  if (draft.restError !== undefined) return { problems: [{ field: 'rest', path: '', message: draft.restError }] };
  const parsed = policyBodySchema.safeParse(draft.body);
  if (parsed.success) return { body: parsed.data };
  return { problems: parsed.error.issues.map((i) => ({ field: fieldOfPath(i.path), path: i.path.map(String).join('.'), message: i.message })) };
}

/** The form with one change to a weekday. */
export function withDay(form: PolicyForm, day: WeekdayKey, change: (d: DayForm) => DayForm): PolicyForm {
  return { ...form, days: { ...form.days, [day]: change(form.days[day]) } };
}

/** A day switched to `mode`: hours start with one range so there is something to edit. */
export function dayInMode(d: DayForm, mode: DayMode): DayForm {
  if (mode === 'hours') return { mode, ranges: d.ranges.length ? d.ranges : [NEW_RANGE] };
  return { mode, ranges: mode === 'closed' ? [] : d.ranges };
}
