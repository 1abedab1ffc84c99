import { parseArgs } from 'node:util';
import { isId } from '@cr/shared';
import { Simulator } from './simulator';
import { startControl } from './control-server';

const USAGE = 'usage: npm run sim -- --site ID --mqtt-url URL [--devices N] [--rate R] [--control-port N] [--state-ms N]';

function fail(message: string): never {
  process.stderr.write(`sim: ${message}\n${USAGE}\n`);
  process.exit(2);
}

function count(raw: string | undefined, flag: string, def: number, min = 0): number {
  if (raw === undefined) return def;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < min) fail(`--${flag} must be a number ≥ ${min}`);
  return n;
}

function parse() {
  let values: Record<string, string | undefined>;
  try {
    values = parseArgs({
      options: {
        site: { type: 'string' },
        'mqtt-url': { type: 'string' },
        devices: { type: 'string' },
        rate: { type: 'string' },
        'control-port': { type: 'string' },
        'state-ms': { type: 'string' },
        help: { type: 'boolean' },
      },
      strict: true,
    }).values as Record<string, string | undefined>;
  } catch (err) {
    fail((err as Error).message.split('\n')[0] ?? 'bad arguments');
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  const site = values.site;
  if (!site || !isId(site)) fail('--site ID is required (lower-case id)');
  const url = values['mqtt-url'];
  if (!url || !/^(mqtt|mqtts|tcp|ws|wss):\/\//.test(url)) fail('--mqtt-url mqtt://HOST:PORT is required');
  const devices = values.devices === undefined ? undefined : Math.floor(count(values.devices, 'devices', 0, 1));
  if (devices !== undefined && devices > 300) fail('--devices must be ≤ 300');
  return { siteId: site, mqttUrl: url, devices, rate: count(values.rate, 'rate', 2), controlPort: count(values['control-port'], 'control-port', 0), stateMs: count(values['state-ms'], 'state-ms', 30_000, 100) };
}

/** `npm run sim`: a simulated site on an edge's broker, with a control port for tests and demos. */
async function main(): Promise<void> {
  const opts = parse();
  const sim = new Simulator(opts);
  try {
    await sim.start();
  } catch (err) {
    fail(`cannot start: ${(err as Error).message}`);
  }
  const control = await startControl(sim, opts.controlPort);
  process.stdout.write(`sim ${opts.siteId} devices ${sim.devices.size} on ${opts.mqttUrl}\n`);
  process.stdout.write(`sim ${opts.siteId} control on http://127.0.0.1:${control.port}\n`);
  const stop = (): void => {
    control.server.close();
    sim.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

void main();
