import { ID_PATTERN, isValidTimeZone } from '@cr/shared';
import type { NewMemberBody, NewSiteBody } from './admin-api';

/** Pure checks of the admin forms, so a person sees what to fix before anything is sent. */

export type Problem = 'required' | 'bad-id' | 'bad-number' | 'out-of-range' | 'bad-timezone';
export type Problems<K extends string> = Partial<Record<K, Problem>>;

const idProblem = (v: string): Problem | undefined => (!v ? 'required' : ID_PATTERN.test(v) ? undefined : 'bad-id');
const textProblem = (v: string): Problem | undefined => (v.trim() ? undefined : 'required');

function coordinate(raw: string, max: number): { value?: number; problem?: Problem } {
  if (!raw.trim()) return { problem: 'required' };
  const value = Number(raw);
  if (!Number.isFinite(value)) return { problem: 'bad-number' };
  return Math.abs(value) <= max ? { value } : { problem: 'out-of-range' };
}

const clean = <K extends string>(p: Problems<K>): Problems<K> =>
  Object.fromEntries(Object.entries(p).filter(([, v]) => v !== undefined)) as Problems<K>;

export type SiteFields = Record<'id' | 'name' | 'lat' | 'lng' | 'timezone', string>;

/** The site to create, or what is wrong with the form. */
export function checkSite(f: SiteFields): { body?: NewSiteBody; problems: Problems<keyof SiteFields> } {
  const lat = coordinate(f.lat, 90);
  const lng = coordinate(f.lng, 180);
  const problems = clean<keyof SiteFields>({
    id: idProblem(f.id.trim()),
    name: textProblem(f.name),
    lat: lat.problem,
    lng: lng.problem,
    timezone: !f.timezone.trim() ? 'required' : isValidTimeZone(f.timezone.trim()) ? undefined : 'bad-timezone',
  });
  if (Object.keys(problems).length) return { problems };
  return {
    problems,
    body: { id: f.id.trim(), name: f.name.trim(), lat: lat.value!, lng: lng.value!, timezone: f.timezone.trim() },
  };
}

export type ZoneFields = Record<'id' | 'name', string>;

export function checkZone(f: ZoneFields): Problems<keyof ZoneFields> {
  return clean<keyof ZoneFields>({ id: idProblem(f.id.trim()), name: textProblem(f.name) });
}

export type MemberFields = { id: string; name: string; card: string; zoneIds: string[]; afterHours: boolean };

export function checkMember(
  f: MemberFields,
  siteId: string,
): { body?: NewMemberBody; problems: Problems<'id' | 'name' | 'card' | 'zoneIds'> } {
  const problems = clean<'id' | 'name' | 'card' | 'zoneIds'>({
    id: idProblem(f.id.trim()),
    name: textProblem(f.name),
    card: textProblem(f.card),
    zoneIds: f.zoneIds.length ? undefined : 'required',
  });
  if (Object.keys(problems).length) return { problems };
  return {
    problems,
    body: {
      id: f.id.trim(),
      name: f.name.trim(),
      card: f.card.trim(),
      siteId,
      zoneIds: f.zoneIds,
      afterHours: f.afterHours,
    },
  };
}

const LOOPBACK = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])$/;

/**
 * The command an installer runs on the site's gateway. `--commissioning` admits the site's devices
 * as they announce themselves; an `http://` cloud on another machine needs the edge's explicit
 * consent flag (it refuses to send its token in clear text otherwise).
 */
export function edgeCommand(a: { siteId: string; cloudUrl: string; token: string } & EdgeCommandOptions): {
  command: string;
  insecure: boolean;
} {
  const url = new URL(a.cloudUrl);
  const insecure = url.protocol === 'http:' && !LOOPBACK.test(url.hostname);
  const cloud = a.cloudUrl.replace(/\/+$/, '');
  const flags = `${a.commissioning === false ? '' : ' --commissioning'}${a.siteHours ? ` --site-hours ${a.siteHours}` : ''}`;
  return {
    command: `npm run edge -- --site ${a.siteId} --cloud ${cloud} --token ${a.token}${flags}${insecure ? ' --insecure-cloud-url' : ''}`,
    insecure,
  };
}

/** How the gateway starts: admitting devices on its own (`--commissioning`, the default) or each approved in the console; its staffed hours. */
export interface EdgeCommandOptions {
  commissioning?: boolean;
  /** `HH:MM-HH:MM` in the site's time zone */
  siteHours?: string;
}
