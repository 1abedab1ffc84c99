/** Leases that let one instance at a time run a background job. */
export const CLUSTER_MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE job_leases (name TEXT PRIMARY KEY, holder TEXT NOT NULL, expires_at BIGINT NOT NULL);
  `,
];
