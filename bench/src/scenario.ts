/** One measured figure, always with its unit; a target makes it judged (met / not met). */
export interface Figure {
  name: string;
  value: number;
  unit: string;
  /** e.g. `≤ 5 ms`; `met` says whether `value` satisfies it */
  target?: string;
  met?: boolean;
  /** us / reference, when a reference ran beside us on the same workload */
  ratio?: number;
  /** what the ratio compares, e.g. `us/@y/websocket-server 0.1.1` */
  ratioOf?: string;
  note?: string;
}

export interface ScenarioResult {
  name: string;
  /** what was actually run (rates, durations, counts), after any scaling down */
  ran: string;
  status: 'ok' | 'not-run' | 'failed';
  reason?: string;
  durationMs: number;
  /** 1-minute load average when the scenario started: other work on the machine skews tails */
  loadAverageAtStart?: number;
  figures: Figure[];
  /** free-form details (profiles, per-step tables) kept in the JSON only */
  details?: Record<string, unknown>;
}

export interface Scenario {
  name: string;
  title: string;
  /** how long it may run before it is stopped and reported failed (default 170 s) */
  limitMs?: number;
  run(): Promise<Omit<ScenarioResult, 'name' | 'durationMs' | 'status'> & { status?: ScenarioResult['status']; reason?: string }>;
}

/** A figure judged against an upper bound (`≤ limit unit`). */
export function atMost(name: string, value: number, unit: string, limit: number, extra: Partial<Figure> = {}): Figure {
  return { name, value, unit, target: `≤ ${limit} ${unit}`, met: value <= limit, ...extra };
}

/** A figure judged against a lower bound (`≥ limit unit`). */
export function atLeast(name: string, value: number, unit: string, limit: number, extra: Partial<Figure> = {}): Figure {
  return { name, value, unit, target: `≥ ${limit} ${unit}`, met: value >= limit, ...extra };
}

export function info(name: string, value: number, unit: string, extra: Partial<Figure> = {}): Figure {
  return { name, value, unit, ...extra };
}
