/** One line of the go-live checklist. */
export interface CheckItem {
  name: string;
  ok: boolean;
  detail: string;
  ms: number;
}

/** The acceptance checklist: each step timed, passed or failed with what was seen; printed as it goes. */
export class Checklist {
  readonly items: CheckItem[] = [];
  private readonly started = Date.now();

  constructor(private readonly say: (line: string) => void) {}

  /** Runs a step; a failure is recorded (with its reason) and ends the run, the steps after it are not tried. */
  async step(name: string, run: () => Promise<string>): Promise<boolean> {
    const t0 = Date.now();
    this.say(`… ${name}`);
    try {
      const detail = await run();
      this.record({ name, ok: true, detail, ms: Date.now() - t0 });
      return true;
    } catch (err) {
      this.record({ name, ok: false, detail: (err as Error).message, ms: Date.now() - t0 });
      return false;
    }
  }

  get green(): boolean {
    return this.items.length > 0 && this.items.every((i) => i.ok);
  }

  get elapsedMs(): number {
    return Date.now() - this.started;
  }

  /** The checklist as printed at the end. */
  summary(total: number): string[] {
    const lines = this.items.map((i) => `${i.ok ? '[x]' : '[ ]'} ${i.name} — ${i.detail} (${(i.ms / 1000).toFixed(1)} s)`);
    for (let n = this.items.length; n < total; n++) lines.push('[ ] (not reached)');
    return lines;
  }

  private record(item: CheckItem): void {
    this.items.push(item);
    this.say(`${item.ok ? '✓' : '✗'} ${item.name}: ${item.detail}`);
  }
}

/** Polls until `check` returns a value (not undefined), or throws after `timeoutMs` saying what it waited for. */
export async function waitFor<T>(what: () => string, check: () => Promise<T | undefined>, timeoutMs: number, everyMs = 500): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`gave up after ${Math.round(timeoutMs / 1000)} s: ${what()}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
