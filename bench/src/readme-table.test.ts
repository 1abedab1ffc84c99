import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { publishTable, readPublished, type Machine } from './results';
import { TABLE_END, TABLE_START, writeReadmeTable } from './readme-table';
import type { RepeatedResult } from './aggregate';

const machine: Machine = { cores: 2, cpuModel: 'AMD EPYC', memoryGiB: 23.5, node: 'v20.20.2', platform: 'linux x64' };
const scenario = (name: string, value: number): RepeatedResult =>
  ({ name, title: name, status: 'ok', durationMs: 1, ran: '', figures: [{ name: 'p99', value, unit: 'ms', values: [value], spread: { min: value, max: value } }], load: [{ before: 0.5, peak: 1.5 }], runs: [] }) as unknown as RepeatedResult;
const report = (startedAt: string, scenarios: RepeatedResult[], m = machine) => ({ startedAt, finishedAt: startedAt, machine: m, runs: 3, scenarios });

describe('published benchmark table', () => {
  it('keeps scenarios an earlier run published and replaces those run again, in scenario order', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bench-pub-'));
    publishTable(dir, report('2026-12-07T10:00:00Z', [scenario('access', 1), scenario('fire', 2)]), ['access', 'fire', 'policy']);
    publishTable(dir, report('2026-12-07T12:00:00Z', [scenario('policy', 3), scenario('access', 4)]), ['access', 'fire', 'policy']);
    const t = readPublished(join(dir, 'README-table.json'))!;
    expect(Object.keys(t.scenarios)).toEqual(['access', 'fire', 'policy']);
    expect(t.scenarios.access!.startedAt).toBe('2026-12-07T12:00:00Z');
    expect(t.scenarios.fire!.startedAt).toBe('2026-12-07T10:00:00Z');
    expect(t.scenarios.access!.rows[0]![2]).toContain('4');
  });

  it('starts afresh on another machine', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bench-pub-'));
    publishTable(dir, report('2026-12-07T10:00:00Z', [scenario('access', 1)]));
    publishTable(dir, report('2026-12-07T12:00:00Z', [scenario('fire', 2)], { ...machine, cores: 8 }));
    expect(Object.keys(readPublished(join(dir, 'README-table.json'))!.scenarios)).toEqual(['fire']);
  });

  it('writes the table between the README markers and nowhere else, and refuses a README without them', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bench-pub-'));
    publishTable(dir, report('2026-12-07T10:00:00Z', [scenario('access', 1)]));
    const readme = join(dir, 'README.md');
    writeFileSync(readme, `# X\nbefore\n${TABLE_START}\nold table\n${TABLE_END}\nafter\n`);
    writeReadmeTable(readme, readPublished(join(dir, 'README-table.json'))!);
    const text = readFileSync(readme, 'utf8');
    expect(text).not.toContain('old table');
    expect(text).toMatch(/before\n<!-- bench:table:start[^\n]*\nMachine: \*\*2 × AMD EPYC/);
    expect(text).toContain('| access | 3 | 2026-12-07 10:00 UTC | 0.5 → 1.5 |');
    expect(text.endsWith(`${TABLE_END}\nafter\n`)).toBe(true);
    writeFileSync(readme, '# no markers\n');
    expect(() => writeReadmeTable(readme, readPublished(join(dir, 'README-table.json'))!)).toThrow(/markers/);
  });
});
