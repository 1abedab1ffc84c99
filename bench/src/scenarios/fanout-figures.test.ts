import { describe, expect, it } from 'vitest';
import type { FanoutMeasured } from '../harness/fanout-workload';
import type { Summary } from '../stats';
import { fanoutFigures, HOCUSPOCUS, YWS } from './fanout-figures';

const summary = (p50: number, p99: number): Summary => ({
  count: 10,
  min: p50 / 2,
  mean: p50,
  p50,
  p95: p99,
  p99,
  max: p99,
});
const measured = (p99: number, editsPerSec: number, cpuMs: number, clientCpu = [40, 50, 45, 60]): FanoutMeasured => ({
  steady: { perClient: summary(p99 / 2, p99), toEveryClient: summary(p99, p99 * 1.5), lost: 0 },
  saturation: { editsPerSec, deliveriesPerSec: editsPerSec * 100 },
  serverCpuMsPerEdit: cpuMs,
  serverCpuPercent: 90,
  serverRssMiB: 100,
  clientCpuPercent: clientCpu,
  writerCpuPercent: 20,
});
const byName = (figures: ReturnType<typeof fanoutFigures>) => new Map(figures.map((f) => [f.name, f]));

describe('fan-out figures', () => {
  it('puts every reference that ran beside ours, each with us/that reference', () => {
    const f = byName(
      fanoutFigures(
        measured(10, 900, 0.4),
        [
          { label: YWS, measured: measured(5, 600, 0.8) },
          { label: HOCUSPOCUS, measured: measured(20, 300, 1.6) },
        ],
        100,
      ),
    );
    expect(f.get('throughput at saturation')).toMatchObject({
      value: 900,
      target: '≥ 900 edits/s to all clients',
      met: true,
    });
    expect(f.get('throughput at saturation')?.ratio).toBeUndefined();
    expect(f.get(`${YWS}: throughput at saturation`)).toMatchObject({ value: 600, ratio: 1.5, ratioOf: `us/${YWS}` });
    expect(f.get(`${HOCUSPOCUS}: throughput at saturation`)).toMatchObject({
      value: 300,
      ratio: 3,
      ratioOf: `us/${HOCUSPOCUS}`,
    });
    expect(f.get(`${HOCUSPOCUS}: server CPU per edit at saturation`)).toMatchObject({ value: 1.6, ratio: 0.25 });
    expect(f.get(`${YWS}: update → client p99`)).toMatchObject({ value: 5, ratio: 2 });
    expect(f.get('update → client p99')).toMatchObject({ value: 10, met: true });
  });

  it('shows the busiest client process and every process in the note, so a saturated client is visible', () => {
    const f = byName(fanoutFigures(measured(10, 900, 0.4, [30, 97, 40, 20]), [], 100));
    expect(f.get('client processes CPU at saturation (busiest of 4)')).toMatchObject({
      value: 97,
      unit: '% of a core',
      note: 'each 30, 97, 40, 20 %; writer 20 %; server 90 %',
    });
  });

  it('compares with nothing that did not run: no rows, no ratios, the target not judged', () => {
    const figures = fanoutFigures(
      measured(10, 900, 0.4),
      [
        { label: YWS, failed: 'exited (1)' },
        { label: HOCUSPOCUS, measured: measured(20, 0, 1.6) },
      ],
      100,
    );
    const f = byName(figures);
    expect(figures.some((x) => x.name.startsWith(YWS) || x.ratioOf?.includes(YWS))).toBe(false);
    expect(f.get('throughput at saturation')).toMatchObject({ value: 900, note: `not judged: ${YWS} did not run` });
    expect(f.get('throughput at saturation')?.target).toBeUndefined();
    // A reference that delivered nothing at saturation gives no ratio rather than an infinite one.
    expect(f.get(`${HOCUSPOCUS}: throughput at saturation`)?.ratio).toBeUndefined();
  });
});
