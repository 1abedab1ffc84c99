import { join } from 'node:path';
import { loadavg } from 'node:os';
import { REPO_ROOT } from '@cr/demo/processes';
import { SCENARIOS } from './scenarios/index';
import type { ScenarioResult } from './scenario';
import { machine, writeResults } from './results';
import { markdownTable, textTable } from './table';
import { removeTempDirs } from './harness/temp';

/** A scenario that runs longer than its limit (this by default) is stopped and reported as failed. */
const SCENARIO_LIMIT_MS = 170_000;

function pickScenarios(argv: string[]) {
  const names = argv.filter((a) => !a.startsWith('-'));
  const unknown = names.filter((n) => !SCENARIOS.some((s) => s.name === n));
  if (unknown.length > 0) {
    process.stderr.write(`bench: unknown scenario ${unknown.join(', ')}; choose from ${SCENARIOS.map((s) => s.name).join(', ')}\n`);
    process.exit(2);
  }
  return names.length === 0 ? SCENARIOS : SCENARIOS.filter((s) => names.includes(s.name));
}

async function runOne(scenario: (typeof SCENARIOS)[number]): Promise<ScenarioResult> {
  const started = Date.now();
  let timer: NodeJS.Timeout | undefined;
  const limitMs = scenario.limitMs ?? SCENARIO_LIMIT_MS;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`did not finish within ${limitMs / 1000} s`)), limitMs);
  });
  try {
    const r = await Promise.race([scenario.run(), limit]);
    return { name: scenario.name, status: r.status ?? 'ok', durationMs: Date.now() - started, ...r };
  } catch (err) {
    return { name: scenario.name, ran: '', status: 'failed', reason: (err as Error).message, durationMs: Date.now() - started, figures: [] };
  } finally {
    clearTimeout(timer);
  }
}

async function main(): Promise<void> {
  const chosen = pickScenarios(process.argv.slice(2));
  const startedAt = new Date().toISOString();
  const m = machine();
  console.log(`bench on ${m.cores} × ${m.cpuModel}, ${m.memoryGiB} GiB, Node ${m.node}`);
  const results: ScenarioResult[] = [];
  for (const s of chosen) {
    // Other work on the machine shows up as latency tails; the load at start is kept with each result.
    const load = loadavg()[0]!;
    console.log(`\n▶ ${s.name}: ${s.title} (load average ${load.toFixed(2)} on ${m.cores} cores${load > m.cores / 2 ? ': the machine is busy, figures will be noisy' : ''})`);
    const r = { ...(await runOne(s)), loadAverageAtStart: Math.round(load * 100) / 100 };
    results.push(r);
    console.log(`  ${r.status}${r.reason ? `: ${r.reason}` : ''} in ${(r.durationMs / 1000).toFixed(1)} s${r.ran ? `; ran ${r.ran}` : ''}`);
    removeTempDirs();
  }
  const report = { startedAt, finishedAt: new Date().toISOString(), machine: m, scenarios: results };
  const file = writeResults(join(REPO_ROOT, 'bench', 'results'), report);
  console.log(`\n${textTable(results)}\n`);
  if (process.argv.includes('--markdown')) console.log(`${markdownTable(results)}\n`);
  console.log(`results: ${file} (and bench/results/latest.json)`);
  // Load generators and servers are separate processes, already stopped; leftover handles must not keep us alive.
  process.exit(0);
}

void main();
