import type pg from 'pg';
import type { DocUpdatesPort } from '../ports';
import { toRows, type DocRows, type StoredRow as Row } from '../doc-updates-store';
import type { PgDb } from './pg-db';

const SQL = {
  // One lock per document for the rest of the transaction: appends and compactions of one document
  // from any number of instances take their row sequence in commit order, so "rows after seq N" is
  // a sound catch-up for an instance that missed fan-out messages.
  lock: 'SELECT pg_advisory_xact_lock(hashtextextended($1, 7270))',
  append: 'INSERT INTO doc_updates (doc_name, data, created_at) VALUES ($1, $2, $3) RETURNING seq',
  load: 'SELECT seq, data FROM doc_updates WHERE doc_name = $1 ORDER BY seq',
  since: 'SELECT seq, data FROM doc_updates WHERE doc_name = $1 AND seq > $2 ORDER BY seq',
  stats:
    'SELECT COUNT(*)::int AS n, COALESCE(SUM(octet_length(data)), 0)::bigint AS bytes FROM doc_updates WHERE doc_name = $1',
  deleteSeqs: 'DELETE FROM doc_updates WHERE doc_name = $1 AND seq = ANY($2::bigint[])',
  exists: 'SELECT 1 FROM doc_updates WHERE doc_name = $1 LIMIT 1',
} as const;

interface PendingAppend {
  update: Uint8Array;
  now: number;
  resolve: (seq: number) => void;
  reject: (err: Error) => void;
}

/** updates of one document written in one transaction at most */
const MAX_APPENDS_PER_TX = 256;

/**
 * Yjs updates per document in PostgreSQL, shared by every cloud instance (the contract of
 * DocUpdatesStore). Appends to one document leave this instance one transaction at a time: those
 * that arrive meanwhile wait here and go together in the next one, under one lock. A busy document
 * (the tenant's status document, written for every site) therefore holds one pooled connection,
 * never the whole pool waiting on its lock.
 */
export class PgDocUpdatesStore implements DocUpdatesPort {
  private readonly queues = new Map<string, PendingAppend[]>();

  constructor(private readonly db: PgDb) {}

  /** Appends one update; committed when this resolves. Returns the row's sequence. */
  append(docName: string, update: Uint8Array, now = Date.now()): Promise<number> {
    return new Promise<number>((resolve, reject) => {
      const queue = this.queues.get(docName);
      if (queue) return void queue.push({ update, now, resolve, reject });
      this.queues.set(docName, [{ update, now, resolve, reject }]);
      void this.drain(docName);
    });
  }

  private async drain(docName: string): Promise<void> {
    for (;;) {
      const queue = this.queues.get(docName)!;
      if (queue.length === 0) return void this.queues.delete(docName);
      const batch = queue.splice(0, MAX_APPENDS_PER_TX);
      try {
        const seqs = await this.db.tx(async (c) => {
          await c.query(SQL.lock, [docName]);
          const out: number[] = [];
          for (const a of batch) out.push(await this.insertIn(c, docName, a.update, a.now));
          return out;
        });
        batch.forEach((a, i) => a.resolve(seqs[i]!));
      } catch (err) {
        for (const a of batch) a.reject(err as Error);
      }
    }
  }

  private async insertIn(c: pg.PoolClient, docName: string, update: Uint8Array, now: number): Promise<number> {
    const r = await c.query<{ seq: number }>(SQL.append, [docName, Buffer.from(update), now]);
    return r.rows[0]!.seq;
  }

  async load(docName: string): Promise<DocRows> {
    return toRows((await this.db.pool.query<Row>(SQL.load, [docName])).rows);
  }

  /** Rows appended after `seq` (an instance catching up on what its fan-out missed). */
  async since(docName: string, seq: number): Promise<DocRows> {
    return toRows((await this.db.pool.query<Row>(SQL.since, [docName, seq])).rows);
  }

  async stats(docName: string): Promise<{ rows: number; bytes: number }> {
    const r = (await this.db.pool.query<{ n: number; bytes: number }>(SQL.stats, [docName])).rows[0]!;
    return { rows: r.n, bytes: r.bytes };
  }

  async exists(docName: string): Promise<boolean> {
    return ((await this.db.pool.query(SQL.exists, [docName])).rowCount ?? 0) > 0;
  }

  /**
   * Replaces the rows it read with one merged update, under the document's lock: another
   * instance's compaction waits, and a row appended meanwhile is neither merged nor deleted.
   */
  compact(
    docName: string,
    merge: (updates: Uint8Array[]) => Uint8Array,
    now = Date.now(),
  ): Promise<{ before: number; after: number }> {
    return this.db.tx(async (c) => {
      await c.query(SQL.lock, [docName]);
      const rows = (await c.query<Row>(SQL.load, [docName])).rows;
      const { updates, bytes } = toRows(rows);
      if (updates.length < 2) return { before: bytes, after: bytes };
      const merged = merge(updates);
      await c.query(SQL.deleteSeqs, [docName, rows.map((r) => r.seq)]);
      await c.query(SQL.append, [docName, Buffer.from(merged), now]);
      return { before: bytes, after: merged.byteLength };
    });
  }
}
