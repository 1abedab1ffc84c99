/** Firmware rollouts (store/firmware-rollouts-store.ts). */
export const FIRMWARE_MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE firmware_rollouts (
    tenant_id TEXT NOT NULL, id TEXT NOT NULL, site_id TEXT NOT NULL, state TEXT NOT NULL, body TEXT NOT NULL,
    updated_at BIGINT NOT NULL, PRIMARY KEY (tenant_id, id));
  CREATE INDEX firmware_rollouts_running ON firmware_rollouts(state);
  `,
];
