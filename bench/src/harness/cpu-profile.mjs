// Preloaded with `--import` into a service when BENCH_PROFILE_DIR is set: records a CPU profile
// of the whole process and writes it on exit, for the notes on targets a scenario missed.
// (Node 20 refuses --cpu-prof in NODE_OPTIONS, and the services are started by the demo launcher.)
import { Session } from 'node:inspector';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.env.BENCH_PROFILE_DIR;
if (dir) {
  const session = new Session();
  session.connect();
  session.post('Profiler.enable');
  session.post('Profiler.setSamplingInterval', { interval: 200 });
  session.post('Profiler.start');
  process.on('exit', () => {
    // The main-thread session answers synchronously, so the profile is written before the process ends.
    session.post('Profiler.stop', (err, result) => {
      if (err) return;
      mkdirSync(dir, { recursive: true });
      const name = (process.argv[process.argv.length - 1] ?? 'process').replace(/[^a-z0-9]+/gi, '-').slice(-40);
      writeFileSync(join(dir, `${process.pid}-${name}.cpuprofile`), JSON.stringify(result.profile));
    });
  });
}
