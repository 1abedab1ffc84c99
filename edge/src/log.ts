/** Log lines go to stderr so stdout carries only the ready lines other tools wait for. */
export interface Logger {
  info(msg: string): void;
  warn(msg: string): void;
  error(msg: string): void;
}

export function createLogger(prefix: string, quiet = false): Logger {
  const write = (level: string, msg: string): void => {
    if (quiet && level === 'info') return;
    process.stderr.write(`${new Date().toISOString()} ${level} ${prefix} ${msg}\n`);
  };
  return { info: (m) => write('info', m), warn: (m) => write('warn', m), error: (m) => write('error', m) };
}

/**
 * Logs the first occurrence of a kind of bad input, then stays quiet for `windowMs` and reports
 * how many were suppressed: a misbehaving device must not flood the disk with log lines.
 */
export class BurstLog {
  private readonly seen = new Map<string, { at: number; suppressed: number }>();

  constructor(
    private readonly log: Logger,
    private readonly windowMs = 10_000,
  ) {}

  warn(kind: string, msg: string, now = Date.now()): void {
    const cur = this.seen.get(kind);
    if (cur && now - cur.at < this.windowMs) {
      cur.suppressed++;
      return;
    }
    const more = cur && cur.suppressed > 0 ? ` (${cur.suppressed} similar suppressed)` : '';
    this.seen.set(kind, { at: now, suppressed: 0 });
    if (this.seen.size > 1000) this.seen.clear();
    this.log.warn(`${kind}: ${msg}${more}`);
  }
}
