import { pino, type DestinationStream } from 'pino';
import { REDACTED, scrubSecrets, secretFieldPaths } from '@cr/shared';

/** Structured extras of a log line (ids, counts, codes); secret fields are redacted by name. */
export type LogFields = Record<string, unknown>;

/** The gateway's log: one JSON line per entry on stderr, so stdout carries only the ready lines other tools wait for. */
export interface Logger {
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
}

export interface LoggerOptions {
  /** the site id every line carries (absent before the flags are read) */
  site?: string;
  /** no info lines (`--quiet`) */
  quiet?: boolean;
  /** where the lines go; stderr (written synchronously, so nothing is lost on exit) unless a test says otherwise */
  destination?: DestinationStream;
}

/** `{"level":"warn","time":"…","site":"gangnam","kind":"bad input (json)","msg":"…"}` */
export function createLogger(opts: LoggerOptions = {}): Logger {
  const log = pino(
    {
      level: opts.quiet ? 'warn' : 'info',
      base: opts.site ? { site: opts.site } : null,
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      // Threat: a token, password or card value in the extras of a line, readable by anyone with the logs.
      redact: { paths: secretFieldPaths(), censor: REDACTED },
    },
    opts.destination ?? pino.destination({ dest: 2, sync: true }),
  );
  return {
    info: (msg, fields) => log.info(fields ?? {}, scrubSecrets(msg)),
    warn: (msg, fields) => log.warn(fields ?? {}, scrubSecrets(msg)),
    error: (msg, fields) => log.error(fields ?? {}, scrubSecrets(msg)),
  };
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
    const suppressed = cur?.suppressed ?? 0;
    const more = suppressed > 0 ? ` (${suppressed} similar suppressed)` : '';
    this.seen.set(kind, { at: now, suppressed: 0 });
    if (this.seen.size > 1000) this.seen.clear();
    this.log.warn(`${kind}: ${msg}${more}`, suppressed > 0 ? { kind, suppressed } : { kind });
  }
}
