/** One step of a capacity search: what was offered, what got through, and the tail latency. */
export interface StepOutcome {
  /** offered rate, in the search's unit (e.g. events/s) */
  offered: number;
  /** rate that was handled within the step (stored, answered) */
  handled: number;
  p99Ms: number;
}

/** What a sustained rate must satisfy: p99 under a bound, and nearly all of the offered load handled. */
export interface StepBound {
  p99Ms: number;
  /** handled / offered must be at least this (e.g. 0.98) */
  minHandledShare: number;
}

export interface StepVerdict {
  pass: boolean;
  /** why a step failed, for the report */
  why?: string;
}

/** Whether one step sustained its rate within the bound. */
export function judgeStep(o: StepOutcome, bound: StepBound): StepVerdict {
  if (!(o.offered > 0)) return { pass: false, why: 'nothing was offered' };
  const share = o.handled / o.offered;
  const reasons: string[] = [];
  if (!(o.p99Ms < bound.p99Ms)) reasons.push(`p99 ${Math.round(o.p99Ms)} ms ≥ ${bound.p99Ms} ms`);
  if (!(share >= bound.minHandledShare)) reasons.push(`handled/offered ${share.toFixed(3)} < ${bound.minHandledShare}`);
  return reasons.length === 0 ? { pass: true } : { pass: false, why: reasons.join(', ') };
}

export interface SearchResult<T extends StepOutcome> {
  steps: Array<T & StepVerdict>;
  /** offered rate of the last passing step before the first failure; undefined when the first step failed */
  capacity?: number;
  /** the first failing step, or undefined when every step passed (the capacity is then a lower bound) */
  brokeAt?: T & StepVerdict;
}

/**
 * Steps the offered rate up through `rates` (ascending) until a step breaks the bound; the last
 * passing step is the capacity. Steps after the first failure are not run.
 */
export async function stepSearch<T extends StepOutcome>(rates: readonly number[], runStep: (rate: number) => Promise<T>, bound: StepBound): Promise<SearchResult<T>> {
  for (let i = 1; i < rates.length; i++) if (!(rates[i]! > rates[i - 1]!)) throw new RangeError(`step rates must rise, got ${rates.join(', ')}`);
  const steps: Array<T & StepVerdict> = [];
  let capacity: number | undefined;
  for (const rate of rates) {
    const outcome = await runStep(rate);
    const step = { ...outcome, ...judgeStep(outcome, bound) };
    steps.push(step);
    if (!step.pass) return { steps, capacity, brokeAt: step };
    capacity = outcome.offered;
  }
  return { steps, capacity };
}

/** A one-line account of the steps, for `ran` and notes: `20000 ok (p99 80 ms), 40000 broke (…)`. */
export function describeSteps(steps: ReadonlyArray<StepOutcome & StepVerdict>, unit: string): string {
  return steps.map((s) => `${Math.round(s.offered)} ${unit} ${s.pass ? 'ok' : `broke: ${s.why}`} (handled ${Math.round(s.handled)}, p99 ${Math.round(s.p99Ms)} ms)`).join('; ');
}
