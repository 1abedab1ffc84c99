import { cpus, totalmem } from 'node:os';
import { mkdirSync, writeFileSync } from 'node:fs';
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

/**
 * Writes the committed `README-table.json` (only with `--publish`): the machine, the number of
 * runs, the load during each run and every figure's row as the README's Performance section shows it.
 */
export function publishTable(dir: string, report: Omit<RunReport, 'scenarios'> & { scenarios: RepeatedResult[] }): string {
  const file = join(dir, 'README-table.json');
  const table = {
    startedAt: report.startedAt,
    machine: report.machine,
    runs: report.runs,
    load: Object.fromEntries(report.scenarios.map((s) => [s.name, s.load])),
    header: ['scenario', 'figure', 'median (spread)', 'target', 'verdict', 'ratio / note'],
    rows: tableRows(report.scenarios),
  };
  writeFileSync(file, `${JSON.stringify(table, null, 2)}\n`);
  return file;
}
