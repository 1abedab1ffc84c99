/** Yjs document updates, appended as accepted and compacted. */
export const DOC_MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE doc_updates (
    seq BIGSERIAL PRIMARY KEY, doc_name TEXT NOT NULL, data BYTEA NOT NULL, created_at BIGINT NOT NULL);
  CREATE INDEX doc_updates_by_doc ON doc_updates(doc_name, seq);
  `,
];
