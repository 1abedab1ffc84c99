import type { Figure, ScenarioResult } from './scenario';
import { spreadOf } from './stats';

/** The verdict of a figure over several runs: by the median, "within noise" when the runs straddle the target. */
export type Verdict = 'met' | 'not met' | 'within noise';

/** A figure over N runs: `value` is the median, the spread the lowest and highest run. */
export interface RepeatedFigure extends Figure {
  runs: number;
  min: number;
  max: number;
  verdict?: Verdict;
}

export interface RepeatedResult extends Omit<ScenarioResult, 'figures'> {
  figures: RepeatedFigure[];
  /** how many runs ended ok, of how many */
  okRuns: number;
  runs: number;
  /** the 1-minute load average before each run and the highest seen during it */
  load: Array<{ before: number; peak: number }>;
  /** the reasons of runs that failed */
  failures: string[];
}

/** Parses `≤ 5 ms` / `≥ 100 req/s` back into a bound. */
export function boundOf(target: string | undefined): { kind: 'max' | 'min'; limit: number } | undefined {
  const m = /^([≤≥])\s*([-\d.,]+)/.exec(target ?? '');
  if (!m) return undefined;
  const limit = Number(m[2]!.replace(/,/g, ''));
  return Number.isFinite(limit) ? { kind: m[1] === '≤' ? 'max' : 'min', limit } : undefined;
}

const satisfies = (bound: { kind: 'max' | 'min'; limit: number }, v: number): boolean => (bound.kind === 'max' ? v <= bound.limit : v >= bound.limit);

/** The verdict of a median with its spread against a target. */
export function verdictOf(target: string | undefined, median: number, min: number, max: number): Verdict | undefined {
  const bound = boundOf(target);
  if (!bound) return undefined;
  const best = satisfies(bound, min) || satisfies(bound, max);
  const worst = satisfies(bound, min) && satisfies(bound, max);
  if (worst) return 'met';
  if (!best) return 'not met';
  // The runs fall on both sides of the target: the median decides only when it is clear of it.
  return satisfies(bound, median) ? 'within noise' : 'not met';
}

/**
 * Combines the runs of one scenario: every figure that appears in an ok run becomes its median
 * with the spread; the `ran` text and details come from the median-most run of the first figure.
 */
export function combineRuns(runs: readonly ScenarioResult[], load: Array<{ before: number; peak: number }>): RepeatedResult {
  const ok = runs.filter((r) => r.status === 'ok');
  const first = ok[0] ?? runs[0]!;
  const names = [...new Set(ok.flatMap((r) => r.figures.map((f) => f.name)))];
  const figures = names.map((name): RepeatedFigure => {
    const samples = ok.flatMap((r) => r.figures.filter((f) => f.name === name));
    const s = spreadOf(samples.map((f) => f.value));
    const model = samples[0]!;
    const verdict = verdictOf(model.target, s.median, s.min, s.max);
    const ratios = samples.map((f) => f.ratio).filter((x): x is number => x !== undefined);
    return {
      ...model,
      value: s.median,
      runs: s.runs,
      min: s.min,
      max: s.max,
      ...(verdict ? { verdict, met: verdict !== 'not met' } : {}),
      ...(ratios.length > 0 ? { ratio: spreadOf(ratios).median } : {}),
    };
  });
  return {
    name: first.name,
    ran: first.ran,
    status: ok.length > 0 ? 'ok' : first.status,
    ...(ok.length === 0 && first.reason ? { reason: first.reason } : {}),
    durationMs: runs.reduce((s, r) => s + r.durationMs, 0),
    figures,
    okRuns: ok.length,
    runs: runs.length,
    load,
    failures: runs.filter((r) => r.status === 'failed').map((r) => r.reason ?? 'failed'),
    ...(first.details ? { details: first.details } : {}),
  };
}
