import { WEEKDAY_KEYS } from '@cr/shared';

/**
 * Where a problem with a policy body belongs in the editor. The schema (in the browser) and the
 * cloud's 400 (`body.openingHours.mon.0.1: must be HH:MM…`) both name a path; it maps to a field key:
 * `name`, `hours.mon`, `hours.mon.0`, `hours.mon.0.start|end`, `closedDates`, `closedDates.3`,
 * `holidays`, or `rest` (the raw JSON) for everything else.
 */
export interface FieldProblem {
  field: string;
  /** the body path as dots (empty for the body itself) */
  path: string;
  message: string;
}

const DAYS = new Set<string>(WEEKDAY_KEYS);

export function fieldOfPath(path: ReadonlyArray<PropertyKey>): string {
  const [top, second, third, fourth] = path.map(String);
  if (top === 'openingHours') {
    if (second === undefined) return 'hours';
    if (second === 'closedDates') return third === undefined ? 'closedDates' : `closedDates.${third}`;
    if (DAYS.has(second)) {
      if (third === undefined) return `hours.${second}`;
      if (fourth === '0') return `hours.${second}.${third}.start`;
      if (fourth === '1') return `hours.${second}.${third}.end`;
      return `hours.${second}.${third}`;
    }
    return 'hours';
  }
  if (top === 'holidays') return 'holidays';
  return 'rest';
}

/**
 * A cloud refusal as a field problem: "body.openingHours.mon.0.1: must be…" or "name: …";
 * a sentence without a path lands on the raw JSON (`rest`) when it speaks of the body, else on `form`.
 */
export function problemOfCloud(message: string): FieldProblem {
  const m = /^([A-Za-z0-9_.-]+): (.*)$/s.exec(message);
  if (!m) return { field: 'form', path: '', message };
  const [, where, text] = m as unknown as [string, string, string];
  const parts = where.split('.');
  if (parts[0] === 'name') return { field: 'name', path: 'name', message: text };
  if (parts[0] !== 'body') return { field: 'form', path: where, message };
  const path = parts.slice(1);
  return { field: fieldOfPath(path), path: path.join('.'), message: text };
}

/** The problems of one field, and of its children when `withChildren` (a day shows its ranges' problems). */
export function problemsAt(problems: readonly FieldProblem[], field: string, withChildren = false): FieldProblem[] {
  return problems.filter((p) => p.field === field || (withChildren && p.field.startsWith(`${field}.`)));
}
