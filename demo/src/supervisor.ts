import type { Service } from './processes';

/**
 * Watches the demo's child processes: a crashed child is reported and restarted (at most
 * `maxRestarts` times a minute); past that the whole demo stops with a clear message rather than
 * running half alive.
 */
export class Supervisor {
  private stopping = false;
  private readonly restarts = new Map<string, number[]>();

  constructor(
    private readonly onGiveUp: (name: string, code: number | string) => void,
    private readonly maxRestarts = 3,
  ) {}

  shutdown(): void {
    this.stopping = true;
  }

  /** Watches `service`; `restart` starts a replacement (which the caller watches again). */
  watch(service: Service, restart: () => Promise<Service>): void {
    void service.exited.then(async (code) => {
      if (this.stopping) return;
      const name = service.spec.name;
      const now = Date.now();
      const recent = (this.restarts.get(name) ?? []).filter((t) => now - t < 60_000);
      console.error(`\n! ${name} stopped unexpectedly (${code}).`);
      if (recent.length >= this.maxRestarts) return this.onGiveUp(name, code);
      this.restarts.set(name, [...recent, now]);
      console.error(`  restarting ${name} (${recent.length + 1}/${this.maxRestarts} this minute)…`);
      try {
        this.watch(await restart(), restart);
        console.error(`  ${name} is back.`);
      } catch (err) {
        console.error(`  ${name} could not be restarted: ${(err as Error).message}`);
        this.onGiveUp(name, code);
      }
    });
  }
}
