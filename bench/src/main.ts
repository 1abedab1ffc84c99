import { join } from 'node:path';
import { loadavg } from 'node:os';
import { REPO_ROOT } from '@cr/demo/processes';
import { SCENARIOS } from './scenarios/index';
import type { ScenarioResult } from './scenario';
import { machine, publishTable, readPublished, writeResults } from './results';
import { writeReadmeTable } from './readme-table';
import { markdownTable, textTable } from './table';
import { removeTempDirs } from './harness/temp';
import { combineRuns, type RepeatedResult } from './aggregate';

/** A scenario that runs longer than its limit (this by default) is stopped and reported as failed. */
const SCENARIO_LIMIT_MS = 170_000;
const DEFAULT_RUNS = 5;

function usageError(message: string): never {
  process.stderr.write(`bench: ${message}\n`);
  process.exit(2);
}

function parseArgs(argv: string[]) {
  const names: string[] = [];
  let runs = DEFAULT_RUNS;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--runs') {
      const n = Number(argv[++i]);
      if (!Number.isInteger(n) || n < 1 || n > 50) usageError(`--runs must be a whole number 1…50, got ${JSON.stringify(argv[i])}`);
      runs = n;
    } else if (!a.startsWith('-')) names.push(a);
  }
  const unknown = names.filter((n) => !SCENARIOS.some((s) => s.name === n));
  if (unknown.length > 0) usageError(`unknown scenario ${unknown.join(', ')}; choose from ${SCENARIOS.map((s) => s.name).join(', ')}`);
  const chosen = names.length === 0 ? SCENARIOS : SCENARIOS.filter((s) => names.includes(s.name));
  return { chosen, runs, publish: argv.includes('--publish'), markdown: argv.includes('--markdown') };
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

/** Runs a scenario `runs` times, noting the load before and the highest 1-minute load during each run. */
async function repeat(scenario: (typeof SCENARIOS)[number], runs: number, cores: number): Promise<RepeatedResult> {
  const results: ScenarioResult[] = [];
  const load: Array<{ before: number; peak: number }> = [];
  for (let i = 0; i < runs; i++) {
    const before = loadavg()[0]!;
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, loadavg()[0]!)), 1000);
    const r = await runOne(scenario);
    clearInterval(sampler);
    removeTempDirs();
    results.push(r);
    load.push({ before: Math.round(before * 100) / 100, peak: Math.round(peak * 100) / 100 });
    const busy = before > cores / 2 ? ' (machine busy before the run: noisy)' : '';
    console.log(`  run ${i + 1}/${runs}: ${r.status}${r.reason ? `: ${r.reason}` : ''} in ${(r.durationMs / 1000).toFixed(1)} s, load ${before.toFixed(2)} → peak ${peak.toFixed(2)}${busy}`);
  }
  return combineRuns(results, load);
}

async function main(): Promise<void> {
  const { chosen, runs, publish, markdown } = parseArgs(process.argv.slice(2));
  const startedAt = new Date().toISOString();
  const m = machine();
  console.log(`bench on ${m.cores} × ${m.cpuModel}, ${m.memoryGiB} GiB, Node ${m.node}; ${runs} run${runs > 1 ? 's' : ''} of each scenario`);
  const results: RepeatedResult[] = [];
  for (const s of chosen) {
    console.log(`\n▶ ${s.name}: ${s.title}`);
    const r = await repeat(s, runs, m.cores);
    results.push(r);
    if (r.ran) console.log(`  ran ${r.ran}`);
  }
  const report = { startedAt, finishedAt: new Date().toISOString(), machine: m, runs, scenarios: results };
  const file = writeResults(join(REPO_ROOT, 'bench', 'results'), report);
  console.log(`\n${textTable(results)}\n`);
  if (markdown) console.log(`${markdownTable(results)}\n`);
  console.log(`results: ${file} (and bench/results/latest.json, not tracked)`);
  if (publish) {
    const file = publishTable(join(REPO_ROOT, 'bench', 'results'), report, SCENARIOS.map((s) => s.name));
    writeReadmeTable(join(REPO_ROOT, 'README.md'), readPublished(file)!);
    console.log(`published: ${file} and the README's Performance table`);
  }
  // Load generators and servers are separate processes, already stopped; leftover handles must not keep us alive.
  process.exit(0);
}

void main();
