/** Counters of one run, filled by the surfaces and read by the report and the tests. */
export interface SurfaceCounts {
  /** inputs sent (publishes and raw connections; requests; upgrades and frames) */
  inputs: number;
  byKind: Record<string, number>;
  outcomes: Record<string, number>;
}

/** An answer worth a look (a 5xx, an unanswered complete request), with the input that got it. */
export interface Finding {
  surface: string;
  what: string;
  input: string;
}

const newCounts = (): SurfaceCounts => ({ inputs: 0, byKind: {}, outcomes: {} });

export class FuzzStats {
  readonly mqtt = newCounts();
  readonly http = newCounts();
  readonly ws = newCounts();
  /** MQTT publishes through ordinary clients (the ≥ 10,000 of a full run), without the raw connections */
  mqttPublishes = 0;
  forgedSent = 0;
  /** fuzz clients the broker disconnected (protocol violations, oversize packets) */
  clientDisconnects = 0;
  livenessChecks = 0;
  readonly livenessFailures: string[] = [];
  readonly findings: Finding[] = [];
  private readonly recent: Array<{ at: number; text: string }> = [];

  count(surface: 'mqtt' | 'http' | 'ws', kind: string, n = 1): void {
    const c = this[surface];
    c.inputs += n;
    c.byKind[kind] = (c.byKind[kind] ?? 0) + n;
  }

  outcome(surface: 'mqtt' | 'http' | 'ws', outcome: string): void {
    const c = this[surface];
    c.outcomes[outcome] = (c.outcomes[outcome] ?? 0) + 1;
  }

  /** Remembers an input as it is sent, so a crash can name what was in flight. */
  note(surface: string, text: string): void {
    this.recent.push({ at: Date.now(), text: `${surface}: ${text}` });
    if (this.recent.length > 200) this.recent.splice(0, 100);
  }

  find(surface: string, what: string, input: string): void {
    if (this.findings.length < 200) this.findings.push({ surface, what, input });
  }

  /**
   * The suspects of a crash: per surface, the last few inputs sent within `ms` (each lane sends
   * one input at a time, so the one that killed the process is among the last of its surface).
   */
  suspects(ms = 2_000, perSurface = 3): string[] {
    const since = Date.now() - ms;
    const recent = this.recent.filter((r) => r.at >= since);
    const surfaces = [...new Set(recent.map((r) => r.text.slice(0, r.text.indexOf(':'))))];
    return surfaces.flatMap((s) =>
      recent
        .filter((r) => r.text.startsWith(`${s}:`))
        .slice(-perSurface)
        .map((r) => r.text),
    );
  }
}

/** A short printable picture of bytes: text if it is text, else hex. */
export function preview(data: Buffer | string, max = 160): string {
  const buf = typeof data === 'string' ? Buffer.from(data) : data;
  const head = buf.subarray(0, max);
  const text = head.toString('utf8');
  const printable = /^[\x20-\x7e\u00a0-\uffff\r\n\t]*$/.test(text) && !text.includes('\ufffd');
  const shown = printable ? JSON.stringify(text) : `hex:${head.toString('hex')}`;
  return buf.length > max ? `${shown}… (${buf.length} bytes)` : shown;
}
