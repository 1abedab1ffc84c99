import { startService, type Service } from '@cr/demo/processes';

/** A real edge gateway process (edge/src/main.ts) with its embedded broker, as `npm run edge` starts it. */
export interface EdgeProcess {
  service: Service;
  mqttUrl: string;
  httpUrl: string;
  /** every line the process printed, for a failing test's message */
  lines: string[];
}

export interface EdgeProcessOptions {
  siteId: string;
  cloudUrl: string;
  token: string;
  dataDir: string;
  /** extra flags, e.g. `['--batch-size', '5']` */
  flags?: string[];
  /** false: start with the commissioning window closed (new doors, readers and panels stay pending) */
  commissioning?: boolean;
  /** what runs: the TypeScript source (the default) or the built `edge/dist/main.js` */
  entry?: string;
  /** extra environment, e.g. a simulated clock (testing/fake-clock.ts) */
  env?: Record<string, string>;
}

/** Starts an edge and resolves once it printed both ready lines of CONTRACT.md §1. */
export async function startEdgeProcess(o: EdgeProcessOptions): Promise<EdgeProcess> {
  const lines: string[] = [];
  const service = startService({
    name: `edge ${o.siteId}`,
    entry: o.entry ?? 'edge/src/main.ts',
    args: [
      '--site',
      o.siteId,
      '--cloud',
      o.cloudUrl,
      '--token',
      o.token,
      '--mqtt-port',
      '0',
      '--http-port',
      '0',
      '--data',
      o.dataDir,
      // Test devices are admitted as they announce themselves (commissioning window).
      ...(o.commissioning === false ? [] : ['--commissioning']),
      ...(o.flags ?? []),
    ],
    ready: [new RegExp(`edge ${o.siteId} mqtt on (mqtt://\\S+)`), new RegExp(`edge ${o.siteId} http on (http://\\S+)`)],
    readyTimeoutMs: 30_000,
    ...(o.env ? { env: o.env } : {}),
    onLine: (line) => {
      lines.push(line);
      if (lines.length > 500) lines.shift();
    },
  });
  const [mqtt, http] = await service.ready;
  return { service, mqttUrl: mqtt![1]!, httpUrl: http![1]!, lines };
}

/** The edge's `GET /health` (CONTRACT.md §4). */
export async function edgeHealth(edge: EdgeProcess): Promise<{
  cloud: 'connected' | 'disconnected';
  mode: string;
  outboxDepth: number;
  permissionsSyncedAt: number | null;
  permissionsVersion: number;
}> {
  const res = await fetch(`${edge.httpUrl}/health`);
  if (!res.ok) throw new Error(`edge health: HTTP ${res.status}`);
  return (await res.json()) as Awaited<ReturnType<typeof edgeHealth>>;
}
