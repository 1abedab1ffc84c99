/**
 * Where writes that may share one commit go. On SQLite the group commit (store-kit) runs every
 * queued write of a tick in one transaction and one fsync; on PostgreSQL each store call commits on
 * its own, and `DirectCommits` only runs the write.
 */
export interface CommitQueue {
  /** `write` is synchronous SQL on SQLite (a promise cannot join the transaction); anything on PostgreSQL */
  run<T>(write: () => T): Promise<T>;
  /** writes queued and not yet committed */
  readonly pending: number;
  /** commits what is queued now rather than at the end of the tick */
  flush(): void;
  close(): Promise<void>;
}

/** Each write commits by itself (a PostgreSQL store call is its own transaction). */
export class DirectCommits implements CommitQueue {
  readonly pending = 0;

  run<T>(write: () => T): Promise<T> {
    // A write that answers later (a PostgreSQL store) is awaited like one that answers now.
    return Promise.resolve().then(write);
  }

  flush(): void {}

  async close(): Promise<void> {}
}
