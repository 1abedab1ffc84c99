import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedOtherTenant, startTestCloud, type TestCloud } from '../../testing/test-cloud';
import type { NewNotification } from '../../store/notification-records';

let t: TestCloud;
const tok: Record<string, string> = {};
beforeAll(async () => {
  t = await startTestCloud({ config: { smsProviderUrl: 'http://127.0.0.1:9/sms' } });
  await seedOtherTenant(t.cloud);
  for (const [k, email] of Object.entries({
    admin: 'admin@demo.local',
    hq: 'hq@demo.local',
    mgr: 'gangnam.manager@demo.local',
    vendor: 'vendor@demo.local',
    xAdmin: 'admin@acme.test',
  }))
    tok[k] = await t.token(email);
});
afterAll(() => t.close());

const post = (path: string, token: string, body: unknown) => t.api('POST', path, { token, body });
const channel = async (body: unknown, token = tok.admin!) => {
  const res = await post('/api/v1/notifications/channels', token, body);
  return { status: res.status, body: (await res.json()) as { id?: string; message?: string } };
};

describe('notification channels', () => {
  it.each<[string, unknown, RegExp]>([
    ['ftp URL', { kind: 'webhook', url: 'ftp://hooks.example/x', secret: 's' }, /url: must be http or https, not ftp/],
    ['not a URL', { kind: 'webhook', url: 'hooks example', secret: 's' }, /url: not a valid URL/],
    ['credentials in the URL', { kind: 'webhook', url: 'https://u:p@hooks.example/x', secret: 's' }, /user name or password/],
    ['no secret', { kind: 'webhook', url: 'https://hooks.example/x' }, /secret/],
    ['unknown kind', { kind: 'pager', url: 'https://hooks.example/x' }, /kind/],
    ['unknown field', { kind: 'webhook', url: 'https://hooks.example/x', secret: 's', extra: 1 }, /extra|unrecognized/i],
    ['e-mail without an SMTP relay', { kind: 'email', to: ['ops@example.com'] }, /--smtp-url/],
    ['not an e-mail address', { kind: 'email', to: ['ops'] }, /to\.0: must be an e-mail address/],
    ['not a phone number', { kind: 'sms', to: ['call me'], provider: 'sms' }, /to\.0: must be a phone number/],
    ['unknown text provider', { kind: 'sms', to: ['+821012345678'], provider: 'fax' }, /provider/],
  ])('refuses %s with a clear 400', async (_name, body, message) => {
    const res = await channel(body);
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(message);
  });

  it('lists channels without their secrets, and removing one removes its rules', async () => {
    const hook = await channel({ kind: 'webhook', url: 'https://hooks.example/cr?team=ops', secret: 'very-secret-value-42' });
    const sms = await channel({ kind: 'sms', to: ['+821012345678'], provider: 'alimtalk' });
    expect([hook.status, sms.status]).toEqual([201, 201]);
    const res = await t.api('GET', '/api/v1/notifications/channels', { token: tok.admin });
    const text = await res.text();
    expect(text).not.toContain('very-secret-value-42');
    const list = JSON.parse(text) as Array<Record<string, unknown>>;
    expect(list.find((c) => c.id === hook.body.id)).toMatchObject({ kind: 'webhook', url: 'https://hooks.example/cr?team=ops', secretHint: expect.stringMatching(/^sha256:[0-9a-f]{8}$/) });
    expect(list.find((c) => c.id === sms.body.id)).toMatchObject({ kind: 'sms', to: ['+821012345678'], provider: 'alimtalk' });
    const rule = await post('/api/v1/notifications/rules', tok.admin!, { channelId: hook.body.id });
    expect(rule.status).toBe(201);
    const { id: ruleId } = (await rule.json()) as { id: string };
    expect((await t.api('DELETE', `/api/v1/notifications/channels/${hook.body.id}`, { token: tok.admin })).status).toBe(204);
    expect((await t.api('DELETE', `/api/v1/notifications/channels/${hook.body.id}`, { token: tok.admin })).status).toBe(404);
    const rules = (await (await t.api('GET', '/api/v1/notifications/rules', { token: tok.admin })).json()) as Array<{ id: string }>;
    expect(rules.map((r) => r.id)).not.toContain(ruleId);
    const audit = (await (await t.api('GET', '/api/v1/audit', { token: tok.admin })).json()) as Array<{ action: string }>;
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['notifications.channel.create', 'notifications.channel.remove', 'notifications.rule.create']));
  });

  it("keeps tenants apart: another tenant's channel is not found, for rules and removal alike", async () => {
    const mine = await channel({ kind: 'webhook', url: 'https://hooks.example/demo', secret: 's1' });
    expect((await post('/api/v1/notifications/rules', tok.xAdmin!, { channelId: mine.body.id })).status).toBe(404);
    expect((await t.api('DELETE', `/api/v1/notifications/channels/${mine.body.id}`, { token: tok.xAdmin })).status).toBe(404);
    const theirs = (await (await t.api('GET', '/api/v1/notifications/channels', { token: tok.xAdmin })).json()) as unknown[];
    expect(theirs).toEqual([]);
    expect((await t.api('GET', '/api/v1/notifications/channels', { token: tok.admin })).status).toBe(200);
  });

  it('lets only tenant-admins manage channels and rules', async () => {
    for (const who of ['hq', 'mgr', 'vendor']) {
      expect((await channel({ kind: 'webhook', url: 'https://hooks.example/x', secret: 's' }, tok[who])).status).toBe(403);
      expect((await t.api('GET', '/api/v1/notifications/rules', { token: tok[who] })).status).toBe(403);
    }
  });
});

describe('routing rules', () => {
  let channelId: string;
  beforeAll(async () => {
    channelId = (await channel({ kind: 'webhook', url: 'https://hooks.example/rules', secret: 's' })).body.id!;
  });

  it.each<[string, Record<string, unknown>, number, RegExp]>([
    ['an unknown channel', { channelId: 'no-such-channel' }, 404, /channel not found/],
    ['an unknown category', { categories: ['weather'] }, 400, /categories\.0/],
    ['an unknown severity', { minSeverity: 'apocalyptic' }, 400, /minSeverity/],
    ['an unknown site', { siteIds: ['atlantis'] }, 400, /unknown site atlantis/],
    ['another tenant’s site', { siteIds: ['acme-hq'] }, 400, /unknown site acme-hq/],
    ['an escalation of no minutes', { escalateAfterMin: 0 }, 400, /escalateAfterMin/],
  ])('refuses %s', async (_name, over, status, message) => {
    const res = await post('/api/v1/notifications/rules', tok.admin!, { channelId, ...over });
    expect(res.status).toBe(status);
    expect(((await res.json()) as { message: string }).message).toMatch(message);
  });

  it('creates, lists and removes a rule', async () => {
    const body = { channelId, siteIds: ['gangnam'], categories: ['security', 'safety'], minSeverity: 'major', escalateAfterMin: 5, notifyResolved: true };
    const res = await post('/api/v1/notifications/rules', tok.admin!, body);
    expect(res.status).toBe(201);
    const { id } = (await res.json()) as { id: string };
    const rules = (await (await t.api('GET', '/api/v1/notifications/rules', { token: tok.admin })).json()) as Array<{ id: string }>;
    expect(rules.find((r) => r.id === id)).toMatchObject({ ...body, id, createdAt: expect.any(Number) });
    expect((await t.api('DELETE', `/api/v1/notifications/rules/${id}`, { token: tok.xAdmin })).status).toBe(404);
    expect((await t.api('DELETE', `/api/v1/notifications/rules/${id}`, { token: tok.admin })).status).toBe(204);
  });
});

describe('delivery log and dead letters', () => {
  const dead = (id: string, siteId: string): NewNotification => ({
    id, tenantId: 'demo', siteId, alertId: `${siteId}.door-lobby.door.forced.1000`, ruleId: 'r1', channelId: 'gone',
    channelKind: 'webhook', event: 'raised', body: '{}', queuedAt: 1000, nextAttemptAt: 1000,
  });
  beforeAll(async () => {
    const outbox = t.cloud.ctx.stores.notificationOutbox;
    for (const [id, site] of [['dead-gangnam', 'gangnam'], ['dead-hongdae', 'hongdae']] as const) {
      await outbox.enqueue({ ...dead(id, site), nextAttemptAt: Number.MAX_SAFE_INTEGER });
      await outbox.recordAttempt({ notificationId: id, n: 1, at: 2000, statusCode: 500, durationMs: 4 }, { status: 'dead' });
    }
  });
  const ids = async (path: string, token: string) => ((await (await t.api('GET', path, { token })).json()) as Array<{ id: string }>).map((d) => d.id).sort();

  it('shows HQ and admins every site, a site manager only their sites, vendors nothing', async () => {
    expect(await ids('/api/v1/notifications/dead-letters', tok.hq!)).toEqual(['dead-gangnam', 'dead-hongdae']);
    expect(await ids('/api/v1/notifications/dead-letters', tok.admin!)).toEqual(['dead-gangnam', 'dead-hongdae']);
    expect(await ids('/api/v1/notifications/dead-letters', tok.mgr!)).toEqual(['dead-gangnam']);
    expect(await ids('/api/v1/notifications/dead-letters', tok.xAdmin!)).toEqual([]);
    expect((await t.api('GET', '/api/v1/notifications/dead-letters', { token: tok.vendor })).status).toBe(403);
    const hongdaeAlert = encodeURIComponent(dead('x', 'hongdae').alertId);
    expect(await ids(`/api/v1/alerts/${hongdaeAlert}/deliveries`, tok.hq!)).toEqual(['dead-hongdae']);
    expect(await ids(`/api/v1/alerts/${hongdaeAlert}/deliveries`, tok.mgr!)).toEqual([]);
    expect((await t.api('GET', `/api/v1/alerts/${hongdaeAlert}/deliveries`, { token: tok.vendor })).status).toBe(403);
    const [entry] = (await (await t.api('GET', `/api/v1/notifications/deliveries?alertId=${hongdaeAlert}`, { token: tok.admin })).json()) as Array<Record<string, unknown>>;
    expect(entry).toMatchObject({ status: 'dead', deadAt: 2000, queuedAt: 1000, lastError: 'HTTP 500', attempts: [{ n: 1, at: 2000, statusCode: 500, durationMs: 4 }] });
  });

  it('retries a dead letter for a tenant-admin only, inside their tenant', async () => {
    expect((await post('/api/v1/notifications/dead-letters/dead-gangnam/retry', tok.hq!, {})).status).toBe(403);
    expect((await post('/api/v1/notifications/dead-letters/dead-gangnam/retry', tok.xAdmin!, {})).status).toBe(404);
    const res = await post('/api/v1/notifications/dead-letters/dead-gangnam/retry', tok.admin!, {});
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ id: 'dead-gangnam', status: 'pending' });
    expect((await post('/api/v1/notifications/dead-letters/dead-gangnam/retry', tok.admin!, {})).status).toBe(404);
    expect(await ids('/api/v1/notifications/dead-letters', tok.admin!)).not.toContain('dead-gangnam');
  });
});

describe('OpenAPI', () => {
  it('documents every notification endpoint', async () => {
    const doc = (await (await t.api('GET', '/api/v1/openapi.json')).json()) as { paths: Record<string, unknown> };
    for (const [path, method] of <Array<[string, string]>>[
      ['/api/v1/notifications/channels', 'post'],
      ['/api/v1/notifications/channels', 'get'],
      ['/api/v1/notifications/channels/{channelId}', 'delete'],
      ['/api/v1/notifications/rules', 'post'],
      ['/api/v1/notifications/rules/{ruleId}', 'delete'],
      ['/api/v1/notifications/dead-letters', 'get'],
      ['/api/v1/notifications/dead-letters/{id}/retry', 'post'],
      ['/api/v1/alerts/{alertId}/deliveries', 'get'],
      ['/api/v1/notifications/deliveries', 'get'],
    ])
      expect(doc.paths).toHaveProperty([path, method]);
  });
});
