import type { FanoutMeasured } from '../harness/fanout-workload';
import { atLeast, atMost, info, type Figure } from '../scenario';
import { round } from '../stats';

/** The first reference, the y-websocket project's own server; the throughput target is set against it. */
export const YWS = '@y/websocket-server 0.1.1';
export const HOCUSPOCUS = '@hocuspocus/server 3.4.4';

/** A reference server of the fan-out run: its figures, or why it has none in this run. */
export type ReferenceRun = { label: string; measured: FanoutMeasured } | { label: string; failed: string };

const metrics = (m: FanoutMeasured) => ({
  p50: m.steady.perClient.p50,
  p99: m.steady.perClient.p99,
  every: m.steady.toEveryClient.p99,
  throughput: m.saturation.editsPerSec,
  cpu: m.serverCpuMsPerEdit,
});

/** The busiest client process at saturation, with every process and the writer in the note. */
function clientCpu(prefix: string, m: FanoutMeasured): Figure {
  const busiest = Math.max(...m.clientCpuPercent);
  const each = m.clientCpuPercent.map((c) => Math.round(c)).join(', ');
  return info(
    `${prefix}client processes CPU at saturation (busiest of ${m.clientCpuPercent.length})`,
    round(busiest),
    '% of a core',
    {
      note: `each ${each} %; writer ${Math.round(m.writerCpuPercent)} %; server ${Math.round(m.serverCpuPercent)} %`,
    },
  );
}

/**
 * The fan-out figures: ours, then each reference that ran in this run beside them, every
 * reference row carrying us/that reference. A reference that did not run has no row and no ratio;
 * the throughput target (1.5× the first reference) is judged only when that reference ran.
 */
export function fanoutFigures(us: FanoutMeasured, references: readonly ReferenceRun[], clients: number): Figure[] {
  const u = metrics(us);
  const yws = references.find(
    (r): r is Extract<ReferenceRun, { measured: FanoutMeasured }> => r.label === YWS && 'measured' in r,
  );
  const throughput = yws
    ? atLeast(
        'throughput at saturation',
        Math.round(u.throughput),
        'edits/s to all clients',
        Math.round(1.5 * yws.measured.saturation.editsPerSec),
        { note: `target 1.5× ${YWS}` },
      )
    : info('throughput at saturation', Math.round(u.throughput), 'edits/s to all clients', {
        note: `not judged: ${YWS} did not run`,
      });
  const figures: Figure[] = [
    info('update → client p50', round(u.p50), 'ms'),
    atMost('update → client p99', round(u.p99), 'ms', 20),
    info(`update → all ${clients} clients p99`, round(u.every), 'ms'),
    throughput,
    info('server CPU per edit at saturation', round(u.cpu), 'ms'),
    clientCpu('', us),
  ];
  for (const ref of references) {
    if (!('measured' in ref)) continue;
    const r = metrics(ref.measured);
    const vs = (ours: number, theirs: number) =>
      theirs > 0 && Number.isFinite(theirs) ? { ratio: round(ours / theirs), ratioOf: `us/${ref.label}` } : {};
    figures.push(
      info(`${ref.label}: update → client p50`, round(r.p50), 'ms', vs(u.p50, r.p50)),
      info(`${ref.label}: update → client p99`, round(r.p99), 'ms', vs(u.p99, r.p99)),
      info(`${ref.label}: update → all ${clients} clients p99`, round(r.every), 'ms', vs(u.every, r.every)),
      info(
        `${ref.label}: throughput at saturation`,
        Math.round(r.throughput),
        'edits/s to all clients',
        vs(u.throughput, r.throughput),
      ),
      info(`${ref.label}: server CPU per edit at saturation`, round(r.cpu), 'ms', vs(u.cpu, r.cpu)),
      clientCpu(`${ref.label}: `, ref.measured),
    );
  }
  return figures;
}
