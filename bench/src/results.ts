import { cpus, totalmem } from 'node:os';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ScenarioResult } from './scenario';
import type { RepeatedResult } from './aggregate';
import { tableRows } from './table';

export interface Machine {
  cores: number;
  cpuModel: string;
  memoryGiB: number;
  node: string;
  platform: string;
}

export function machine(): Machine {
  const cpu = cpus();
  return {
    cores: cpu.length,
    cpuModel: cpu[0]?.model.trim() ?? 'unknown',
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
  };
}

export interface RunReport {
  startedAt: string;
  finishedAt: string;
  machine: Machine;
  /** runs of each scenario */
  runs?: number;
  scenarios: Array<ScenarioResult | RepeatedResult>;
}

/** Writes `<timestamp>.json` and `latest.json` under `dir`; returns the timestamped path. */
export function writeResults(dir: string, report: RunReport): string {
  mkdirSync(dir, { recursive: true });
  const stamp = report.startedAt.replace(/[:.]/g, '-');
  const file = join(dir, `${stamp}.json`);
  const text = `${JSON.stringify(report, null, 2)}\n`;
  writeFileSync(file, text);
  writeFileSync(join(dir, 'latest.json'), text);
  return file;
}

/** One scenario as published: when it ran, how often, the load around each run and its rows. */
export interface PublishedScenario {
  startedAt: string;
  runs: number;
  load: RepeatedResult['load'];
  rows: string[][];
}

export interface PublishedTable {
  machine: Machine;
  header: string[];
  /** by scenario name, in the order scenarios run */
  scenarios: Record<string, PublishedScenario>;
}

/**
 * Writes the committed `README-table.json` (only with `--publish`): the machine and, for each
 * scenario of this run, when it ran, the number of runs, the load during each and every figure's
 * row. Scenarios not in this run keep what an earlier published run recorded for them (on the same
 * machine; another machine starts the table afresh).
 */
export function publishTable(dir: string, report: Omit<RunReport, 'scenarios'> & { scenarios: RepeatedResult[] }, order: readonly string[] = []): string {
  const file = join(dir, 'README-table.json');
  const earlier = readPublished(file);
  const kept = earlier && JSON.stringify(earlier.machine) === JSON.stringify(report.machine) ? earlier.scenarios : {};
  const fresh = Object.fromEntries(
    report.scenarios.map((s) => [s.name, { startedAt: report.startedAt, runs: report.runs ?? 1, load: s.load, rows: tableRows([s]) }]),
  );
  const merged = { ...kept, ...fresh };
  const rank = (name: string) => (order.indexOf(name) === -1 ? order.length : order.indexOf(name));
  const scenarios = Object.fromEntries(Object.entries(merged).sort(([a], [b]) => rank(a) - rank(b)));
  const table: PublishedTable = { machine: report.machine, header: ['scenario', 'figure', 'median (spread)', 'target', 'verdict', 'ratio / note'], scenarios };
  writeFileSync(file, `${JSON.stringify(table, null, 2)}\n`);
  return file;
}

/** The published table, or undefined when there is none (or it is of an older shape). */
export function readPublished(file: string): PublishedTable | undefined {
  if (!existsSync(file)) return undefined;
  try {
    const t = JSON.parse(readFileSync(file, 'utf8')) as Partial<PublishedTable>;
    return t.machine && t.scenarios && t.header ? (t as PublishedTable) : undefined;
  } catch {
    return undefined;
  }
}
