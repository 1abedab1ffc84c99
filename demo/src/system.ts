import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { LinkProxy } from './link-proxy';
import { startService, type Service } from './processes';
import { demoEdgeToken } from './cloud-client';

/** Shortened timeouts so scenarios run in seconds; production defaults stay unchanged. */
export interface Timing {
  linkTimeoutMs?: number;
  cacheTtlMs?: number;
  heartbeatMs?: number;
  deviceStaleMs?: number;
  heldOpenMs?: number;
  /** longest pause between an edge's reconnect attempts */
  reconnectMaxMs?: number;
}

export interface SystemOptions {
  dataDir: string;
  /** 0 = a free port */
  cloudPort: number;
  siteIds: readonly string[];
  withSimulators: boolean;
  /** events per second per simulated site */
  simRate?: number;
  timing?: Timing;
  /** a folder with the built console, served by the cloud at / */
  uiDir?: string;
  log?: (service: string, line: string, stream: 'stdout' | 'stderr') => void;
}

export interface SiteProcesses {
  siteId: string;
  proxy: LinkProxy;
  edge?: Service;
  edgeToken: string;
  mqttUrl?: string;
  httpUrl?: string;
  sim?: Service;
  simControlUrl?: string;
}

const flag = (name: string, value: number | undefined): string[] => (value === undefined ? [] : [`--${name}`, String(value)]);

/**
 * The demo edges' anomaly thresholds: short sustained times so a staged incident shows within
 * seconds (production defaults are minutes, see edge/README.md). Every zone holds 40 people; the
 * simulator's background never counts more than 30 in one.
 */
export const DEMO_WATCH = { zoneEmptyMs: 5_000, tailgateWindowMs: 15_000, zoneCapacity: 40, co2SustainMs: 10_000, hvacEmptyMs: 15_000 } as const;
const watchFlags = [
  ...flag('zone-empty-ms', DEMO_WATCH.zoneEmptyMs), ...flag('tailgate-window-ms', DEMO_WATCH.tailgateWindowMs),
  '--zone-capacity', `*=${DEMO_WATCH.zoneCapacity}`, ...flag('co2-sustain-ms', DEMO_WATCH.co2SustainMs), ...flag('hvac-empty-ms', DEMO_WATCH.hvacEmptyMs),
];

/** The whole product on one machine: a cloud, an edge per site behind a cuttable link, simulators. */
export class LocalSystem {
  cloud: Service | undefined;
  cloudUrl = '';
  readonly sites = new Map<string, SiteProcesses>();

  constructor(readonly options: SystemOptions) {}

  private log(name: string) {
    return (line: string, stream: 'stdout' | 'stderr') => this.options.log?.(name, line, stream);
  }

  async startCloud(port = this.options.cloudPort): Promise<string> {
    const dir = join(this.options.dataDir, 'cloud');
    mkdirSync(dir, { recursive: true });
    const t = this.options.timing ?? {};
    this.cloud = startService({
      name: 'cloud',
      entry: 'sync-server/src/main.ts',
      args: ['--port', String(port), '--data', dir, '--demo', ...flag('link-timeout-ms', t.linkTimeoutMs), ...(this.options.uiDir ? ['--ui', this.options.uiDir] : [])],
      ready: [/cloud listening on (http:\/\/\S+)/],
      onLine: this.log('cloud'),
    });
    const [m] = await this.cloud.ready;
    this.cloudUrl = m![1]!;
    return this.cloudUrl;
  }

  async stopCloud(): Promise<void> {
    await this.cloud?.stop();
  }

  /** Starts the edge of a site (behind its link proxy), and its simulator if configured. */
  async startSite(siteId: string, opts: { dataDir?: string } = {}): Promise<SiteProcesses> {
    let site = this.sites.get(siteId);
    if (!site) {
      const url = new URL(this.cloudUrl);
      const proxy = new LinkProxy(url.hostname, Number(url.port));
      await proxy.listen();
      site = { siteId, proxy, edgeToken: await demoEdgeToken(this.cloudUrl, siteId) };
      this.sites.set(siteId, site);
    }
    await this.startEdge(siteId, opts.dataDir);
    if (this.options.withSimulators && !site.sim) await this.startSimulator(siteId);
    return site;
  }

  async startEdge(siteId: string, dataDir?: string): Promise<void> {
    const site = this.sites.get(siteId)!;
    const dir = dataDir ?? join(this.options.dataDir, `edge-${siteId}`);
    mkdirSync(dir, { recursive: true });
    const t = this.options.timing ?? {};
    site.edge = startService({
      name: `edge ${siteId}`,
      entry: 'edge/src/main.ts',
      args: [
        '--site', siteId, '--cloud', site.proxy.url, '--token', site.edgeToken,
        // The demo's simulated devices are admitted as they announce themselves (CONTRACT.md §6).
        '--mqtt-port', '0', '--http-port', '0', '--data', dir, '--commissioning',
        ...flag('cache-ttl-ms', t.cacheTtlMs), ...flag('heartbeat-ms', t.heartbeatMs),
        ...flag('device-stale-ms', t.deviceStaleMs), ...flag('held-open-ms', t.heldOpenMs),
        ...flag('reconnect-max-ms', t.reconnectMaxMs), ...watchFlags,
      ],
      ready: [new RegExp(`edge ${siteId} mqtt on (mqtt://\\S+)`), new RegExp(`edge ${siteId} http on (http://\\S+)`)],
      onLine: this.log(`edge ${siteId}`),
    });
    const [mqtt, http] = await site.edge.ready;
    site.mqttUrl = mqtt![1]!;
    site.httpUrl = http![1]!;
  }

  async startSimulator(siteId: string): Promise<void> {
    const site = this.sites.get(siteId)!;
    site.sim = startService({
      name: `sim ${siteId}`,
      entry: 'edge/src/sim/main.ts',
      args: ['--site', siteId, '--mqtt-url', site.mqttUrl!, '--rate', String(this.options.simRate ?? 1)],
      ready: [new RegExp(`sim ${siteId} control on (http://\\S+)`)],
      onLine: this.log(`sim ${siteId}`),
    });
    const [m] = await site.sim.ready;
    site.simControlUrl = m![1]!;
  }

  /** Sends an incident to a site's simulator, e.g. `fire`, `force/door-lobby`, `offline/env-office`. */
  async simulate(siteId: string, path: string, body?: unknown): Promise<Response> {
    const site = this.sites.get(siteId);
    if (!site?.simControlUrl) throw new Error(`no simulator for site ${siteId}`);
    return fetch(`${site.simControlUrl}/${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body ?? {}),
    });
  }

  async stop(): Promise<void> {
    const all: Array<Promise<unknown>> = [];
    for (const site of this.sites.values()) all.push(site.sim?.stop() ?? Promise.resolve());
    await Promise.all(all);
    await Promise.all([...this.sites.values()].map((s) => s.edge?.stop()));
    await Promise.all([...this.sites.values()].map((s) => s.proxy.close()));
    await this.cloud?.stop();
  }
}
