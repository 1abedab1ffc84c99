import type { PolicyBody } from './policy-body';

/** One difference between two policy versions, readable as `text`. */
export interface PolicyChange {
  /** dotted path of what changed, e.g. `openingHours.mon` or `scenarios.lights-off` */
  path: string;
  kind: 'added' | 'removed' | 'changed';
  text: string;
}

const show = (v: unknown): string => {
  if (Array.isArray(v) && v.every((x) => Array.isArray(x) && x.length === 2 && x.every((c) => typeof c === 'string'))) {
    return v.length === 0 ? 'closed' : (v as string[][]).map(([s, e]) => `${s}–${e}`).join(', ');
  }
  return JSON.stringify(v);
};

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Arrays of objects with ids (scenarios) compare by id, so reordering is no change and edits name the scenario. */
function byId(v: unknown): Record<string, unknown> | undefined {
  if (!Array.isArray(v) || v.length === 0 || !v.every((x) => isPlainObject(x) && typeof x.id === 'string')) return undefined;
  return Object.fromEntries((v as Array<{ id: string }>).map((x) => [x.id, x]));
}

function walk(a: unknown, b: unknown, path: string, out: PolicyChange[]): void {
  if (JSON.stringify(a) === JSON.stringify(b)) return;
  if (a === undefined) return void out.push({ path, kind: 'added', text: `${path}: added ${show(b)}` });
  if (b === undefined) return void out.push({ path, kind: 'removed', text: `${path}: removed (was ${show(a)})` });
  const ia = byId(a) ?? (Array.isArray(a) && a.length === 0 && byId(b) ? {} : undefined);
  const ib = byId(b) ?? (Array.isArray(b) && b.length === 0 && ia ? {} : undefined);
  if (ia && ib) return walkKeys(ia, ib, path, out);
  if (isPlainObject(a) && isPlainObject(b)) return walkKeys(a, b, path, out);
  out.push({ path, kind: 'changed', text: `${path}: ${show(a)} → ${show(b)}` });
}

function walkKeys(a: Record<string, unknown>, b: Record<string, unknown>, path: string, out: PolicyChange[]): void {
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
  for (const k of keys) walk(a[k], b[k], path ? `${path}.${k}` : k, out);
}

/** What changed from policy `a` to policy `b`, one readable line per change, in path order. */
export function diffPolicies(a: PolicyBody, b: PolicyBody): PolicyChange[] {
  const out: PolicyChange[] = [];
  walkKeys(a as Record<string, unknown>, b as Record<string, unknown>, '', out);
  return out;
}
