import { readFileSync, writeFileSync } from 'node:fs';
import type { PublishedTable } from './results';

export const TABLE_START = '<!-- bench:table:start (written by npm run bench -- --publish) -->';
export const TABLE_END = '<!-- bench:table:end -->';

const esc = (c: string): string => c.replace(/\|/g, '\\|');
const range = (xs: number[]): string => {
  const lo = Math.min(...xs);
  const hi = Math.max(...xs);
  return lo === hi ? lo.toFixed(1) : `${lo.toFixed(1)}–${hi.toFixed(1)}`;
};

/** The Performance section's table: the machine, each scenario's runs, date and load, then every row. */
export function renderPerformance(t: PublishedTable): string {
  const m = t.machine;
  const lines = [
    `Machine: **${m.cores} × ${m.cpuModel}, ${m.memoryGiB} GiB, Node ${m.node.replace(/^v/, '')}, ${m.platform}**. Each figure is the median of the runs named below, with the spread (min–max) across them.`,
    '',
    '| scenario | runs | published | load average before → peak |',
    '|---|---|---|---|',
    ...Object.entries(t.scenarios).map(([name, s]) => `| ${name} | ${s.runs} | ${s.startedAt.slice(0, 16).replace('T', ' ')} UTC | ${range(s.load.map((l) => l.before))} → ${range(s.load.map((l) => l.peak))} |`),
    '',
    `| ${t.header.join(' | ')} |`,
    `|${t.header.map(() => '---').join('|')}|`,
    ...Object.values(t.scenarios).flatMap((s) => s.rows.map((r) => `| ${r.map(esc).join(' | ')} |`)),
  ];
  return lines.join('\n');
}

/** Replaces the text between the table markers of the README; refuses when the markers are missing. */
export function writeReadmeTable(readmePath: string, t: PublishedTable): void {
  const text = readFileSync(readmePath, 'utf8');
  const a = text.indexOf(TABLE_START);
  const b = text.indexOf(TABLE_END);
  if (a === -1 || b < a) throw new Error(`${readmePath} has no bench table markers (${TABLE_START} … ${TABLE_END})`);
  writeFileSync(readmePath, `${text.slice(0, a + TABLE_START.length)}\n${renderPerformance(t)}\n${text.slice(b)}`);
}
