import { round } from './stats';
import type { Figure, ScenarioResult } from './scenario';

type Row = Figure & { runs?: number; min?: number; max?: number; verdict?: string };
const verdict = (f: Row): string => f.verdict ?? (f.met === undefined ? '' : f.met ? 'met' : 'NOT met');
const valueOf = (f: Row): string => {
  const v = `${num(f.value)} ${f.unit}`;
  return f.runs !== undefined && f.runs > 1 ? `${v} (${num(f.min!)}–${num(f.max!)}, ${f.runs} runs)` : v;
};
const num = (x: number): string => (Number.isFinite(x) ? round(x).toLocaleString('en-US', { maximumFractionDigits: 3 }) : String(x));

/** Rows of the results table: one per figure, scenarios that did not run get one row saying why. */
export function tableRows(results: ReadonlyArray<Omit<ScenarioResult, 'figures'> & { figures: Row[] }>): string[][] {
  const rows: string[][] = [];
  for (const r of results) {
    if (r.status !== 'ok') {
      rows.push([r.name, r.status === 'not-run' ? 'not run' : 'failed', '', '', '', r.reason ?? '']);
      continue;
    }
    for (const f of r.figures) {
      const ratio = f.ratio === undefined ? (f.note ?? '') : `${num(f.ratio)}× ${f.ratioOf ?? ''}`.trim();
      rows.push([r.name, f.name, valueOf(f), f.target ?? '', verdict(f), ratio]);
    }
  }
  return rows;
}

const HEADER = ['scenario', 'figure', 'median (spread)', 'target', 'verdict', 'ratio / note'];

/** Fixed-width text table for the terminal. */
export function textTable(results: Parameters<typeof tableRows>[0]): string {
  const rows = [HEADER, ...tableRows(results)];
  const widths = HEADER.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]): string => r.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  return [line(rows[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line)].join('\n');
}

/** The same table in Markdown, for the README's Performance section. */
export function markdownTable(results: Parameters<typeof tableRows>[0]): string {
  const esc = (c: string): string => c.replace(/\|/g, '\\|');
  const rows = tableRows(results);
  return [`| ${HEADER.join(' | ')} |`, `|${HEADER.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.map(esc).join(' | ')} |`)].join('\n');
}
