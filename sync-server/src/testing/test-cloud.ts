import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO_PASSWORD } from '@cr/shared';
import { createApp, type Cloud } from '../app';
import { DEFAULT_CONFIG, type CloudConfig } from '../config';
import type { ContextTuning } from '../context';
import type { CloudLog } from '../log';
import { hashPassword } from '../domain/passwords';
import { createSite } from '../domain/site-directory';
import type { Role } from '@cr/shared';
import { waitUntil } from '@cr/demo';
import { createTestDatabase } from '../store/postgres/test-database';

export interface TestCloud {
  cloud: Cloud;
  dataDir: string;
  config: CloudConfig;
  /** access token of a user with DEMO_PASSWORD (logs in once per e-mail; replaces an admin-set password with FIRST_OWN_PASSWORD) */
  token(email: string): Promise<string>;
  /** a request through app.request() */
  api(
    method: string,
    path: string,
    opts?: { token?: string; body?: unknown; raw?: string; headers?: Record<string, string> },
  ): Promise<Response>;
  close(): Promise<void>;
}

/** The password `token()` chooses for a user whose password an admin set (it must be replaced at first sign-in). */
export const FIRST_OWN_PASSWORD = 'my-own-password-1';

export const OTHER_TENANT = 'acme';
/** Users of the second tenant, one per role (password DEMO_PASSWORD). */
export const OTHER_USERS: Array<{ email: string; role: Role; siteIds: string[] }> = [
  { email: 'hq@acme.test', role: 'hq-operator', siteIds: [] },
  { email: 'manager@acme.test', role: 'site-manager', siteIds: ['acme-hq'] },
  { email: 'vendor@acme.test', role: 'vendor', siteIds: ['acme-hq'] },
  { email: 'admin@acme.test', role: 'tenant-admin', siteIds: [] },
];

/** A second tenant with one site and one user per role, for isolation tests. */
export async function seedOtherTenant(cloud: Cloud): Promise<void> {
  const { ctx } = cloud;
  await ctx.tenants.addTenant(OTHER_TENANT, 'Acme');
  await createSite(
    ctx.tenants,
    ctx.docs,
    { tenantId: OTHER_TENANT, id: 'acme-hq', name: 'Acme HQ', lat: 37.5, lng: 127, timezone: 'Asia/Seoul' },
    {
      zones: [
        {
          id: 'lobby',
          name: 'Lobby',
          polygon: [
            [0, 0],
            [10, 0],
            [10, 10],
          ],
        },
      ],
      devices: [{ id: 'door-lobby', kind: 'door', name: 'Door', zoneId: 'lobby', position: { x: 1, y: 1 } }],
    },
  );
  const hash = await hashPassword(DEMO_PASSWORD);
  for (const u of OTHER_USERS) {
    await ctx.users.insert({
      id: u.email.split('@')[0]!.replace(/[^a-z0-9]/g, '-') + '-acme',
      tenantId: OTHER_TENANT,
      email: u.email,
      name: u.email,
      role: u.role,
      siteIds: u.siteIds,
      passwordHash: hash,
      disabled: false,
    });
  }
}

export async function startTestCloud(
  opts: {
    demo?: boolean;
    dataDir?: string;
    config?: Partial<CloudConfig>;
    tuning?: ContextTuning;
    /** where the cloud logs; by default stderr, warnings and errors only (no access line per request) */
    log?: CloudLog;
  } = {},
): Promise<TestCloud> {
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'cloud-test-'));
  const config: CloudConfig = {
    ...DEFAULT_CONFIG,
    port: 0,
    dataDir,
    uiDir: join(dataDir, 'ui'),
    demo: opts.demo ?? true,
    logLevel: 'warn',
    ...opts.config,
  };
  // CR_TEST_STORE=postgres runs any suite on a PostgreSQL database of its own.
  let dropDb: (() => Promise<void>) | undefined;
  if (process.env.CR_TEST_STORE === 'postgres' && !config.storeUrl) {
    const db = await createTestDatabase('cr_cloud');
    config.storeUrl = db.url;
    dropDb = db.drop;
  }
  const cloud = await createApp(config, opts.tuning, opts.log);
  const tokens = new Map<string, string>();
  const api: TestCloud['api'] = (method, path, o = {}) => {
    const headers: Record<string, string> = { ...(o.headers ?? {}) };
    if (o.token) headers.authorization = `Bearer ${o.token}`;
    let body: string | undefined = o.raw;
    if (o.body !== undefined) body = JSON.stringify(o.body);
    if (body !== undefined) headers['content-type'] ??= 'application/json';
    return Promise.resolve(cloud.app.request(path, { method, headers, body }));
  };
  return {
    cloud,
    dataDir,
    config,
    api,
    async token(email) {
      const cached = tokens.get(email);
      if (cached) return cached;
      const res = await api('POST', '/api/v1/auth/login', { body: { email, password: DEMO_PASSWORD } });
      if (res.status !== 200) throw new Error(`login ${email} failed: ${res.status}`);
      let body = (await res.json()) as { accessToken: string; mustChangePassword?: boolean };
      if (body.mustChangePassword) {
        // A user an admin created replaces the password first (the new one is FIRST_OWN_PASSWORD).
        const changed = await api('POST', '/api/v1/auth/password', {
          token: body.accessToken,
          body: { currentPassword: DEMO_PASSWORD, newPassword: FIRST_OWN_PASSWORD },
        });
        if (changed.status !== 200) throw new Error(`password change of ${email} failed: ${changed.status}`);
        body = (await changed.json()) as { accessToken: string };
      }
      const t = body.accessToken;
      tokens.set(email, t);
      return t;
    },
    async close() {
      await cloud.close();
      await dropDb?.();
      if (!opts.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Polls `check` until it returns a truthy value or the deadline passes (no blind sleeps). */
export function eventually<T>(check: () => T | Promise<T>, timeoutMs = 5000, what = 'condition'): Promise<NonNullable<T>> {
  return waitUntil(check, what, timeoutMs, 20);
}

