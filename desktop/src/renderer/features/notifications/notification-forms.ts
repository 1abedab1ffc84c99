import { localTime, MINUTE_MS, type AlertType } from '@cr/shared';
import type { Category, ChannelBody, RuleBody, RuleSeverity, SilenceBody } from './notifications-api';

/** Pure checks of the notification forms: what to fix is said before anything is sent. */

export type NotifyProblem =
  | 'required'
  | 'tier-needs-minutes'
  | 'bad-url'
  | 'url-scheme'
  | 'url-credentials'
  | 'url-fragment'
  | 'bad-email'
  | 'bad-phone'
  | 'too-many'
  | 'bad-minutes'
  | 'bad-time'
  | 'end-before-start'
  | 'too-long'
  | 'in-past';
type Problems<K extends string> = Partial<Record<K, NotifyProblem>>;

const clean = <K extends string>(p: Problems<K>): Problems<K> =>
  Object.fromEntries(Object.entries(p).filter(([, v]) => v !== undefined)) as Problems<K>;

/** Addresses typed one per line or separated by commas or semicolons. */
export const splitList = (raw: string): string[] =>
  raw
    .split(/[\n,;]+/)
    .map((s) => s.trim())
    .filter(Boolean);

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const PHONE = /^\+?[0-9]{6,15}$/;
/** the most recipients one channel takes (the cloud's limit) */
export const MAX_RECIPIENTS = 20;

export interface ChannelFields {
  kind: 'webhook' | 'email' | 'sms';
  url: string;
  secret: string;
  to: string;
  provider: 'alimtalk' | 'sms';
}
export type ChannelProblems = Problems<'url' | 'secret' | 'to'>;

function urlProblem(raw: string): NotifyProblem | undefined {
  if (!raw.trim()) return 'required';
  let u: URL;
  try {
    u = new URL(raw.trim());
  } catch {
    return 'bad-url';
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return 'url-scheme';
  if (u.username || u.password) return 'url-credentials';
  return u.hash ? 'url-fragment' : undefined;
}

function listProblem(items: string[], valid: RegExp, bad: NotifyProblem): NotifyProblem | undefined {
  if (items.length === 0) return 'required';
  if (items.length > MAX_RECIPIENTS) return 'too-many';
  return items.every((i) => valid.test(i)) ? undefined : bad;
}

/** The channel to add, or what is wrong with the form (only the fields of the chosen kind count). */
export function checkChannel(f: ChannelFields): { body?: ChannelBody; problems: ChannelProblems } {
  if (f.kind === 'webhook') {
    const problems = clean<'url' | 'secret'>({
      url: urlProblem(f.url),
      secret: f.secret.trim() ? undefined : 'required',
    });
    return Object.keys(problems).length
      ? { problems }
      : { problems, body: { kind: 'webhook', url: f.url.trim(), secret: f.secret } };
  }
  if (f.kind === 'email') {
    const to = splitList(f.to);
    const problems = clean<'to'>({ to: listProblem(to, EMAIL, 'bad-email') });
    return Object.keys(problems).length ? { problems } : { problems, body: { kind: 'email', to } };
  }
  // Phone numbers as people write them: spaces, dashes and brackets are dropped.
  const to = splitList(f.to).map((n) => n.replace(/[\s\-().]/g, ''));
  const problems = clean<'to'>({ to: listProblem(to, PHONE, 'bad-phone') });
  return Object.keys(problems).length ? { problems } : { problems, body: { kind: 'sms', to, provider: f.provider } };
}

export interface RuleFields {
  channelId: string;
  siteIds: string[];
  categories: Category[];
  minSeverity: RuleSeverity | '';
  escalateAfterMin: string;
  notifyResolved: boolean;
  /** a next tier: this channel hears only of alarms nobody acknowledged within the minutes */
  escalationOnly: boolean;
}
export type RuleProblems = Problems<'channelId' | 'escalateAfterMin'>;
export const MAX_ESCALATE_MIN = 10_080;

/** The rule to create; no site or category chosen means every one. */
export function checkRule(f: RuleFields): { body?: RuleBody; problems: RuleProblems } {
  const raw = f.escalateAfterMin.trim();
  const minutes = Number(raw);
  const problems = clean<'channelId' | 'escalateAfterMin'>({
    channelId: f.channelId ? undefined : 'required',
    escalateAfterMin:
      f.escalationOnly && !raw
        ? 'tier-needs-minutes'
        : !raw || (/^\d+$/.test(raw) && minutes >= 1 && minutes <= MAX_ESCALATE_MIN)
          ? undefined
          : 'bad-minutes',
  });
  if (Object.keys(problems).length) return { problems };
  return {
    problems,
    body: {
      channelId: f.channelId,
      ...(f.siteIds.length ? { siteIds: f.siteIds } : {}),
      ...(f.categories.length ? { categories: f.categories } : {}),
      ...(f.minSeverity ? { minSeverity: f.minSeverity } : {}),
      ...(raw ? { escalateAfterMin: minutes } : {}),
      notifyResolved: f.notifyResolved && !f.escalationOnly,
      ...(f.escalationOnly ? { escalationOnly: true } : {}),
    },
  };
}

/**
 * The instant a site's wall-clock time `YYYY-MM-DDTHH:MM` (a datetime-local input) names in its zone,
 * whatever zone this computer is in; undefined when malformed.
 */
export function siteWallTime(value: string, timeZone: string): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(value);
  if (!m) return undefined;
  const wall = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]));
  if (Number.isNaN(wall)) return undefined;
  // Step from the UTC reading towards the zone's: two corrections settle any offset.
  let ts = wall;
  for (let i = 0; i < 2; i++) {
    const t = localTime(ts, timeZone);
    const [y, mo, d] = t.date.split('-').map(Number) as [number, number, number];
    const shown = Date.UTC(y, mo - 1, d, Math.floor(t.minuteOfDay / 60), t.minuteOfDay % 60);
    ts += wall - shown;
  }
  return ts;
}

/** Tomorrow 09:00 at the site, seen from `now`. */
export function tomorrowNine(now: number, timeZone: string): number {
  const t = localTime(now, timeZone);
  const [y, mo, d] = t.date.split('-').map(Number) as [number, number, number];
  const next = new Date(Date.UTC(y, mo - 1, d + 1));
  const date = next.toISOString().slice(0, 10);
  return siteWallTime(`${date}T09:00`, timeZone)!;
}

export const SILENCE_PRESETS = ['30m', '2h', 'tomorrow9', 'custom'] as const;
export type SilencePreset = (typeof SILENCE_PRESETS)[number];
export const MAX_SILENCE_AHEAD_MS = 30 * 24 * 60 * MINUTE_MS;

export interface SilenceFields {
  siteId: string;
  deviceId: string;
  types: AlertType[];
  /** empty: from now; else a site wall time (datetime-local) — a maintenance window */
  startsAt: string;
  preset: SilencePreset;
  /** site wall time, for the custom end */
  endsAt: string;
  reason: string;
}
export type SilenceProblems = Problems<'siteId' | 'startsAt' | 'endsAt' | 'reason'>;

/** When the silence ends for a preset: 30 min and 2 h count from its start, "tomorrow 09:00" is the site's. */
export function silenceEnd(
  f: Pick<SilenceFields, 'preset' | 'endsAt'>,
  start: number,
  now: number,
  timeZone: string,
): number | undefined {
  switch (f.preset) {
    case '30m':
      return start + 30 * MINUTE_MS;
    case '2h':
      return start + 120 * MINUTE_MS;
    case 'tomorrow9':
      return tomorrowNine(now, timeZone);
    case 'custom':
      return siteWallTime(f.endsAt, timeZone);
  }
}

/** The silence to create, checked as the cloud will: an end after the start, at most 30 days ahead. */
export function checkSilence(
  f: SilenceFields,
  now: number,
  timeZone: string,
): { body?: SilenceBody; problems: SilenceProblems } {
  const start = f.startsAt ? siteWallTime(f.startsAt, timeZone) : now;
  const end = start === undefined ? undefined : silenceEnd(f, start, now, timeZone);
  const problems = clean<'siteId' | 'startsAt' | 'endsAt' | 'reason'>({
    siteId: f.siteId ? undefined : 'required',
    reason: f.reason.trim() ? undefined : 'required',
    startsAt: start === undefined ? 'bad-time' : undefined,
    endsAt:
      start === undefined
        ? undefined
        : end === undefined
          ? f.preset === 'custom' && !f.endsAt
            ? 'required'
            : 'bad-time'
          : end <= now
            ? 'in-past'
            : end <= start
              ? 'end-before-start'
              : end - now > MAX_SILENCE_AHEAD_MS
                ? 'too-long'
                : undefined,
  });
  if (Object.keys(problems).length) return { problems };
  const deviceId = f.deviceId.trim();
  return {
    problems,
    body: {
      siteId: f.siteId,
      ...(deviceId ? { deviceId } : {}),
      ...(f.types.length ? { types: f.types } : {}),
      ...(f.startsAt ? { startsAt: start! } : {}),
      endsAt: end!,
      reason: f.reason.trim(),
    },
  };
}
