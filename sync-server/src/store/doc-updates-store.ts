import type { Db } from './db';

export interface DocRows {
  updates: Uint8Array[];
  /** highest row sequence read, for compaction */
  maxSeq: number;
  bytes: number;
}

const SQL = {
  append: 'INSERT INTO doc_updates (doc_name, data, created_at) VALUES (?, ?, ?)',
  load: 'SELECT seq, data FROM doc_updates WHERE doc_name = ? ORDER BY seq',
  since: 'SELECT seq, data FROM doc_updates WHERE doc_name = ? AND seq > ? ORDER BY seq',
  stats: 'SELECT COUNT(*) AS n, COALESCE(SUM(LENGTH(data)), 0) AS bytes FROM doc_updates WHERE doc_name = ?',
  deleteUpTo: 'DELETE FROM doc_updates WHERE doc_name = ? AND seq <= ?',
  exists: 'SELECT 1 FROM doc_updates WHERE doc_name = ? LIMIT 1',
} as const;

export type StoredRow = { seq: number; data: Buffer };

/** Stored rows as one document's updates, in row order. */
export const toRows = (rows: StoredRow[]): DocRows => {
  let bytes = 0;
  for (const r of rows) bytes += r.data.byteLength;
  return { updates: rows.map((r) => new Uint8Array(r.data)), maxSeq: rows.at(-1)?.seq ?? 0, bytes };
};

/** Yjs updates per document, appended as they are accepted and compacted in the background. */
export class DocUpdatesStore {
  constructor(readonly db: Db) {}

  /** Appends one update; committed (durably, synchronous=FULL) when this returns. Returns the row's sequence. */
  append(docName: string, update: Uint8Array, now = Date.now()): number {
    const r = this.db.prepare(SQL.append).run(docName, Buffer.from(update.buffer, update.byteOffset, update.byteLength), now);
    return Number(r.lastInsertRowid);
  }

  load(docName: string): DocRows {
    return toRows(this.db.prepare(SQL.load).all(docName) as StoredRow[]);
  }

  /** Rows appended after `seq` (catching up on what fan-out between instances missed). */
  since(docName: string, seq: number): DocRows {
    return toRows(this.db.prepare(SQL.since).all(docName, seq) as StoredRow[]);
  }

  stats(docName: string): { rows: number; bytes: number } {
    const r = this.db.prepare(SQL.stats).get(docName) as { n: number; bytes: number };
    return { rows: r.n, bytes: r.bytes };
  }

  exists(docName: string): boolean {
    return this.db.prepare(SQL.exists).get(docName) !== undefined;
  }

  /**
   * Replaces every row up to the newest with one merged update, in one transaction: `merge`
   * receives the rows read inside the transaction, so no concurrently appended row is lost.
   */
  compact(
    docName: string,
    merge: (updates: Uint8Array[]) => Uint8Array,
    now = Date.now(),
  ): { before: number; after: number } {
    return this.db.transaction(() => {
      const { updates, maxSeq, bytes } = this.load(docName);
      if (updates.length < 2) return { before: bytes, after: bytes };
      const merged = merge(updates);
      this.db.prepare(SQL.deleteUpTo).run(docName, maxSeq);
      this.append(docName, merged, now);
      return { before: bytes, after: merged.byteLength };
    })();
  }
}
