import { rmSync } from 'node:fs';
import { runEdgeCli, spawnEdge, type ChildEdge } from '../support/child-edge';
import { FakeCloud } from '../support/fake-cloud';
import { tempDir } from '../support/test-edge';

/** What the edge printed and which inputs were in flight when it died. */
export interface Crash {
  exit: { code: number | null; signal: NodeJS.Signals | null };
  stderrTail: string;
  suspects: string[];
}

export interface TargetOptions {
  siteId: string;
  /** run the edge linked to a fake cloud (members, signing key) */
  withCloud: boolean;
  /** respawn after a crash at most this many times, then give up */
  maxCrashes: number;
}

/**
 * The edge under attack: one real process (plus the fake cloud it links to). A crash is recorded
 * and the edge respawned on the same ports and data, so one run can report several crashes.
 */
export class EdgeTarget {
  readonly crashes: Crash[] = [];
  private child!: ChildEdge;
  private up!: Promise<void>;
  private stopping = false;
  private respawnFailed = false;
  private args: string[] = [];
  /** called when the process exits unexpectedly; returns the inputs that were in flight */
  suspects: () => string[] = () => [];

  private constructor(
    readonly siteId: string,
    readonly dataDir: string,
    readonly cloud: FakeCloud | undefined,
    private readonly maxCrashes: number,
  ) {}

  static async start(o: TargetOptions): Promise<EdgeTarget> {
    const cloud = o.withCloud ? await FakeCloud.start() : undefined;
    const target = new EdgeTarget(o.siteId, tempDir(), cloud, o.maxCrashes);
    // Devices other than doors stay silent for minutes in a long run: none may go stale meanwhile.
    target.args = [
      '--site',
      o.siteId,
      '--mqtt-port',
      '0',
      '--http-port',
      '0',
      '--data',
      target.dataDir,
      '--quiet',
      '--device-stale-ms',
      '86400000',
    ];
    if (cloud) target.args.push('--cloud', cloud.url, '--token', await cloud.edgeToken(o.siteId));
    // Admission (CONTRACT.md §6): where the edge has it, the fuzz's doors and readers are admitted as they announce themselves.
    if (/--commissioning/.test((await runEdgeCli(['--help'])).stdout)) target.args.push('--commissioning');
    target.up = target.spawn();
    await target.up;
    return target;
  }

  private async spawn(): Promise<void> {
    this.child = await spawnEdge(this.args);
    // Respawns reuse the ports, so clients reconnect to the same URLs.
    const port = (url: string): string => new URL(url).port;
    this.args = this.args.map((a, i, all) =>
      all[i - 1] === '--mqtt-port'
        ? port(this.child.mqttUrl)
        : all[i - 1] === '--http-port'
          ? port(this.child.httpUrl)
          : a,
    );
    const child = this.child;
    void child.exited.then((exit) => this.onExit(child, exit));
  }

  private onExit(child: ChildEdge, exit: Crash['exit']): void {
    if (this.stopping) return;
    this.crashes.push({ exit, stderrTail: child.stderr.join('').slice(-3_000), suspects: this.suspects() });
    if (this.crashes.length > this.maxCrashes) return;
    this.up = this.spawn().catch((err: unknown) => {
      this.respawnFailed = true;
      this.crashes.push({
        exit: { code: null, signal: null },
        stderrTail: (err as Error).message.slice(-3_000),
        suspects: ['(respawn failed)'],
      });
    });
  }

  get mqttUrl(): string {
    return this.child.mqttUrl;
  }
  get httpUrl(): string {
    return this.child.httpUrl;
  }
  get mqttPort(): number {
    return Number(new URL(this.child.mqttUrl).port);
  }
  get httpPort(): number {
    return Number(new URL(this.child.httpUrl).port);
  }
  get alive(): boolean {
    return this.child.proc.exitCode === null && this.child.proc.signalCode === null;
  }
  /** no more respawns: the run should stop */
  get gaveUp(): boolean {
    return this.respawnFailed || this.crashes.length > this.maxCrashes;
  }
  get stderr(): string {
    return this.child.stderr.join('');
  }

  /** Resolves once the current process is up (after a respawn, once the new one is). */
  ready(): Promise<void> {
    return this.up;
  }

  async stop(): Promise<void> {
    this.stopping = true;
    if (this.alive) {
      this.child.proc.kill('SIGTERM');
      await this.child.exited;
    }
    await this.cloud?.close();
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}
