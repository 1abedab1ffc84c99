/** Events (partitioned by day), audit log, members, document updates. */
export const LOG_MIGRATIONS: readonly string[] = [];
