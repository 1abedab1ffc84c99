/** Events (partitioned by day), door commands, generated reports. */
export const EVENT_MIGRATIONS: readonly string[] = [];
