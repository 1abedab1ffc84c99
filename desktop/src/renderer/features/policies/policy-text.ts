import { parseClock, scenarioSchema, type ScenarioAction, type ScenarioTrigger } from '@cr/shared';
import { ApiError } from '../../data/api-error';
import { dynamicKey, type MessageKey, type Translate } from '../../i18n/i18n';
import { localToEpoch } from '../bookings/booking-time';
import { PolicyApiError } from './policy-api';

/** Readable lines of a policy: scenarios as "trigger → actions", errors as sentences, site times as ISO. */

const days = (list: readonly number[] | undefined, t: Translate): string =>
  list && list.length < 7 ? ` (${list.map((d) => t(dynamicKey('booking.weekday', String(d)))).join(', ')})` : '';

export function triggerText(tr: ScenarioTrigger, t: Translate): string {
  switch (tr.kind) {
    case 'zone-empty':
      return t('policy.trigger.zone-empty', { zone: tr.zoneId, min: tr.forMin });
    case 'zone-occupied':
      return t('policy.trigger.zone-occupied', { zone: tr.zoneId, min: tr.forMin });
    case 'time':
      return t('policy.trigger.time', { at: tr.at }) + days(tr.days, t);
    case 'mode':
      return t('policy.trigger.mode', { mode: t(dynamicKey('mode', tr.mode)) });
    case 'alert':
      return t('policy.trigger.alert', { type: tr.type });
  }
}

export function actionText(a: ScenarioAction, t: Translate): string {
  switch (a.kind) {
    case 'device':
      return t('policy.action.device', { device: a.deviceId, action: a.action + (a.value !== undefined ? ` ${a.value}` : '') });
    case 'mode':
      return t('policy.action.mode', { mode: t(dynamicKey('mode', a.mode)) });
    case 'notify':
      return t('policy.action.notify', { message: a.message });
    case 'wait':
      return t('policy.action.wait', { min: a.minutes });
  }
}

/** One scenario of a draft body as "trigger → action, action"; a scenario the schema refuses is shown by its id. */
export function scenarioLines(scenarios: unknown, t: Translate): Array<{ id: string; text: string; valid: boolean }> {
  if (!Array.isArray(scenarios)) return [];
  return scenarios.map((raw, i) => {
    const s = scenarioSchema.safeParse(raw);
    const id = typeof (raw as { id?: unknown })?.id === 'string' ? (raw as { id: string }).id : `#${i + 1}`;
    if (!s.success) return { id, text: t('policy.scenarioInvalid'), valid: false };
    const when = s.data.conditions?.length ? ` ${t('policy.scenarioOnlyWhen', { conditions: s.data.conditions.map((c) => (c.kind === 'mode' ? t(dynamicKey('mode', c.mode)) : t(dynamicKey('policy.condition', c.kind)))).join(', ') })}` : '';
    return { id, text: `${triggerText(s.data.trigger, t)}${when} → ${s.data.actions.map((a) => actionText(a, t)).join(', ')}`, valid: true };
  });
}

/** A refused or failed policy call as a sentence a person can act on. */
export function policyErrorText(err: unknown, t: Translate): string {
  if (err instanceof PolicyApiError && err.missing) return t('policy.missingRoute');
  if (err instanceof ApiError && err.unreachable) return t('policy.unreachable');
  if (err instanceof ApiError && err.status === 403) return t('policy.forbidden');
  if (err instanceof ApiError && err.status >= 400 && err.status < 500) return t('policy.refused', { reason: err.message });
  return t('policy.failed', { reason: (err as Error)?.message ?? String(err) });
}

/** The instant of a site's wall-clock date and time as ISO 8601 with the site's offset, e.g. `2026-12-08T10:00:00+09:00`. */
export function siteIso(date: string, clock: string, timeZone: string): string | undefined {
  const minute = parseClock(clock);
  if (minute === undefined || minute >= 24 * 60) return undefined;
  const at = localToEpoch(date, minute, timeZone);
  if (at === undefined) return undefined;
  const wall = Date.parse(`${date}T${clock}:00Z`);
  const offsetMin = Math.round((wall - at) / 60_000);
  const sign = offsetMin < 0 ? '-' : '+';
  const abs = Math.abs(offsetMin);
  const hh = String(Math.floor(abs / 60)).padStart(2, '0');
  const mm = String(abs % 60).padStart(2, '0');
  return `${date}T${clock}:00${sign}${hh}:${mm}`;
}

/** The schema's sentences the editor shows most, in the console's language; any other stays as the schema wrote it. */
const KNOWN_PROBLEMS: Array<[RegExp, MessageKey]> = [
  [/^must be HH:MM between 00:00 and 24:00$/, 'policy.problem.clock'],
  [/^must be YYYY-MM-DD$/, 'policy.problem.date'],
  [/^an interval must not start and end at the same time$/, 'policy.problem.same-ends'],
];

export function problemText(message: string, t: Translate): string {
  const known = KNOWN_PROBLEMS.find(([re]) => re.test(message));
  return known ? t(known[1]) : message;
}

/** A share (0…1) as a percentage with one decimal. */
export const pct = (rate: number): string => `${(rate * 100).toFixed(1)} %`;
