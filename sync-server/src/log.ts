import { pino, type DestinationStream, type Logger } from 'pino';
import { REDACTED, scrubSecrets, secretFieldPaths } from '@cr/shared';

/** The cloud's log: JSON lines on stderr (stdout carries only `cloud listening on …` and the demo lines). */
export type CloudLog = Logger;

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface CloudLogOptions {
  level?: LogLevel;
  /** where the lines go; stderr (written synchronously, so nothing is lost on exit) unless a test says otherwise */
  destination?: DestinationStream;
}

/**
 * `{"level":"info","time":"…","pid":…,"hostname":"…","requestId":"…","msg":"request"}`. pid and
 * hostname stay: with several cloud instances behind one address they say which one answered.
 */
export function createCloudLog(opts: CloudLogOptions = {}): CloudLog {
  return pino(
    {
      level: opts.level ?? 'info',
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      // Threat: a token, password or credential in the extras of a line, readable by anyone with the logs.
      redact: { paths: secretFieldPaths(), censor: REDACTED },
      hooks: {
        // The message text too: a foreign error's message may quote a token.
        logMethod(args, method) {
          method.apply(
            this,
            args.map((a) => (typeof a === 'string' ? scrubSecrets(a) : a)) as Parameters<typeof method>,
          );
        },
      },
    },
    opts.destination ?? pino.destination({ dest: 2, sync: true }),
  );
}

let fallback: CloudLog | undefined;

/** The log of a part built without one (a unit test constructing it directly): stderr at info. */
export function defaultCloudLog(): CloudLog {
  return (fallback ??= createCloudLog());
}
