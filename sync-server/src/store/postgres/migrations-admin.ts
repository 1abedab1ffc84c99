/** Tenants, sites, zones, users, tokens, reports, commands, site and device reports. */
export const ADMIN_MIGRATIONS: readonly string[] = [];
