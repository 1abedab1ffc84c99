/**
 * Who runs a background job (retention, reports, notifications) when several instances share a
 * store: the holder of its lease, renewed while it works; a lease not renewed passes to another
 * instance once it expired.
 */
export interface JobLeases {
  /** true when `holder` holds `name` for the next `ttlMs` (newly or renewed) */
  acquire(name: string, holder: string, ttlMs: number): Promise<boolean>;
  release(name: string, holder: string): Promise<void>;
}

/**
 * One process per SQLite file: the instance is the only one, so every lease is its own. Leases
 * are still asked for, so a job behaves the same on either store.
 */
export const soleInstanceLeases: JobLeases = {
  acquire: () => Promise.resolve(true),
  release: () => Promise.resolve(),
};
