import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runInit } from './init-command';
import { openDb } from './store/db';
import { startTestCloud } from './testing/test-cloud';

let data: string;
beforeEach(() => {
  data = mkdtempSync(join(tmpdir(), 'cloud-init-'));
});
afterEach(() => rmSync(data, { recursive: true, force: true }));

const PASSWORD = 'correct-horse-battery';
const flags = (over: Record<string, string> = {}) =>
  Object.entries({
    '--data': data,
    '--tenant': 'acme',
    '--tenant-name': 'Acme Offices',
    '--admin': 'ops@acme.test',
    ...over,
  }).flat();

async function init(argv: string[], env: NodeJS.ProcessEnv = { CR_ADMIN_PASSWORD: PASSWORD }) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runInit(argv, env, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out, err };
}

/** Rows a refused init must not have written. */
const counts = () => {
  const db = openDb(join(data, 'cloud.db'));
  try {
    const n = (table: string) => (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
    return { tenants: n('tenants'), users: n('users'), audit: n('audit') };
  } finally {
    db.close();
  }
};

async function login(email: string, password: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const t = await startTestCloud({ demo: false, dataDir: data });
  try {
    const res = await t.api('POST', '/api/v1/auth/login', { body: { email, password } });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  } finally {
    await t.close();
  }
}

describe('cloud init (CONTRACT.md §5)', () => {
  it('creates the tenant and its tenant-admin, prints exactly the ready line and returns 0', async () => {
    const r = await init(flags());
    expect(r).toEqual({ code: 0, out: ['tenant acme ready; admin ops@acme.test'], err: [] });
    // Every secret exists before any instance starts, so the directory can be copied to each of them.
    for (const file of ['signing-key.json', 'master-key.secret', 'audit-chain.secret', 'event-hash.secret'])
      expect(existsSync(join(data, file)), file).toBe(true);
    const signedIn = await login('ops@acme.test', PASSWORD);
    expect(signedIn.status).toBe(200);
    expect(signedIn.body.user).toMatchObject({ role: 'tenant-admin', tenantId: 'acme', siteIds: [] });
  });

  it('generates a strong password when CR_ADMIN_PASSWORD is unset, printed once after the ready line', async () => {
    const r = await init(flags(), {});
    expect(r.code).toBe(0);
    expect(r.out[0]).toBe('tenant acme ready; admin ops@acme.test');
    const m = /^admin password \(shown once\): (\S{24})$/.exec(r.out[1] ?? '');
    expect(m, r.out.join('\n')).not.toBeNull();
    expect(r.out).toHaveLength(2);
    expect((await login('ops@acme.test', m![1]!)).status).toBe(200);
  });

  it('refuses an existing tenant with one line and 2, changing nothing', async () => {
    expect((await init(flags())).code).toBe(0);
    const before = counts();
    const again = await init(flags({ '--admin': 'second@acme.test', '--tenant-name': 'Other' }), {});
    expect(again).toEqual({ code: 2, out: [], err: ['cloud init: tenant acme exists already; nothing changed'] });
    expect(counts()).toEqual(before);
    expect((await login('second@acme.test', 'whatever-password')).status).toBe(401);
  });

  it('refuses an e-mail that is already a user (of any tenant), changing nothing', async () => {
    expect((await init(flags())).code).toBe(0);
    const before = counts();
    const r = await init(flags({ '--tenant': 'beta', '--admin': 'OPS@acme.test' }));
    expect(r.code).toBe(2);
    expect(r.err).toEqual(['cloud init: OPS@acme.test is already a user; nothing changed']);
    expect(counts()).toEqual(before);
  });

  // Rows build their flags when they run: the data directory is made per test.
  it.each([
    [
      'a short password',
      () => flags(),
      { CR_ADMIN_PASSWORD: 'short-pass' },
      /^cloud init: CR_ADMIN_PASSWORD must be at least 12 characters; nothing changed$/,
    ],
    ['an empty password', () => flags(), { CR_ADMIN_PASSWORD: '' }, /CR_ADMIN_PASSWORD must be at least 12 characters/],
    [
      'a missing --tenant',
      () => flags().filter((_, i) => i !== 2 && i !== 3),
      undefined,
      /^cloud init: --tenant is required$/,
    ],
    ['a missing --admin', () => flags().slice(0, 6), undefined, /^cloud init: --admin is required$/],
    ['a tenant id with capitals', () => flags({ '--tenant': 'Acme' }), undefined, /^cloud init: --tenant: must match/],
    [
      'a bad e-mail',
      () => flags({ '--admin': 'not-an-email' }),
      undefined,
      /^cloud init: --admin: must be an e-mail address$/,
    ],
    ['an unknown flag', () => [...flags(), '--demo'], undefined, /^cloud init: Unknown option '--demo'/],
    ['a stray argument', () => [...flags(), 'extra'], undefined, /^cloud init: Unexpected argument 'extra'/],
  ])('refuses %s with one line and 2, creating nothing', async (_name, argv, env, message) => {
    const r = await init(argv(), env);
    expect(r.code).toBe(2);
    expect(r.out).toEqual([]);
    expect(r.err).toHaveLength(1);
    expect(r.err[0]).toMatch(message);
    expect(existsSync(join(data, 'cloud.db'))).toBe(false);
  });

  it('takes --store sqlite, and refuses another kind of store or one that does not answer, without echoing its credentials', async () => {
    const mysql = await init([...flags(), '--store', 'mysql://cr:s3cret@db.example:3306/cr']);
    expect(mysql.code).toBe(2);
    expect(mysql.err).toEqual(['cloud init: --store mysql://…: expected sqlite or postgres://user@host:5432/database']);
    const pg = await init([...flags(), '--store', 'postgres://cr:s3cret@127.0.0.1:1/cr']);
    expect(pg.code).toBe(2);
    expect(pg.err).toHaveLength(1);
    expect(pg.err[0]).toMatch(/^cloud init: the store at postgres:\/\/127\.0\.0\.1:1\/cr does not answer .*; nothing changed$/);
    expect(pg.err[0]).not.toContain('s3cret');
    expect(existsSync(join(data, 'cloud.db'))).toBe(false);
    expect((await init([...flags(), '--store', 'sqlite'])).code).toBe(0);
  });
});
