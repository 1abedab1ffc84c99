import { HOUR_MS, MINUTE_MS, type Scenario, type ScenarioAction } from '@cr/shared';
import { conditionsHold, TriggerState, type SiteSense } from './scenario-triggers';

export type ActuatorResult = { ok: true; commandId?: string } | { ok: false; error: string };

/** How the engine acts on the site; every call is also recorded as `automation.action`. */
export interface ScenarioActuators {
  /** a command to a light or HVAC unit (never a door: doors move only with the site's mode) */
  device(deviceId: string, action: 'on' | 'off' | 'set', value: number | string | undefined, reason: string): ActuatorResult;
  /** a change of the site's mode through the mode controller */
  mode(mode: 'normal' | 'secure', by: string): ActuatorResult;
  notify(message: string, scenarioId: string): ActuatorResult;
  /** appends an event to the outbox */
  record(type: 'automation.action' | 'automation.skipped', data: Record<string, unknown>, ts: number): void;
}

/** Timers the engine waits with; tests pass fake ones. */
export interface EngineTimers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const globalTimers: EngineTimers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};

/** Most runs one scenario keeps waiting in `queued` mode; more are dropped. */
const MAX_QUEUED = 10;

interface Run {
  cancelled: boolean;
  timer?: unknown;
  wake?: () => void;
}

interface Entry {
  scenario: Scenario;
  trigger: TriggerState;
  running?: Run;
  queued: number;
  /** start times of the runs of the last hour (rate limit) */
  starts: number[];
}

/**
 * The site's automation (policy `scenarios`), run by the edge from memory, with or without the
 * cloud. `tick` reads the site through `sense` and starts the scenarios whose trigger fires and
 * whose conditions hold; a run performs its actions in order, waiting where told. A scenario that
 * fires while it runs is ignored (`single`, the default), starts over (`restart`) or runs after it
 * (`queued`); past `maxRunsPerHour` in the last hour a firing is skipped and recorded as such.
 */
export class ScenarioEngine {
  private entries: Entry[] = [];

  constructor(
    private readonly sense: SiteSense,
    private readonly act: ScenarioActuators,
    private readonly timers: EngineTimers = globalTimers,
  ) {}

  /** Takes a policy's scenarios; runs in progress of the previous ones end at their next step. */
  load(scenarios: readonly Scenario[]): void {
    for (const e of this.entries) this.cancel(e);
    this.entries = scenarios.map((scenario) => ({ scenario, trigger: new TriggerState(scenario), queued: 0, starts: [] }));
    // A first look at the site, so a mode or alert already in force is not taken for a change.
    this.tick();
  }

  get size(): number {
    return this.entries.length;
  }

  tick(now = this.sense.now()): void {
    for (const e of this.entries) {
      if (e.trigger.check(this.sense, now)) this.fire(e, now);
    }
  }

  private fire(e: Entry, now: number): void {
    const { scenario } = e;
    if (!conditionsHold(scenario.conditions, this.sense, now)) return;
    e.starts = e.starts.filter((t) => now - t < HOUR_MS);
    if (scenario.maxRunsPerHour !== undefined && e.starts.length >= scenario.maxRunsPerHour) {
      this.act.record('automation.skipped', { scenarioId: scenario.id, why: `more than ${scenario.maxRunsPerHour} runs in the last hour` }, now);
      return;
    }
    const mode = scenario.mode ?? 'single';
    if (e.running) {
      if (mode === 'single') return;
      if (mode === 'queued') {
        if (e.queued < MAX_QUEUED) {
          e.queued++;
          e.starts.push(now);
        }
        return;
      }
      this.cancel(e);
    }
    e.starts.push(now);
    void this.run(e);
  }

  private cancel(e: Entry): void {
    const r = e.running;
    if (!r) return;
    r.cancelled = true;
    if (r.timer !== undefined) this.timers.clearTimeout(r.timer);
    r.wake?.();
    e.running = undefined;
    e.queued = 0;
  }

  private async run(e: Entry): Promise<void> {
    const run: Run = { cancelled: false };
    e.running = run;
    for (const action of e.scenario.actions) {
      if (run.cancelled) return;
      if (action.kind === 'wait') await this.wait(run, action.minutes * MINUTE_MS);
      else if (!run.cancelled) this.perform(e.scenario, action);
    }
    if (run.cancelled || e.running !== run) return;
    e.running = undefined;
    if (e.queued > 0) {
      e.queued--;
      void this.run(e);
    }
  }

  private wait(run: Run, ms: number): Promise<void> {
    return new Promise((resolve) => {
      run.wake = resolve;
      run.timer = this.timers.setTimeout(() => {
        run.timer = undefined;
        resolve();
      }, ms);
    });
  }

  private perform(scenario: Scenario, action: Exclude<ScenarioAction, { kind: 'wait' }>): void {
    const now = this.sense.now();
    const reason = `scenario ${scenario.id}`;
    let result: ActuatorResult;
    try {
      if (action.kind === 'device') result = this.act.device(action.deviceId, action.action, action.value, reason);
      else if (action.kind === 'mode') result = this.act.mode(action.mode, `automation:${scenario.id}`);
      else result = this.act.notify(action.message, scenario.id);
    } catch (err) {
      result = { ok: false, error: (err as Error).message };
    }
    this.act.record('automation.action', { scenarioId: scenario.id, trigger: scenario.trigger.kind, action, ...result }, now);
  }

  /** Ends every run (the edge is stopping). */
  close(): void {
    for (const e of this.entries) this.cancel(e);
    this.entries = [];
  }
}
