import { readFileSync } from 'node:fs';

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

export interface ProcSample {
  rssMiB: number;
  /** user + system CPU time consumed so far */
  cpuSeconds: number;
  at: number;
}

/** RSS and CPU time of a process from /proc (Linux); undefined if it is gone. */
export function sampleProcess(pid: number): ProcSample | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 'NaN');
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may contain spaces) start after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    return { rssMiB: rssKb / 1024, cpuSeconds: ticks / TICKS_PER_SECOND, at: Date.now() };
  } catch {
    return undefined;
  }
}

/** CPU use between two samples, in % of one core. */
export function cpuPercent(a: ProcSample, b: ProcSample): number {
  const wall = (b.at - a.at) / 1000;
  return wall > 0 ? ((b.cpuSeconds - a.cpuSeconds) / wall) * 100 : Number.NaN;
}

/** Samples a process every `everyMs` and keeps the peak RSS, until stopped. */
export class ProcessWatch {
  private timer: NodeJS.Timeout;
  peakRssMiB = 0;
  readonly first: ProcSample | undefined;
  last: ProcSample | undefined;

  constructor(
    readonly pid: number,
    everyMs = 250,
  ) {
    this.first = sampleProcess(pid);
    this.last = this.first;
    this.peakRssMiB = this.first?.rssMiB ?? 0;
    this.timer = setInterval(() => this.sample(), everyMs);
  }

  private sample(): void {
    const s = sampleProcess(this.pid);
    if (!s) return;
    this.last = s;
    this.peakRssMiB = Math.max(this.peakRssMiB, s.rssMiB);
  }

  /** Stops sampling; returns peak RSS and mean CPU % over the watched period. */
  stop(): { peakRssMiB: number; rssMiB: number; cpuPercent: number } {
    clearInterval(this.timer);
    this.sample();
    const cpu = this.first && this.last ? cpuPercent(this.first, this.last) : Number.NaN;
    return { peakRssMiB: this.peakRssMiB, rssMiB: this.last?.rssMiB ?? Number.NaN, cpuPercent: cpu };
  }
}
