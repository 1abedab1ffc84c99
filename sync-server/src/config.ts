import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';

/** Everything the cloud can be told at start; production defaults unless a flag says otherwise. */
export interface CloudConfig {
  /** TCP port; 0 picks a free one */
  port: number;
  /** interface to bind; loopback unless told otherwise */
  host: string;
  /** where the database and the signing key live */
  dataDir: string;
  /** seed the demo tenant of CONTRACT.md §1 */
  demo: boolean;
  /** folder of the built console, served at / when it exists */
  uiDir: string;
  /** a site is offline after this long without any message on its edge link */
  linkTimeoutMs: number;
  /** access events older than this are deleted */
  retentionDays: number;
  /** lifetime of a remote command before it expires */
  commandTtlMs: number;
}

export const DEFAULT_CONFIG: Omit<CloudConfig, 'dataDir' | 'uiDir'> = {
  port: 8080,
  host: '127.0.0.1',
  demo: false,
  linkTimeoutMs: 60_000,
  retentionDays: 90,
  commandTtlMs: 10_000,
};

const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

const flagsSchema = z.strictObject({
  port: int(0, 65_535).optional(),
  host: z.string().min(1).max(255).optional(),
  data: z.string().min(1).optional(),
  demo: z.boolean().optional(),
  ui: z.string().min(1).optional(),
  'link-timeout-ms': int(100, 86_400_000).optional(),
  'retention-days': int(1, 3650).optional(),
  'command-ttl-ms': int(500, 600_000).optional(),
});

export class ConfigError extends Error {}

/** Parses CLI flags (`--port N --data DIR --demo --ui DIR --link-timeout-ms N …`). Throws ConfigError with one clear line. */
export function parseConfig(argv: string[], cwd = process.cwd()): CloudConfig {
  let values: Record<string, unknown>;
  try {
    values = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        data: { type: 'string' },
        demo: { type: 'boolean' },
        ui: { type: 'string' },
        'link-timeout-ms': { type: 'string' },
        'retention-days': { type: 'string' },
        'command-ttl-ms': { type: 'string' },
      },
    }).values;
  } catch (err) {
    throw new ConfigError((err as Error).message.split('\n')[0]);
  }
  const parsed = flagsSchema.safeParse(values);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ConfigError(`--${issue.path.join('.')}: ${issue.message}`);
  }
  const f = parsed.data;
  return {
    ...DEFAULT_CONFIG,
    port: f.port ?? DEFAULT_CONFIG.port,
    host: f.host ?? DEFAULT_CONFIG.host,
    dataDir: resolve(cwd, f.data ?? '.data/cloud'),
    demo: f.demo ?? false,
    uiDir: resolve(cwd, f.ui ?? 'desktop/dist/renderer'),
    linkTimeoutMs: f['link-timeout-ms'] ?? DEFAULT_CONFIG.linkTimeoutMs,
    retentionDays: f['retention-days'] ?? DEFAULT_CONFIG.retentionDays,
    commandTtlMs: f['command-ttl-ms'] ?? DEFAULT_CONFIG.commandTtlMs,
  };
}
