import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { execFile } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '@cr/shared';
import { eventually, startTestCloud, type TestCloud } from '../testing/test-cloud';
import { startEdgeProcess, type EdgeProcess } from '../testing/edge-process';
import { MqttDevices } from '../testing/mqtt-devices';
import { CloudApi } from './cloud-api';
import { onboardSite, STEPS } from './onboard';
import { readSitePlan, type SitePlan } from './site-plan';

const PLAN: SitePlan = {
  id: 'mapo',
  name: '마포점 Mapo',
  lat: 37.5536,
  lng: 126.9514,
  timezone: 'Asia/Seoul',
  zones: [
    { id: 'lobby', name: '로비 Lobby' },
    { id: 'office', name: '오피스 Office' },
  ],
  devices: [
    { id: 'door-main', zoneId: 'lobby' },
    { id: 'reader-main', zoneId: 'lobby' },
    { id: 'env-1', zoneId: 'office' },
  ],
  acceptance: { readerId: 'reader-main', doorId: 'door-main', card: 'card-test-mapo' },
};

let t: TestCloud;
let url: string;
let dir: string;
let edge: EdgeProcess | undefined;
let devices: MqttDevices | undefined;

beforeAll(async () => {
  t = await startTestCloud();
  url = (await t.cloud.listen(0)).url;
  dir = mkdtempSync(join(tmpdir(), 'onboard-'));
}, 60_000);
afterAll(async () => {
  await devices?.close();
  await edge?.service.stop();
  await t?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('npm run onboard', () => {
  it('takes a site from nothing to live: its gateway links, its devices are admitted and placed, the checklist is green', { timeout: 120_000 }, async () => {
    const admin = await CloudApi.login(url, 'admin@demo.local', DEMO_PASSWORD);
    const operator = await CloudApi.login(url, 'hq@demo.local', DEMO_PASSWORD);
    const lines: string[] = [];
    let installer: Promise<void> = Promise.resolve();
    // The installer: starts the gateway with the printed token (its commissioning window closed, so
    // admission is the tool's), mounts the devices, then swipes and trips an alarm when asked.
    const say = (line: string) => {
      lines.push(line);
      if (line.includes('swipe the test card')) installer = installer.then(async () => void (await devices!.swipe('reader-main', PLAN.acceptance.card)));
      if (line.includes('trip a test alarm'))
        installer = installer.then(() => devices!.event('door-main', { id: randomUUID(), type: 'door.forced', ts: Date.now() }));
    };
    const list = await onboardSite({
      plan: PLAN,
      admin,
      operator,
      waitMs: 30_000,
      say,
      onEdgeToken: (token) => {
        installer = (async () => {
          edge = await startEdgeProcess({ siteId: PLAN.id, cloudUrl: url, token, dataDir: dir, commissioning: false });
          devices = await MqttDevices.connect(edge.mqttUrl, PLAN.id);
          await devices.announce({ id: 'door-main', kind: 'door', name: 'Main door', zoneId: 'lobby' });
          await devices.announce({ id: 'reader-main', kind: 'reader', name: 'Main reader', zoneId: 'lobby', doorId: 'door-main' });
          await devices.announce({ id: 'env-1', kind: 'env', name: 'Office climate', zoneId: 'office' });
        })();
      },
    });
    await installer;
    expect(list.summary(STEPS.length), lines.join('\n')).toEqual(STEPS.map((s) => expect.stringMatching(new RegExp(`^\\[x\\] ${s.replace(/[()]/g, '\\$&')}`))));
    expect(list.green).toBe(true);
    const listed = (await admin.expect<Array<{ id: string; approval: string; zoneId?: string }>>([200], 'GET', `/api/v1/sites/${PLAN.id}/devices`)).sort((a, b) => (a.id < b.id ? -1 : 1));
    expect(listed.map((d) => [d.id, d.approval, d.zoneId])).toEqual([
      ['door-main', 'approved', 'lobby'],
      ['env-1', 'approved', 'office'],
      ['reader-main', 'approved', 'lobby'],
    ]);
    // The test card opens nothing once the test is over.
    const refused = await eventually(async () => {
      const answer = await devices!.swipe('reader-main', PLAN.acceptance.card);
      return answer.granted ? undefined : answer;
    }, 10_000, 'test card refused after the test');
    expect(refused.granted).toBe(false);
  });

  it('a re-run of a live site is refused without --resume, and stops at the first red item', async () => {
    const admin = await CloudApi.login(url, 'admin@demo.local', DEMO_PASSWORD);
    const list = await onboardSite({ plan: PLAN, admin, waitMs: 1_000, say: () => undefined });
    expect(list.green).toBe(false);
    expect(list.items).toEqual([expect.objectContaining({ name: 'site registered', ok: false, detail: expect.stringMatching(/--resume/) })]);
  });

  it('without an operator the remote door test is red, not skipped', { timeout: 60_000 }, async () => {
    const admin = await CloudApi.login(url, 'admin@demo.local', DEMO_PASSWORD);
    const say = (line: string) => {
      if (line.includes('swipe the test card')) void devices!.swipe('reader-main', PLAN.acceptance.card).catch(() => undefined);
    };
    const list = await onboardSite({ plan: PLAN, admin, waitMs: 20_000, resume: true, say });
    expect(list.items.at(-1)).toMatchObject({ name: 'door opened and locked remotely', ok: false, detail: expect.stringMatching(/operator/) });
  });
});

describe('site plan', () => {
  it.each<[string, unknown, RegExp]>([
    ['a device in an unknown zone', { ...PLAN, devices: [...PLAN.devices, { id: 'pir-1', zoneId: 'roof' }] }, /pir-1 is placed in roof/],
    ['an acceptance door that is not a device', { ...PLAN, acceptance: { ...PLAN.acceptance, doorId: 'door-x' } }, /acceptance.doorId/],
    ['a bad id', { ...PLAN, id: 'Mapo Branch' }, /id: must be a lower-case id/],
    ['no zones', { ...PLAN, zones: [] }, /zones/],
    ['an unknown field', { ...PLAN, colour: 'red' }, /colour|Unrecognized/],
  ])('refuses %s with one line naming it', (_n, plan, message) => {
    const file = join(mkdtempSync(join(tmpdir(), 'plan-')), 'site.json');
    writeFileSync(file, JSON.stringify(plan));
    expect(() => readSitePlan(file)).toThrow(message);
  });

  it('names a missing or broken file', () => {
    expect(() => readSitePlan('/nonexistent/site.json')).toThrow(/no such file/);
    const file = join(mkdtempSync(join(tmpdir(), 'plan-')), 'site.json');
    writeFileSync(file, '{ "id": ');
    expect(() => readSitePlan(file)).toThrow(/not JSON/);
  });
});

describe('the command line', () => {
  const cli = (args: string[], env: Record<string, string> = {}) =>
    new Promise<{ code: number; out: string }>((resolve) => {
      execFile('node', ['--import', 'tsx', join(import.meta.dirname, 'main.ts'), ...args], { env: { ...process.env, ...env } }, (err, stdout, stderr) =>
        resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, out: `${stdout}${stderr}` }),
      );
    });

  it('the shipped example plan is valid', () => {
    expect(readSitePlan(join(import.meta.dirname, '../../../deploy/onboarding/site.example.json')).id).toBe('mapo');
  });

  it('exits 2 with one line on a bad flag, a missing password or a bad plan; 1 when the cloud does not answer', { timeout: 30_000 }, async () => {
    expect(await cli(['--nope'])).toMatchObject({ code: 2, out: expect.stringMatching(/Unknown option '--nope'/) });
    const base = ['--cloud', 'http://127.0.0.1:9', '--email', 'a@b.c', '--from', join(import.meta.dirname, '../../../deploy/onboarding/site.example.json')];
    expect(await cli(base)).toMatchObject({ code: 2, out: expect.stringMatching(/CR_PASSWORD/) });
    expect(await cli([...base.slice(0, 4), '--from', '/nonexistent.json'], { CR_PASSWORD: 'x' })).toMatchObject({ code: 2, out: expect.stringMatching(/no such file/) });
    expect(await cli(base, { CR_PASSWORD: 'x' })).toMatchObject({ code: 1, out: expect.stringMatching(/does not answer/) });
  });
});
