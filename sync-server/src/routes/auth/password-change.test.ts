import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { siteDocName } from '@cr/shared';
import { startTestCloud, type TestCloud } from '../../testing/test-cloud';

let t: TestCloud;
let url: string;
let admin: string;
beforeAll(async () => {
  t = await startTestCloud();
  url = (await t.cloud.listen(0)).url;
  admin = await t.token('admin@demo.local');
});
afterAll(() => t.close());

const login = (email: string, password: string) => t.api('POST', '/api/v1/auth/login', { body: { email, password } });

async function createUser(email: string, password: string): Promise<string> {
  const res = await t.api('POST', '/api/v1/users', {
    token: admin,
    body: { email, name: 'New Operator', role: 'hq-operator', password },
  });
  expect(res.status).toBe(201);
  return ((await res.json()) as { id: string }).id;
}

describe('a password set by an admin must be replaced at first sign-in', () => {
  it('answers mustChangePassword with a token that opens only POST /api/v1/auth/password', async () => {
    await createUser('first@demo.local', 'admin-chose-this-1');
    const res = await login('first@demo.local', 'admin-chose-this-1');
    expect(res.status).toBe(200);
    const body = (await res.json()) as { mustChangePassword?: true; accessToken: string; refreshToken?: string };
    expect(body.mustChangePassword).toBe(true);
    expect(body.refreshToken).toBeUndefined();
    const token = body.accessToken;

    // Everything else: 403 and no data.
    for (const [method, path] of [
      ['GET', '/api/v1/sites'],
      ['GET', '/api/v1/me'],
      ['GET', '/api/v1/audit'],
      ['POST', '/api/v1/auth/lan-token'],
      ['POST', '/api/v1/sites/gangnam/mode'],
    ] as const) {
      const r = await t.api(method, path, {
        token,
        body: method === 'POST' ? { mode: 'lockdown', reason: 'x' } : undefined,
      });
      expect(r.status, `${method} ${path}`).toBe(403);
      expect(JSON.stringify(await r.json())).not.toContain('gangnam');
    }
    // Nor the site documents.
    const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/sync/${siteDocName('demo', 'gangnam')}?token=${token}`);
    let frames = 0;
    ws.on('message', () => frames++);
    expect(await new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)))).toBe(4401);
    expect(frames).toBe(0);

    // A wrong current password changes nothing.
    const wrong = await t.api('POST', '/api/v1/auth/password', {
      token,
      body: { currentPassword: 'guess-guess-1', newPassword: 'my-own-secret-1' },
    });
    expect(wrong.status).toBe(403);
    expect((await login('first@demo.local', 'my-own-secret-1')).status).toBe(401);

    const changed = await t.api('POST', '/api/v1/auth/password', {
      token,
      body: { currentPassword: 'admin-chose-this-1', newPassword: 'my-own-secret-1' },
    });
    expect(changed.status).toBe(200);
    const session = (await changed.json()) as { accessToken: string; refreshToken: string };
    expect((await t.api('GET', '/api/v1/sites', { token: session.accessToken })).status).toBe(200);
    // The restricted token is spent, the admin's password no longer works, the new one signs in normally.
    expect(
      (
        await t.api('POST', '/api/v1/auth/password', {
          token,
          body: { currentPassword: 'my-own-secret-1', newPassword: 'another-secret-2' },
        })
      ).status,
    ).toBe(401);
    expect((await login('first@demo.local', 'admin-chose-this-1')).status).toBe(401);
    const again = (await (await login('first@demo.local', 'my-own-secret-1')).json()) as {
      mustChangePassword?: true;
      refreshToken?: string;
    };
    expect(again.mustChangePassword).toBeUndefined();
    expect(again.refreshToken).toEqual(expect.any(String));
  });

  it('a password an admin resets must be replaced too, and the tokens from before stop working', async () => {
    const id = await createUser('reset@demo.local', 'admin-chose-this-2');
    const first = (await (await login('reset@demo.local', 'admin-chose-this-2')).json()) as { accessToken: string };
    const own = (await (
      await t.api('POST', '/api/v1/auth/password', {
        token: first.accessToken,
        body: { currentPassword: 'admin-chose-this-2', newPassword: 'mine-mine-mine-1' },
      })
    ).json()) as { accessToken: string };
    expect(
      (await t.api('PUT', `/api/v1/users/${id}/password`, { token: admin, body: { password: 'admin-reset-pass-3' } }))
        .status,
    ).toBe(204);
    expect((await t.api('GET', '/api/v1/sites', { token: own.accessToken })).status).toBe(401);
    const after = (await (await login('reset@demo.local', 'admin-reset-pass-3')).json()) as {
      mustChangePassword?: true;
    };
    expect(after.mustChangePassword).toBe(true);
  });

  it('refuses a new password that is short or the same as the current one', async () => {
    await createUser('weak@demo.local', 'admin-chose-this-4');
    const { accessToken: token } = (await (await login('weak@demo.local', 'admin-chose-this-4')).json()) as {
      accessToken: string;
    };
    const change = (newPassword: string) =>
      t.api('POST', '/api/v1/auth/password', { token, body: { currentPassword: 'admin-chose-this-4', newPassword } });
    expect((await change('short')).status).toBe(400);
    expect((await change('admin-chose-this-4')).status).toBe(400);
    expect((await login('weak@demo.local', 'admin-chose-this-4')).status).toBe(200);
  });
});
