import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { parseEdgeConfig } from '../../src/config';
import { startEdge, type RunningEdge } from '../../src/edge';
import type { Logger } from '../../src/log';

/** Tests print only errors; warnings about deliberate bad input would drown the report. */
const quietLog: Logger = { info: () => undefined, warn: () => undefined, error: (m) => process.stderr.write(`${m}\n`) };

export const MOSQUITTO_URL = 'mqtt://127.0.0.1:1883';

/** A unique site id per test, so parallel runs on a shared Mosquitto never collide. */
export function uniqueSite(prefix = 't'): string {
  return `${prefix}-${randomBytes(5).toString('hex')}`;
}

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'edge-test-'));
}

export interface TestEdgeOptions {
  site?: string;
  /** `mosquitto`: the machine's shared broker, which is open to anonymous clients (hence --insecure-open-broker) */
  broker?: 'embedded' | 'mosquitto';
  /** an external broker of the test's own */
  mqttUrl?: string;
  /** false: start with the commissioning window closed (new doors, readers and panels stay pending) */
  commissioning?: boolean;
  dataDir?: string;
  flags?: string[];
}

/** Starts an edge in-process with short timeouts and a temp data dir. */
export async function startTestEdge(opts: TestEdgeOptions = {}): Promise<RunningEdge> {
  const site = opts.site ?? uniqueSite();
  const broker = opts.mqttUrl
    ? ['--mqtt-url', opts.mqttUrl]
    : opts.broker === 'mosquitto'
      ? ['--mqtt-url', MOSQUITTO_URL, '--insecure-open-broker']
      : ['--mqtt-port', '0'];
  // Devices are admitted as they announce themselves unless a test checks admission itself.
  const admit = opts.commissioning === false ? [] : ['--commissioning'];
  const args = ['--site', site, ...broker, '--http-port', '0', '--data', opts.dataDir ?? tempDir(), '--quiet', ...admit, ...(opts.flags ?? [])];
  const config = parseEdgeConfig(args, {});
  return startEdge(config, quietLog);
}
