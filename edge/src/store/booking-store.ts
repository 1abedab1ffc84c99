import type { GroupCommit } from '@cr/store-kit';
import { bookingFactSchema, edgeBookingSchema, type BookingFact, type EdgeBooking } from '@cr/shared';
import type { Db } from './db';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS bookings (id TEXT PRIMARY KEY, body TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS booking_facts (
  booking_id TEXT NOT NULL, kind TEXT NOT NULL, source TEXT NOT NULL, at INTEGER NOT NULL,
  keep_until INTEGER NOT NULL, PRIMARY KEY (booking_id, kind, source, at)
);
`;

export interface StoredFact {
  fact: BookingFact;
  /** when the fact may be forgotten (the booking's end, as known then, plus a margin) */
  keepUntil: number;
}

/**
 * The bookings the cloud sent and the facts the edge observed about them, in the edge's SQLite:
 * a restart offline opens the same rooms and knows which bookings it already checked in or released.
 * Writes ride the group commit, so a fact commits in the same transaction as its outbox event.
 */
export class BookingStore {
  private readonly put;
  private readonly del;
  private readonly delAll;
  private readonly addFactStmt;
  private readonly dropFactsStmt;

  constructor(
    private readonly db: Db,
    private readonly commits: GroupCommit,
  ) {
    db.exec(SCHEMA);
    this.put = db.prepare('INSERT INTO bookings (id, body) VALUES (?, ?) ON CONFLICT(id) DO UPDATE SET body = excluded.body');
    this.del = db.prepare('DELETE FROM bookings WHERE id = ?');
    this.delAll = db.prepare('DELETE FROM bookings');
    this.addFactStmt = db.prepare('INSERT OR IGNORE INTO booking_facts (booking_id, kind, source, at, keep_until) VALUES (?, ?, ?, ?, ?)');
    this.dropFactsStmt = db.prepare('DELETE FROM booking_facts WHERE keep_until < ? AND booking_id NOT IN (SELECT id FROM bookings)');
  }

  /** Everything stored; rows that no longer parse are skipped (a booking the cloud will send again). */
  load(): { bookings: EdgeBooking[]; facts: StoredFact[] } {
    const bookings: EdgeBooking[] = [];
    for (const row of this.db.prepare<[], { body: string }>('SELECT body FROM bookings').all()) {
      const parsed = edgeBookingSchema.safeParse(safeJson(row.body));
      if (parsed.success) bookings.push(parsed.data);
    }
    const facts: StoredFact[] = [];
    const rows = this.db.prepare<[], { booking_id: string; kind: string; source: string; at: number; keep_until: number }>('SELECT * FROM booking_facts').all();
    for (const r of rows) {
      const parsed = bookingFactSchema.safeParse({ bookingId: r.booking_id, kind: r.kind, source: r.source, at: r.at });
      if (parsed.success) facts.push({ fact: parsed.data, keepUntil: r.keep_until });
    }
    return { bookings, facts };
  }

  /** A snapshot: the stored bookings become exactly these. */
  replace(bookings: readonly EdgeBooking[]): Promise<unknown> {
    return this.commits.run(() => {
      this.delAll.run();
      for (const b of bookings) this.put.run(b.id, JSON.stringify(b));
    });
  }

  change(upserts: readonly EdgeBooking[], removals: readonly string[]): Promise<unknown> {
    return this.commits.run(() => {
      for (const id of removals) this.del.run(id);
      for (const b of upserts) this.put.run(b.id, JSON.stringify(b));
    });
  }

  addFact(f: StoredFact): Promise<unknown> {
    return this.commits.run(() => this.addFactStmt.run(f.fact.bookingId, f.fact.kind, f.fact.source, f.fact.at, f.keepUntil));
  }

  /** Forgets bookings and facts the book dropped. */
  prune(bookingIds: readonly string[], now: number): Promise<unknown> {
    return this.commits.run(() => {
      for (const id of bookingIds) this.del.run(id);
      this.dropFactsStmt.run(now);
    });
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
