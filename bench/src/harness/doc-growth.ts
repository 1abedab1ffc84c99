import { join } from 'node:path';
import Database from 'better-sqlite3';
import * as Y from 'yjs';

/** What the cloud's store holds for a set of documents at one moment. */
export interface DocStoreSample {
  at: number;
  docs: number;
  /** rows in doc_updates (compaction folds them into one) */
  rows: number;
  /** bytes of those rows as stored */
  storedBytes: number;
  /** bytes of the documents' state once merged (one update per document), what a fresh load transfers */
  mergedBytes: number;
  /** highest row sequence: rows appended since an earlier sample = difference of the two */
  maxSeq: number;
}

/**
 * Reads the cloud's SQLite store (`<data>/cloud.db`, read-only beside the running cloud) for every
 * document whose name starts with `prefix` (e.g. `site:demo:`).
 */
export function sampleDocStore(dataDir: string, prefix: string): DocStoreSample {
  const db = new Database(join(dataDir, 'cloud.db'), { readonly: true, fileMustExist: true });
  try {
    const at = Date.now();
    const rows = db.prepare('SELECT doc_name AS name, data FROM doc_updates WHERE doc_name >= ? AND doc_name < ? ORDER BY doc_name, seq').all(prefix, `${prefix}\uffff`) as Array<{ name: string; data: Buffer }>;
    const maxSeq = (db.prepare('SELECT COALESCE(MAX(seq), 0) AS s FROM doc_updates').get() as { s: number }).s;
    const byDoc = new Map<string, Uint8Array[]>();
    let storedBytes = 0;
    for (const r of rows) {
      storedBytes += r.data.byteLength;
      const list = byDoc.get(r.name) ?? [];
      list.push(new Uint8Array(r.data));
      byDoc.set(r.name, list);
    }
    let mergedBytes = 0;
    for (const updates of byDoc.values()) mergedBytes += Y.mergeUpdates(updates).byteLength;
    return { at, docs: byDoc.size, rows: rows.length, storedBytes, mergedBytes, maxSeq };
  } finally {
    db.close();
  }
}

export interface GrowthPerSiteHour {
  windowS: number;
  /** merged document bytes added per site per hour, extrapolated linearly from the window */
  mergedBytes: number;
  /** stored bytes added per site per hour (net of compaction during the window) */
  storedBytes: number;
  /** rows appended per site per hour (each accepted update is one row before compaction) */
  rowsAppended: number;
}

/** Linear extrapolation of the growth between two samples to one site and one hour. */
export function growthPerSiteHour(before: DocStoreSample, after: DocStoreSample, sites: number): GrowthPerSiteHour {
  const windowS = (after.at - before.at) / 1000;
  if (!(windowS > 0)) throw new RangeError(`the window must last longer than 0 s, got ${windowS} s`);
  if (!(sites > 0)) throw new RangeError(`growth per site needs at least one site, got ${sites}`);
  const perSiteHour = (delta: number): number => (delta / sites) * (3600 / windowS);
  return {
    windowS,
    mergedBytes: perSiteHour(after.mergedBytes - before.mergedBytes),
    storedBytes: perSiteHour(after.storedBytes - before.storedBytes),
    rowsAppended: perSiteHour(after.maxSeq - before.maxSeq),
  };
}
