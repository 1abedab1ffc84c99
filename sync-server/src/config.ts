import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { DEFAULT_NO_SHOW_GRACE_MS, ID_PATTERN } from '@cr/shared';
import { trustedProxies } from './http/client-address';
import { LOG_LEVELS, type LogLevel } from './log';

/** Everything the cloud can be told at start; production defaults unless a flag says otherwise. */
export interface CloudConfig {
  /** TCP port; 0 picks a free one */
  port: number;
  /** interface to bind; loopback unless told otherwise */
  host: string;
  /** where the database and the signing key live */
  dataDir: string;
  /** seed the demo tenant of CONTRACT.md §1 */
  demo: boolean;
  /** folder of the built console, served at / when it exists */
  uiDir: string;
  /** a site is offline after this long without any message on its edge link */
  linkTimeoutMs: number;
  /** access events older than this are deleted */
  retentionDays: number;
  /** lifetime of a remote command before it expires */
  commandTtlMs: number;
  /** how long after its start a booking not checked in is released as a no-show, unless its resource says otherwise */
  noShowGraceMs: number;
  /** reverse proxies (CIDRs) whose X-Forwarded-For is believed; none by default: the socket's address counts */
  trustProxy: readonly string[];
  /** bearer token a scrape of /metrics must present to see the per-site metrics; without it, none are served */
  metricsToken?: string;
  /** lowest level logged (`--log-level` or CR_LOG_LEVEL); `info` writes one access line per request */
  logLevel: LogLevel;
  /** PostgreSQL URL holding every store (`--store`, CR_STORE); SQLite under `dataDir` when absent */
  storeUrl?: string;
  /** Redis URL over which instances fan changes out to one another (`--bus`, CR_BUS); alone when absent */
  busUrl?: string;
  /** NATS URL of the JetStream event stream (`--stream`, CR_STREAM); batches go straight to the store when absent */
  streamUrl?: string;
  /** name of one deployment on shared Redis and NATS (`--cluster`): its bus keys and event stream */
  cluster: string;
  /** SMTP relay that e-mail notification channels send through (`--smtp-url`, CR_SMTP_URL); e-mail channels are refused without it */
  smtpUrl?: string;
  /** sender address of notification e-mails (`--smtp-from`); `control-room@localhost` when absent */
  smtpFrom?: string;
  /** the text-message provider's endpoint that SMS/AlimTalk channels post to (`--sms-provider-url`) */
  smsProviderUrl?: string;
  /** API key sent to that provider (CR_SMS_API_KEY only: kept off the command line) */
  smsApiKey?: string;
}

export const DEFAULT_CONFIG: Omit<CloudConfig, 'dataDir' | 'uiDir'> = {
  port: 8080,
  host: '127.0.0.1',
  demo: false,
  linkTimeoutMs: 60_000,
  retentionDays: 90,
  commandTtlMs: 10_000,
  noShowGraceMs: DEFAULT_NO_SHOW_GRACE_MS,
  trustProxy: [],
  logLevel: 'info',
  cluster: 'cr',
};

/** `--data` when not given, relative to the working directory (the repository root for `npm run cloud`). */
const DEFAULT_DATA_DIR = '.data/cloud';

const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

const flagsSchema = z.strictObject({
  port: int(0, 65_535).optional(),
  host: z.string().min(1).max(255).optional(),
  data: z.string().min(1).optional(),
  demo: z.boolean().optional(),
  ui: z.string().min(1).optional(),
  'link-timeout-ms': int(100, 86_400_000).optional(),
  'retention-days': int(1, 3650).optional(),
  'command-ttl-ms': int(500, 600_000).optional(),
  'no-show-grace-ms': int(0, 14_400_000).optional(),
  'trust-proxy': z.string().min(1).max(2_000).optional(),
  'metrics-token': z
    .string()
    .min(16, 'must be at least 16 characters')
    .max(256)
    .regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces')
    .optional(),
  'log-level': z.enum(LOG_LEVELS).optional(),
  store: z.string().min(1).max(2_000).optional(),
  bus: z.string().min(1).max(2_000).optional(),
  stream: z.string().min(1).max(2_000).optional(),
  cluster: z
    .string()
    .regex(/^[a-z][a-z0-9_]{0,31}$/, 'must be lowercase letters, digits or _ (at most 32), starting with a letter')
    .optional(),
  'smtp-url': z.string().min(1).max(2_000).optional(),
  'smtp-from': z.email('must be an e-mail address').max(254).optional(),
  'sms-provider-url': z.string().min(1).max(2_000).optional(),
});

/** Environment variables holding the service URLs, which may carry a password (kept off the command line). */
export const STORE_ENV = 'CR_STORE';
export const BUS_ENV = 'CR_BUS';
export const STREAM_ENV = 'CR_STREAM';
/** Environment variable holding the SMTP URL (it may carry the relay's password). */
export const SMTP_ENV = 'CR_SMTP_URL';
/** Environment variable holding the SMS provider's API key. */
export const SMS_API_KEY_ENV = 'CR_SMS_API_KEY';

/** Environment variable holding the metrics token (kept off the command line, which `ps` shows). */
export const METRICS_TOKEN_ENV = 'CR_METRICS_TOKEN';

/** Environment variable giving the log level when no `--log-level` is given. */
export const LOG_LEVEL_ENV = 'CR_LOG_LEVEL';

export class ConfigError extends Error {}

/**
 * Parses CLI flags (`--port N --data DIR --demo --ui DIR --link-timeout-ms N …`), and the metrics
 * token from `env` when no `--metrics-token` is given. Throws ConfigError with one clear line.
 */
export function parseConfig(argv: string[], cwd = process.cwd(), env: NodeJS.ProcessEnv = process.env): CloudConfig {
  let values: Record<string, unknown>;
  try {
    values = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        data: { type: 'string' },
        demo: { type: 'boolean' },
        ui: { type: 'string' },
        'link-timeout-ms': { type: 'string' },
        'retention-days': { type: 'string' },
        'command-ttl-ms': { type: 'string' },
        'no-show-grace-ms': { type: 'string' },
        'trust-proxy': { type: 'string' },
        'metrics-token': { type: 'string' },
        'log-level': { type: 'string' },
        store: { type: 'string' },
        bus: { type: 'string' },
        stream: { type: 'string' },
        cluster: { type: 'string' },
        'smtp-url': { type: 'string' },
        'smtp-from': { type: 'string' },
        'sms-provider-url': { type: 'string' },
      },
    }).values;
  } catch (err) {
    throw new ConfigError((err as Error).message.split('\n')[0]);
  }
  for (const [flag, name] of [
    ['store', STORE_ENV],
    ['bus', BUS_ENV],
    ['stream', STREAM_ENV],
    ['smtp-url', SMTP_ENV],
  ] as const)
    if (values[flag] === undefined && env[name]) values = { ...values, [flag]: env[name] };
  // An empty variable counts as unset (a blank line in an env file).
  const fromEnv = values['metrics-token'] === undefined && !!env[METRICS_TOKEN_ENV];
  if (fromEnv) values = { ...values, 'metrics-token': env[METRICS_TOKEN_ENV] };
  const levelFromEnv = values['log-level'] === undefined && !!env[LOG_LEVEL_ENV];
  if (levelFromEnv) values = { ...values, 'log-level': env[LOG_LEVEL_ENV] };
  const parsed = flagsSchema.safeParse(values);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const name =
      fromEnv && issue.path[0] === 'metrics-token'
        ? METRICS_TOKEN_ENV
        : levelFromEnv && issue.path[0] === 'log-level'
          ? LOG_LEVEL_ENV
          : `--${issue.path.join('.')}`;
    // The message names the rule broken, never the value (a token must not reach a log).
    throw new ConfigError(`${name}: ${issue.message}`);
  }
  const f = parsed.data;
  const trustProxy =
    f['trust-proxy']
      ?.split(',')
      .map((c) => c.trim())
      .filter(Boolean) ?? [];
  try {
    trustedProxies(trustProxy);
  } catch (err) {
    throw new ConfigError(`--trust-proxy: ${(err as Error).message}`);
  }
  return {
    ...DEFAULT_CONFIG,
    trustProxy,
    port: f.port ?? DEFAULT_CONFIG.port,
    host: f.host ?? DEFAULT_CONFIG.host,
    dataDir: resolve(cwd, f.data ?? DEFAULT_DATA_DIR),
    demo: f.demo ?? false,
    uiDir: resolve(cwd, f.ui ?? 'desktop/dist/renderer'),
    linkTimeoutMs: f['link-timeout-ms'] ?? DEFAULT_CONFIG.linkTimeoutMs,
    retentionDays: f['retention-days'] ?? DEFAULT_CONFIG.retentionDays,
    commandTtlMs: f['command-ttl-ms'] ?? DEFAULT_CONFIG.commandTtlMs,
    noShowGraceMs: f['no-show-grace-ms'] ?? DEFAULT_CONFIG.noShowGraceMs,
    metricsToken: f['metrics-token'],
    logLevel: f['log-level'] ?? DEFAULT_CONFIG.logLevel,
    storeUrl: storeUrl(f.store),
    ...sharedServices(f, storeUrl(f.store)),
    cluster: f.cluster ?? DEFAULT_CONFIG.cluster,
    ...notificationServices(f, env),
  };
}

/** Where e-mail and text-message notifications go out (domain/notifications); each optional. */
function notificationServices(
  f: { 'smtp-url'?: string; 'smtp-from'?: string; 'sms-provider-url'?: string },
  env: NodeJS.ProcessEnv,
): Pick<CloudConfig, 'smtpUrl' | 'smtpFrom' | 'smsProviderUrl' | 'smsApiKey'> {
  const out: Pick<CloudConfig, 'smtpUrl' | 'smtpFrom' | 'smsProviderUrl' | 'smsApiKey'> = {};
  if (f['smtp-url'] !== undefined)
    out.smtpUrl = serviceUrl('--smtp-url', f['smtp-url'], ['smtp', 'smtps'], 'smtp://host:587 or smtps://user:password@host:465');
  if (f['smtp-from'] !== undefined) out.smtpFrom = f['smtp-from'];
  if (f['sms-provider-url'] !== undefined)
    out.smsProviderUrl = serviceUrl('--sms-provider-url', f['sms-provider-url'], ['http', 'https'], 'https://provider.example/v1/messages');
  if (env[SMS_API_KEY_ENV]) out.smsApiKey = env[SMS_API_KEY_ENV];
  return out;
}

/** Only the scheme of a URL is ever shown: a service URL may carry a password. */
const schemeOf = (url: string): string | undefined => /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1]?.toLowerCase();

/** `--store sqlite` (the default, under --data) or a PostgreSQL URL (postgres://user@host:port/db). */
function storeUrl(store: string | undefined): string | undefined {
  if (store === undefined || store === 'sqlite') return undefined;
  const scheme = schemeOf(store);
  let host = '';
  try {
    host = new URL(store).hostname;
  } catch {
    // reported below, without the URL
  }
  if (!scheme || !['postgres', 'postgresql'].includes(scheme) || host === '')
    throw new ConfigError(
      `--store ${scheme ? `${scheme}://…` : '(not a URL)'}: expected sqlite or postgres://user@host:5432/database`,
    );
  return store;
}

/** A service URL of one of `schemes` with a host, else one line naming the flag and the scheme only. */
function serviceUrl(flag: string, url: string, schemes: string[], example: string): string {
  const scheme = schemeOf(url);
  let host = '';
  try {
    host = new URL(url).hostname;
  } catch {
    // reported below, without the URL
  }
  if (!scheme || !schemes.includes(scheme) || host === '')
    throw new ConfigError(`${flag} ${scheme ? `${scheme}://…` : '(not a URL)'}: expected ${example}`);
  return url;
}

/**
 * `--bus` (Redis) and `--stream` (NATS JetStream) join instances sharing one PostgreSQL store
 * (CONTRACT §10). A SQLite file belongs to one process, so they are refused without `--store`.
 */
function sharedServices(f: { bus?: string; stream?: string }, store: string | undefined): Pick<CloudConfig, 'busUrl' | 'streamUrl'> {
  const out: Pick<CloudConfig, 'busUrl' | 'streamUrl'> = {};
  if (f.bus !== undefined) out.busUrl = serviceUrl('--bus', f.bus, ['redis', 'rediss'], 'redis://host:6379');
  if (f.stream !== undefined) out.streamUrl = serviceUrl('--stream', f.stream, ['nats', 'tls'], 'nats://host:4222');
  for (const [flag, url] of [
    ['--bus', out.busUrl],
    ['--stream', out.streamUrl],
  ] as const)
    if (url && !store)
      throw new ConfigError(`${flag} needs --store postgres://…: instances share one PostgreSQL store, never a SQLite file`);
  return out;
}

/** `npm run cloud -- init …` (CONTRACT.md §5): the tenant and its first tenant-admin to create. */
export interface InitConfig {
  /** where the database lives; the same default as the server's, so a bare `npm run cloud` serves it */
  dataDir: string;
  tenantId: string;
  tenantName: string;
  adminEmail: string;
  /** PostgreSQL URL of the shared store; SQLite under `dataDir` when absent */
  storeUrl?: string;
}

const initFlagsSchema = z.strictObject({
  data: z.string().min(1).optional(),
  tenant: z.string().regex(ID_PATTERN, `must match ${ID_PATTERN.source}`),
  'tenant-name': z.string().trim().min(1).max(200),
  admin: z.email('must be an e-mail address').max(254),
  store: z.string().min(1).optional(),
});

/** Parses `init --data DIR --tenant ID --tenant-name NAME --admin EMAIL [--store sqlite|postgres://…]`. Throws ConfigError with one line. */
export function parseInitConfig(argv: string[], cwd = process.cwd(), env: NodeJS.ProcessEnv = process.env): InitConfig {
  let values: Record<string, unknown>;
  try {
    values = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        data: { type: 'string' },
        tenant: { type: 'string' },
        'tenant-name': { type: 'string' },
        admin: { type: 'string' },
        store: { type: 'string' },
      },
    }).values;
  } catch (err) {
    throw new ConfigError((err as Error).message.split('\n')[0]);
  }
  const parsed = initFlagsSchema.safeParse(values);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const flag = `--${issue.path.join('.')}`;
    throw new ConfigError(
      issue.code === 'invalid_type' && issue.input === undefined ? `${flag} is required` : `${flag}: ${issue.message}`,
    );
  }
  const f = parsed.data;
  return {
    dataDir: resolve(cwd, f.data ?? DEFAULT_DATA_DIR),
    tenantId: f.tenant,
    tenantName: f['tenant-name'],
    adminEmail: f.admin,
    storeUrl: storeUrl(f.store ?? env[STORE_ENV]),
  };
}
