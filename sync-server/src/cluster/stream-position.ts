/** A Redis stream entry id, `<milliseconds>-<sequence>`. */
const ID = /^(\d+)-(\d+)$/;

/** The stream's own beginning: every entry comes after it. */
export const STREAM_START = '0-0';

function parts(id: string): [bigint, bigint] {
  const m = ID.exec(id);
  if (!m) throw new Error(`not a stream id: ${id.slice(0, 40)}`);
  return [BigInt(m[1]!), BigInt(m[2]!)];
}

/** Negative, zero or positive as `a` comes before, is, or comes after `b`. */
export function compareIds(a: string, b: string): number {
  const [am, as] = parts(a);
  const [bm, bs] = parts(b);
  if (am !== bm) return am < bm ? -1 : 1;
  return as === bs ? 0 : as < bs ? -1 : 1;
}

/** The id just before `id`: reading after it starts with `id` itself. */
export function idBefore(id: string): string {
  const [ms, seq] = parts(id);
  if (seq > 0n) return `${ms}-${seq - 1n}`;
  if (ms > 0n) return `${ms - 1n}-18446744073709551615`;
  return STREAM_START;
}

/** What XINFO STREAM says about where the stream stands. */
export interface StreamState {
  lastGenerated: string;
  /** newest entry trimmed or deleted (Redis 7 and later) */
  maxDeleted?: string;
  firstId?: string;
}

/** Reads XINFO STREAM's reply (name/value pairs); undefined when it is not one. */
export function streamState(reply: unknown): StreamState | undefined {
  if (!Array.isArray(reply)) return undefined;
  const fields = new Map<string, unknown>();
  for (let i = 0; i + 1 < reply.length; i += 2) fields.set(String(reply[i]), reply[i + 1]);
  const lastGenerated = idText(fields.get('last-generated-id'));
  if (!lastGenerated) return undefined;
  const first = fields.get('first-entry');
  return {
    lastGenerated,
    maxDeleted: idText(fields.get('max-deleted-entry-id')),
    firstId: Array.isArray(first) ? idText(first[0]) : undefined,
  };
}

function idText(v: unknown): string | undefined {
  const s = Buffer.isBuffer(v) ? v.toString('latin1') : v;
  return typeof s === 'string' && ID.test(s) ? s : undefined;
}
