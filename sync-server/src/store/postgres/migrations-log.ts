/** Audit log (hash-chained per tenant), tenant keys, members. */
export const LOG_MIGRATIONS: readonly string[] = [];
