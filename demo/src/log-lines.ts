/** One entry of the JSON lines the edge and the cloud write on stderr (pino). */
export interface LogEntry {
  level: string;
  time?: string;
  msg: string;
  [field: string]: unknown;
}

/** The entry a stderr line holds; undefined for anything else (a stack trace, a tool's plain text). */
export function parseLogLine(line: string): LogEntry | undefined {
  if (!line.startsWith('{')) return undefined;
  try {
    const entry = JSON.parse(line) as Partial<LogEntry> | null;
    return typeof entry?.level === 'string' && typeof entry.msg === 'string' ? (entry as LogEntry) : undefined;
  } catch {
    return undefined;
  }
}

/** Every entry in a chunk of output (lines that are not entries are skipped). */
export function logEntries(text: string | readonly string[]): LogEntry[] {
  const lines = typeof text === 'string' ? text.split('\n') : text.flatMap((t) => t.split('\n'));
  return lines.map(parseLogLine).filter((e): e is LogEntry => e !== undefined);
}

const SHOWN_ELSEWHERE = new Set(['level', 'time', 'msg', 'pid', 'hostname', 'site']);

/** `07:10:10.115 warn  cloud link closed (1006) code=1006`: an entry on one line for people to read; other lines as they are. */
export function readableLogLine(line: string): string {
  const entry = parseLogLine(line);
  if (!entry) return line;
  const extras = Object.entries(entry)
    .filter(([k]) => !SHOWN_ELSEWHERE.has(k))
    .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`);
  const time = entry.time?.slice(11, 23) ?? '';
  return [time, entry.level.padEnd(5), entry.msg.replace(/\r?\n/g, ' | '), ...extras].filter(Boolean).join(' ');
}

/** Whether an entry reports a failure (error or fatal). */
export const isErrorEntry = (entry: LogEntry): boolean => entry.level === 'error' || entry.level === 'fatal';
