import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { edgeClaimsSchema, isId, MAX_EVENT_BATCH, PERMISSION_TTL_MS } from '@cr/shared';
import { MAX_COMMIT_WINDOW_MS } from '@cr/store-kit';
import { DEFAULT_REPLAY_WINDOW } from './store/replay-guard';
import { loadDeviceUsers, type DeviceUser } from './mqtt/device-users';
import { parseSiteHours, type SiteHours } from './domain/after-hours';
import { parseWatchText, WATCH_NUMERIC, WATCH_STRING_FLAGS, WATCH_USAGE, type WatchConfig } from './config-watch';

/** Everything one edge gateway needs to run; every timeout is overridable for tests. */
export interface EdgeConfig extends WatchConfig {
  siteId: string;
  tenantId: string;
  /** http(s) base URL of the cloud; undefined = run standalone */
  cloudUrl?: string;
  token?: string;
  /** embedded broker port (0 = any free port) when `mqttUrl` is not set */
  mqttPort: number;
  mqttUrl?: string;
  /** logins of the embedded broker (`--mqtt-users FILE`); undefined = any client may connect */
  mqttUsers?: DeviceUser[];
  /**
   * `--mqtt-closed`: the embedded broker admits only logins (the users file, if any, and the
   * per-device logins the cloud issues); on whenever `--mqtt-users` is given
   */
  mqttClosed: boolean;
  httpPort: number;
  /** interface the embedded broker and the HTTP server listen on */
  bind: string;
  dataDir: string;
  cacheTtlMs: number;
  heldOpenMs: number;
  deviceStaleMs: number;
  heartbeatMs: number;
  reconnectMinMs: number;
  reconnectMaxMs: number;
  ackTimeoutMs: number;
  /** outbox capacity in events; the default holds 48 h at 100 events/s */
  outboxMaxEvents: number;
  /** events per uploaded batch (at most; a batch holds what is waiting) */
  batchSize: number;
  /** batches uploaded ahead of the cloud's acknowledgements */
  uploadWindow: number;
  /** device event ids are remembered this long, for replay refusal across restarts */
  replayWindowMs: number;
  /** … and at most this many */
  replayMaxIds: number;
  maxClockSkewMs: number;
  /** `full` (default) fsyncs every commit, so stored events survive power loss; `normal` survives process crashes only */
  sqliteSync: 'normal' | 'full';
  /** group commit window: 0 = writes of the same tick share a transaction; up to 2 ms gathers more */
  commitWindowMs: number;
  /** WAL checkpoint interval of the background checkpointer; 0 = SQLite's own, inside commits */
  checkpointMs: number;
  /** staffed hours (`--site-hours`); without them after-hours presence is not watched */
  siteHours?: SiteHours;
  /** resolved alerts older than this are pruned from the site document */
  alertRetentionMs: number;
  /** minimum time between two state writes of one device into the site document */
  stateWriteMs: number;
  /**
   * runs on a broker any LAN client may publish door commands on: the embedded broker on a LAN
   * address without `--mqtt-users`, or an external broker that delivered the start-up forgery probe
   */
  insecureOpenBroker: boolean;
  /** minutes the commissioning window stays open from start (`--commissioning`); 0 = closed */
  commissioningMinutes: number;
  /** how long `--commissioning` opens the window for */
  commissioningWindowMinutes: number;
  /** enables POST /api/v1/link on the local port (tests and demos cut the cloud link with it) */
  testControls: boolean;
  quiet: boolean;
}

export class ConfigError extends Error {}

/** `--help`: not an error; the caller prints `usage` on stdout and exits 0. */
export class HelpRequested extends Error {
  constructor(readonly usage: string) {
    super('help requested');
  }
}

/** More batches in flight buy nothing once the cloud is the bottleneck, and hold more memory. */
const MAX_UPLOAD_WINDOW = 16;

const NUMERIC = {
  // 1884, not 1883: an edge box often already runs Mosquitto on the standard MQTT port.
  'mqtt-port': ['mqttPort', 1884],
  'http-port': ['httpPort', 8090],
  'cache-ttl-ms': ['cacheTtlMs', PERMISSION_TTL_MS],
  'held-open-ms': ['heldOpenMs', 60_000],
  'device-stale-ms': ['deviceStaleMs', 300_000],
  'heartbeat-ms': ['heartbeatMs', 10_000],
  'reconnect-min-ms': ['reconnectMinMs', 500],
  'reconnect-max-ms': ['reconnectMaxMs', 30_000],
  'ack-timeout-ms': ['ackTimeoutMs', 15_000],
  'outbox-max-events': ['outboxMaxEvents', 48 * 3600 * 100],
  'batch-size': ['batchSize', 1000],
  'upload-window': ['uploadWindow', 4],
  'replay-window-ms': ['replayWindowMs', DEFAULT_REPLAY_WINDOW.windowMs],
  'replay-max-ids': ['replayMaxIds', DEFAULT_REPLAY_WINDOW.maxIds],
  'max-clock-skew-ms': ['maxClockSkewMs', 300_000],
  'state-write-ms': ['stateWriteMs', 1_000],
  'commit-window-ms': ['commitWindowMs', 0],
  'checkpoint-ms': ['checkpointMs', 250],
  'alert-retention-ms': ['alertRetentionMs', 7 * 24 * 3600_000],
  'commissioning-minutes': ['commissioningWindowMinutes', 60],
  ...WATCH_NUMERIC,
} as const satisfies Record<string, [keyof EdgeConfig, number]>;

type NumericFlag = keyof typeof NUMERIC;
const STRING_FLAGS = ['site', 'cloud', 'token', 'mqtt-url', 'mqtt-users', 'data', 'bind', 'tenant', 'sqlite-sync', 'site-hours', ...WATCH_STRING_FLAGS] as const;

export const USAGE = `usage: npm run edge -- --site ID --cloud URL --token TOKEN [--mqtt-port N | --mqtt-url URL] [--http-port N] [--data DIR]
  --mqtt-port N  embedded broker port (default 1884; 0 = any free port)   --http-port N  local API port (default 8090; 0 = any free port)
  [--mqtt-users FILE (embedded broker logins and per-device ACL; without it any LAN client may connect)]
  [--mqtt-closed (embedded broker admits only logins: the users file and the per-device logins issued in the cloud)]
  [--insecure-cloud-url (allow an http:// cloud URL that is not loopback: token and commands in clear text)]
  [--commissioning (admit every device that announces itself for --commissioning-minutes, default 60)]
  [--site-hours HH:MM-HH:MM (staffed hours in the site's time zone; people counted outside them raise presence.after-hours)]
  ${WATCH_USAGE}
  [--bind HOST (a LAN address needs --mqtt-closed or --mqtt-users)] [--insecure-open-broker (run on a broker any LAN client can command doors on)] [--tenant ID] [--sqlite-sync full|normal (default full: power-loss safe)] [--test-controls] [--quiet]
  ${Object.keys(NUMERIC)
    .map((f) => `[--${f} N]`)
    .join(' ')}
Every option can also come from an env var: EDGE_<FLAG_IN_UPPER_SNAKE>, e.g. EDGE_CACHE_TTL_MS.`;

const envName = (flag: string): string => `EDGE_${flag.toUpperCase().replace(/-/g, '_')}`;

function parseCount(flag: string, raw: string, min: number): number {
  const n = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || !Number.isSafeInteger(n) || n < min) {
    throw new ConfigError(`--${flag} must be a whole number ≥ ${min}, got ${JSON.stringify(raw)}`);
  }
  return n;
}

function parseUrl(flag: string, raw: string, protocols: string[]): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(`--${flag} is not a URL: ${JSON.stringify(raw)}`);
  }
  if (!protocols.includes(url.protocol)) throw new ConfigError(`--${flag} must use ${protocols.join(' or ')}, got ${url.protocol}`);
  return raw.replace(/\/+$/, '');
}

/** Reads a token's claims without verifying: the edge only learns which tenant and site it is. */
function tenantFromToken(token: string, siteId: string): string {
  let claims: unknown;
  try {
    const payload = token.split('.')[1] ?? '';
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    throw new ConfigError('--token is not a signed edge token (JWT)');
  }
  const parsed = edgeClaimsSchema.safeParse(claims);
  if (!parsed.success) throw new ConfigError('--token is not an edge token (typ "edge" with tenantId and siteId)');
  if (parsed.data.siteId !== siteId) throw new ConfigError(`--token is for site ${parsed.data.siteId}, not ${siteId}`);
  return parsed.data.tenantId;
}

/** Addresses only this machine can reach. */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/**
 * Threat: an `http://` cloud across a network hands the edge token to anyone on the path, who can
 * then impersonate the cloud (send door commands, feed permissions). Loopback stays allowed.
 */
function cloudUrlOf(raw: string, insecure: boolean): string {
  const url = parseUrl('cloud', raw, ['http:', 'https:']);
  const host = new URL(url).hostname.replace(/^\[(.*)\]$/, '$1');
  if (url.startsWith('http:') && !insecure && !isLoopback(host)) {
    throw new ConfigError(`--cloud ${url} is plain http to another machine (the edge token and commands would cross the network in clear text): use https:// or pass --insecure-cloud-url`);
  }
  return url;
}

function readFlags(argv: string[]) {
  const options = Object.fromEntries([
    ...STRING_FLAGS.map((f) => [f, { type: 'string' as const }]),
    ...Object.keys(NUMERIC).map((f) => [f, { type: 'string' as const }]),
    ['test-controls', { type: 'boolean' as const }],
    ['insecure-cloud-url', { type: 'boolean' as const }],
    ['insecure-open-broker', { type: 'boolean' as const }],
    ['commissioning', { type: 'boolean' as const }],
    ['mqtt-closed', { type: 'boolean' as const }],
    ['quiet', { type: 'boolean' as const }],
    ['help', { type: 'boolean' as const }],
  ]);
  try {
    return parseArgs({ args: argv, options, strict: true, allowPositionals: false }).values as Record<string, string | boolean | undefined>;
  } catch (err) {
    throw new ConfigError((err as Error).message.split('\n')[0] ?? 'bad arguments');
  }
}

function readUsers(path: string): DeviceUser[] {
  try {
    return loadDeviceUsers(resolve(path));
  } catch (err) {
    throw new ConfigError(`--mqtt-users: ${(err as Error).message}`, { cause: err });
  }
}

/**
 * Parses CLI flags (env vars as fallback). Throws ConfigError with one clear line on bad input, and
 * HelpRequested for `--help`.
 */
export function parseEdgeConfig(argv: string[], env: NodeJS.ProcessEnv = process.env): EdgeConfig {
  const flags = readFlags(argv);
  if (flags.help) throw new HelpRequested(USAGE);
  const str = (f: string): string | undefined => (flags[f] as string | undefined) ?? env[envName(f)];
  const siteId = str('site');
  if (!siteId) throw new ConfigError('--site ID is required');
  if (!isId(siteId)) throw new ConfigError(`--site ${JSON.stringify(siteId)} is not a valid id (lower-case, digits, . _ -)`);
  if (flags['mqtt-port'] !== undefined && flags['mqtt-url'] !== undefined) throw new ConfigError('use either --mqtt-port or --mqtt-url, not both');
  const cloud = str('cloud');
  const token = str('token');
  if (cloud && !token) throw new ConfigError('--cloud needs --token (the site edge token)');
  const tenant = token ? tenantFromToken(token, siteId) : (str('tenant') ?? 'demo');
  if (!isId(tenant)) throw new ConfigError(`--tenant ${JSON.stringify(tenant)} is not a valid id`);
  const sync = str('sqlite-sync') ?? 'full';
  if (sync !== 'normal' && sync !== 'full') throw new ConfigError('--sqlite-sync must be normal or full');
  const numbers = {} as Record<(typeof NUMERIC)[NumericFlag][0], number>;
  for (const [flag, [key, def]] of Object.entries(NUMERIC)) {
    const raw = str(flag);
    const min = flag.endsWith('port') || flag === 'commit-window-ms' || flag === 'checkpoint-ms' ? 0 : 1;
    numbers[key] = raw === undefined ? def : parseCount(flag, raw, min);
    if (flag.endsWith('port') && numbers[key] > 65535) throw new ConfigError(`--${flag} must be ≤ 65535`);
  }
  if (numbers.batchSize > MAX_EVENT_BATCH) throw new ConfigError(`--batch-size must be ≤ ${MAX_EVENT_BATCH}`);
  if (numbers.uploadWindow > MAX_UPLOAD_WINDOW) throw new ConfigError(`--upload-window must be ≤ ${MAX_UPLOAD_WINDOW}`);
  if (numbers.commitWindowMs > MAX_COMMIT_WINDOW_MS) throw new ConfigError(`--commit-window-ms must be ≤ ${MAX_COMMIT_WINDOW_MS}`);
  const hoursRaw = str('site-hours');
  const siteHours = hoursRaw === undefined ? undefined : parseSiteHours(hoursRaw);
  if (hoursRaw !== undefined && !siteHours) throw new ConfigError(`--site-hours must be HH:MM-HH:MM with two different times (e.g. 07:00-23:00), got ${JSON.stringify(hoursRaw)}`);
  const watch = parseWatchText(str, (message) => {
    throw new ConfigError(message);
  });
  const mqttUrl = str('mqtt-url');
  const usersFile = str('mqtt-users');
  if (usersFile && mqttUrl) throw new ConfigError('--mqtt-users secures the embedded broker; an external broker (--mqtt-url) uses its own authentication');
  const bind = str('bind') ?? '127.0.0.1';
  const insecureOpenBroker = flags['insecure-open-broker'] === true || env.EDGE_INSECURE_OPEN_BROKER === '1';
  const mqttClosed = usersFile !== undefined || flags['mqtt-closed'] === true || env.EDGE_MQTT_CLOSED === '1';
  if (mqttClosed && mqttUrl) throw new ConfigError('--mqtt-closed closes the embedded broker; an external broker (--mqtt-url) uses its own authentication');
  // Threat: an embedded broker reachable from the LAN with no logins, on which any client may
  // announce a fire panel or a door (and, before the edge-only topic guard, command doors).
  if (!mqttUrl && !mqttClosed && !isLoopback(bind) && !insecureOpenBroker) {
    throw new ConfigError(`--bind ${bind} opens the embedded broker to the LAN: close it with --mqtt-closed (per-device logins issued in the cloud) and/or --mqtt-users FILE (or accept the risk with --insecure-open-broker)`);
  }
  return {
    siteId,
    tenantId: tenant,
    insecureOpenBroker,
    commissioningMinutes: flags.commissioning === true || env.EDGE_COMMISSIONING === '1' ? numbers.commissioningWindowMinutes : 0,
    cloudUrl: cloud ? cloudUrlOf(cloud, flags['insecure-cloud-url'] === true || env.EDGE_INSECURE_CLOUD_URL === '1') : undefined,
    token,
    mqttUrl: mqttUrl ? parseUrl('mqtt-url', mqttUrl, ['mqtt:', 'mqtts:', 'tcp:', 'ws:', 'wss:']) : undefined,
    mqttUsers: usersFile ? readUsers(usersFile) : undefined,
    mqttClosed,
    bind,
    dataDir: resolve(str('data') ?? `./.data/edge-${siteId}`),
    sqliteSync: sync,
    ...(siteHours ? { siteHours } : {}),
    ...watch,
    testControls: flags['test-controls'] === true || env.EDGE_TEST_CONTROLS === '1',
    quiet: flags.quiet === true,
    ...numbers,
  };
}
