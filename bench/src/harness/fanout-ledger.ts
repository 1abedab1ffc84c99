import { summarize, type Summary } from '../stats';

/**
 * Counts who has seen each edit until `expected` have; keeps the time of the last arrival. A
 * client process uses one over its own clients, the writer one over the client processes.
 */
export class ArrivalTally {
  private readonly open = new Map<number, { count: number; lastAt: number }>();

  constructor(readonly expected: number) {
    if (!(Number.isInteger(expected) && expected > 0))
      throw new RangeError(`a tally needs at least one observer, got ${expected}`);
  }

  /** Records one arrival of `seq` at `at`; returns the last arrival time when this one completes the edit. */
  arrive(seq: number, at: number): number | undefined {
    const e = this.open.get(seq) ?? { count: 0, lastAt: Number.NEGATIVE_INFINITY };
    e.count++;
    e.lastAt = Math.max(e.lastAt, at);
    if (e.count < this.expected) {
      this.open.set(seq, e);
      return undefined;
    }
    this.open.delete(seq);
    return e.lastAt;
  }

  /** Edits some but not all observers have seen. */
  get pending(): number {
    return this.open.size;
  }
}

/**
 * What one console client saw: when it first saw each edit of the steady phase. Edits come from
 * one writer in order, so an edit older than the newest seen is a repeat and is not counted.
 */
export class ClientReceipts {
  private newest = -1;
  readonly steadyAt: Array<number | null>;

  constructor(steadyEdits: number) {
    this.steadyAt = Array.from({ length: steadyEdits }, () => null);
  }

  /** True when `seq` is new to this client. */
  see(seq: number, at: number): boolean {
    if (!Number.isInteger(seq) || seq <= this.newest) return false;
    this.newest = seq;
    if (seq < this.steadyAt.length) this.steadyAt[seq] = at;
    return true;
  }
}

export interface SteadyFigures {
  perClient: Summary;
  toEveryClient: Summary;
  /** steady edits that not every client saw */
  lost: number;
}

/**
 * The steady phase from the writer's send times, every client's receipts (same clock, `nowMs`)
 * and when each edit had reached every client (undefined: it never did).
 */
export function steadyFigures(
  sentAt: readonly number[],
  receipts: ReadonlyArray<ReadonlyArray<number | null>>,
  everyAt: ReadonlyArray<number | undefined>,
): SteadyFigures {
  const perClient: number[] = [];
  for (const client of receipts) {
    client.forEach((at, seq) => {
      if (at !== null && seq < sentAt.length) perClient.push(at - sentAt[seq]!);
    });
  }
  const toEvery: number[] = [];
  sentAt.forEach((sent, seq) => {
    const at = everyAt[seq];
    if (at !== undefined) toEvery.push(at - sent);
  });
  return { perClient: summarize(perClient), toEveryClient: summarize(toEvery), lost: sentAt.length - toEvery.length };
}

/** `clients` console clients dealt over `processes` client processes as evenly as possible. */
export function dealClients(clients: number, processes: number): number[] {
  if (!(Number.isInteger(clients) && Number.isInteger(processes) && processes > 0 && clients >= processes))
    throw new RangeError(`cannot deal ${clients} clients over ${processes} processes`);
  return Array.from(
    { length: processes },
    (_, i) => Math.floor(clients / processes) + (i < clients % processes ? 1 : 0),
  );
}
