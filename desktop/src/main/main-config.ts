import type { BridgeConfig } from '../common/ipc-contract';
import { bridgeConfigSchema } from '../common/ipc-contract';

/** Cloud URL from `--cloud URL` or CR_CLOUD_URL; the demo cloud on this machine otherwise. */
export function readMainConfig(argv: readonly string[], env: Record<string, string | undefined>): BridgeConfig {
  const i = argv.indexOf('--cloud');
  const raw = (i >= 0 ? argv[i + 1] : undefined) ?? env.CR_CLOUD_URL ?? 'http://127.0.0.1:8080';
  const parsed = bridgeConfigSchema.safeParse({ cloudUrl: raw.replace(/\/+$/, '') });
  if (!parsed.success) {
    console.error(`ignoring cloud URL ${JSON.stringify(raw)}: must be http(s)://host:port`);
    return { cloudUrl: 'http://127.0.0.1:8080' };
  }
  return parsed.data;
}
