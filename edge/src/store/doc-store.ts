import * as Y from 'yjs';
import type { Db } from './db';
import type { GroupCommit } from '@cr/store-kit';

const SQL = {
  all: 'SELECT seq, update_bytes AS bytes FROM doc_updates ORDER BY seq',
  append: 'INSERT INTO doc_updates (update_bytes) VALUES (?)',
  deleteUpTo: 'DELETE FROM doc_updates WHERE seq <= ?',
} as const;

/**
 * The site document's local persistence: each update is appended (group-committed with the
 * outbox, so a burst of document writes costs one fsync); compaction loads the rows into a Y.Doc
 * and re-encodes it, replacing the rows in a transaction of its own after the current commit.
 */
export class DocStore {
  private readonly appendStmt;
  private rows = 0;

  constructor(
    private readonly db: Db,
    private readonly commits: GroupCommit,
    private readonly onError: (err: Error) => void,
    private readonly compactEvery = 500,
  ) {
    this.appendStmt = db.prepare(SQL.append);
  }

  /** Loads the persisted document (compacting it first), then persists every later update. */
  load(doc: Y.Doc): void {
    this.compact();
    const rows = this.db.prepare<[], { bytes: Buffer }>(SQL.all).all();
    Y.transact(doc, () => {
      for (const r of rows) Y.applyUpdate(doc, new Uint8Array(r.bytes));
    }, this);
    this.rows = rows.length;
    doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin === this) return;
      const bytes = Buffer.from(update);
      this.commits.run(() => this.appendStmt.run(bytes)).catch(this.onError);
      if (++this.rows >= this.compactEvery) {
        this.rows = 0;
        // Its own transaction, after the commits of this tick settled: re-encoding the document
        // must not hold up the commit that answers an access request or acknowledges an event.
        setImmediate(() => this.compactSafely());
      }
    });
  }

  private compactSafely(): void {
    if (!this.db.open) return;
    try {
      this.compact();
    } catch (err) {
      this.onError(err as Error);
    }
  }

  /** Replaces all rows with one re-encoded state, atomically. */
  compact(): void {
    this.db.transaction(() => {
      const rows = this.db.prepare<[], { seq: number; bytes: Buffer }>(SQL.all).all();
      if (rows.length <= 1) return;
      const doc = new Y.Doc();
      for (const r of rows) Y.applyUpdate(doc, new Uint8Array(r.bytes));
      this.db.prepare(SQL.deleteUpTo).run(rows.at(-1)!.seq);
      this.appendStmt.run(Buffer.from(Y.encodeStateAsUpdate(doc)));
      doc.destroy();
    })();
  }
}
