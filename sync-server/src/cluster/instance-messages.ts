/** A message for an edge link held by the instance it is sent to; the answer goes to `replyTo`'s reply channel. */
export interface DeliverRequest {
  id: string;
  key: string;
  payload: unknown;
  /** the asking instance's id */
  replyTo: string;
}

/** Whether the link's owner sent the message on. */
export interface DeliverReply {
  id: string;
  ok: boolean;
}

/** A message for every other instance. */
export interface Broadcast {
  from: string;
  payload: unknown;
}

/** Longest id, link key or instance id read from the bus. */
const MAX_NAME = 1_024;

const isName = (v: unknown): v is string => typeof v === 'string' && v.length > 0 && v.length <= MAX_NAME;

function parse(message: Buffer | string): Record<string, unknown> | string {
  try {
    const v: unknown = JSON.parse(message.toString());
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : 'not a JSON object';
  } catch {
    return 'not JSON';
  }
}

/** Reads a request; a description of what is wrong when it is not one. */
export function readRequest(message: Buffer | string): DeliverRequest | string {
  const m = parse(message);
  if (typeof m === 'string') return m;
  if (!isName(m.id) || !isName(m.key) || !isName(m.replyTo)) return 'a request needs id, key and replyTo';
  return { id: m.id, key: m.key, payload: m.payload, replyTo: m.replyTo };
}

export function readReply(message: Buffer | string): DeliverReply | string {
  const m = parse(message);
  if (typeof m === 'string') return m;
  if (!isName(m.id) || typeof m.ok !== 'boolean') return 'a reply needs id and ok';
  return { id: m.id, ok: m.ok };
}

export function readBroadcast(message: Buffer | string): Broadcast | string {
  const m = parse(message);
  if (typeof m === 'string') return m;
  if (!isName(m.from) || !('payload' in m)) return 'a broadcast needs from and payload';
  return { from: m.from, payload: m.payload };
}
