import { appendFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEMO_SITES } from '@cr/shared';
import { banner } from './banner';
import { startControlServer } from './control-server';
import { ensureConsoleBuilt, electronPresent, openDesktop, RENDERER_DIR } from './console-launch';
import { REPO_ROOT } from './processes';
import { parseStartOptions, START_USAGE, type StartOptions } from './start-options';
import { Supervisor } from './supervisor';
import { LocalSystem } from './system';
import { isErrorEntry, parseLogLine, readableLogLine } from './log-lines';

/** `npm start`: the cloud with demo data, an edge and a simulator per demo site, and the console. */
async function main(opts: StartOptions): Promise<void> {
  const started = Date.now();
  const dataDir = join(REPO_ROOT, '.data', 'demo');
  if (opts.reset) rmSync(dataDir, { recursive: true, force: true });
  const logDir = join(dataDir, 'logs');
  mkdirSync(logDir, { recursive: true });
  ensureConsoleBuilt();

  const system = new LocalSystem({
    dataDir,
    cloudPort: opts.port,
    siteIds: DEMO_SITES.map((s) => s.id),
    withSimulators: true,
    simRate: opts.rate,
    uiDir: RENDERER_DIR,
    log: (service, line, stream) => {
      appendFileSync(join(logDir, `${service.replace(/\s+/g, '-')}.log`), `${readableLogLine(line)}\n`);
      if (stream !== 'stderr') return;
      // The services log JSON lines; anything else on stderr (a crash's stack trace) is shown when it looks like one.
      const entry = parseLogLine(line);
      if (entry ? isErrorEntry(entry) : /error|fatal/i.test(line)) console.error(`[${service}] ${entry ? readableLogLine(line) : line}`);
    },
  });
  let shuttingDown = false;
  const shutdown = async (code: number, why?: string): Promise<void> => {
    if (shuttingDown) return;
    shuttingDown = true;
    supervisor.shutdown();
    if (why) console.error(why);
    console.log('\nStopping the demo…');
    await system.stop();
    rmSync(join(dataDir, 'control.json'), { force: true });
    console.log('Stopped. Data is kept in .data/demo (npm start -- --reset starts fresh).');
    process.exit(code);
  };
  const supervisor = new Supervisor((name, code) =>
    void shutdown(1, `${name} keeps failing (${code}); stopping the whole demo. Logs: .data/demo/logs/`),
  );
  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));

  try {
    console.log(`Starting the cloud on port ${opts.port}…`);
    await system.startCloud();
    supervisor.watch(system.cloud!, async () => (await system.startCloud(), system.cloud!));
    console.log(`Starting ${DEMO_SITES.length} sites (edge + simulated devices)…`);
    await Promise.all(DEMO_SITES.map((s) => system.startSite(s.id)));
    for (const site of system.sites.values()) {
      supervisor.watch(site.edge!, async () => (await system.startEdge(site.siteId), site.edge!));
      supervisor.watch(site.sim!, async () => (await system.startSimulator(site.siteId), site.sim!));
    }
  } catch (err) {
    await shutdown(1, `The demo could not start: ${(err as Error).message}\nLogs: .data/demo/logs/`);
    return;
  }
  const control = await startControlServer(system);
  writeFileSync(join(dataDir, 'control.json'), JSON.stringify({ url: control.url, pid: process.pid }));
  let consoleLine = `open ${system.cloudUrl}/ in a browser`;
  if (electronPresent()) {
    openDesktop(system.cloudUrl);
    consoleLine = `desktop app opened (also in a browser: ${system.cloudUrl}/)`;
  }
  console.log(banner(system, consoleLine, Date.now() - started));
}

let opts: StartOptions;
try {
  opts = parseStartOptions(process.argv.slice(2));
} catch (err) {
  console.error(`npm start: ${(err as Error).message}\n${START_USAGE}`);
  process.exit(2);
}
if (opts.help) {
  console.log(START_USAGE);
  process.exit(0);
}
void main(opts);
