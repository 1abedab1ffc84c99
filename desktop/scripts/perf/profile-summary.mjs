// Summarises a V8 CPU profile (CDP Profiler.stop) as self time per function, heaviest first.

/** Self time per function (ms) and its share of the sampled time, as printable lines. */
export function summariseProfile(profile, top = 20) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map();
  const deltas = profile.timeDeltas ?? [];
  profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (deltas[i] ?? 0)));
  const byFn = new Map();
  let total = 0;
  for (const [id, us] of selfUs) {
    const f = byId.get(id).callFrame;
    const file = f.url ? f.url.split('/').pop() : '';
    const key = `${f.functionName || '(anonymous)'} ${file}:${f.lineNumber + 1}`;
    byFn.set(key, (byFn.get(key) ?? 0) + us);
    total += us;
  }
  const rows = [...byFn].sort((a, b) => b[1] - a[1]).slice(0, top);
  return [`sampled ${Math.round(total / 1000)} ms`, ...rows.map(([k, us]) => `${(us / 1000).toFixed(0).padStart(7)} ms ${((100 * us) / total).toFixed(1).padStart(5)}%  ${k}`)].join('\n');
}

/**
 * Long tasks of the renderer's main thread in a Chrome trace (CDP Tracing, JSON events): for each
 * task over `minMs`, its start (ms from `originTs`) and the heaviest events inside it.
 */
export function summariseTrace(events, { minMs = 50, originTs = 0, top = 6 } = {}) {
  const main = events.find((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain' && events.some((x) => x.pid === e.pid && x.name === 'FireAnimationFrame'));
  if (!main) return 'no renderer main thread in the trace';
  const onMain = events.filter((e) => e.pid === main.pid && e.tid === main.tid && e.ph === 'X' && typeof e.dur === 'number');
  const tasks = onMain.filter((e) => (e.name === 'RunTask' || e.name === 'ThreadControllerImpl::RunTask') && e.dur >= minMs * 1000);
  const lines = [];
  for (const t of tasks) {
    const inside = onMain.filter((e) => e !== t && e.ts >= t.ts && e.ts + e.dur <= t.ts + t.dur && e.dur >= 2000);
    const names = new Map();
    for (const e of inside) {
      const label = e.name === 'FunctionCall' ? `FunctionCall ${e.args?.data?.functionName || ''} ${String(e.args?.data?.url ?? '').split('/').pop()}:${e.args?.data?.lineNumber ?? ''}` : e.name;
      names.set(label, Math.max(names.get(label) ?? 0, e.dur));
    }
    const parts = [...names].sort((a, b) => b[1] - a[1]).slice(0, top).map(([n, d]) => `${n} ${(d / 1000).toFixed(0)}`);
    lines.push(`${((t.ts - originTs) / 1000).toFixed(0).padStart(7)} ms  task ${(t.dur / 1000).toFixed(0).padStart(5)} ms: ${parts.join(' | ')}`);
  }
  return lines.join('\n') || `no task over ${minMs} ms`;
}
