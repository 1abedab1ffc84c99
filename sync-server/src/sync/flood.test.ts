import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import WebSocket from 'ws';
import * as encoding from 'lib0/encoding';
import type { WebsocketProvider } from 'y-websocket';
import { ALERT_TYPES, DEMO_PASSWORD, MAX_DOC_BYTES, PEOPLE_DOC_SHARE, SiteDoc, addAlertNote, alertId, raiseAlert, siteDocName, type Role } from '@cr/shared';
import { eventually, startTestCloud, type TestCloud } from '../testing/test-cloud';
import { connectProvider, whenSynced } from '../testing/sync-clients';
import { hashPassword } from '../domain/passwords';
import { DEFAULT_SYNC_LIMITS } from './sync-throttle';

const GANGNAM = siteDocName('demo', 'gangnam');
let t: TestCloud;
let url: string;
let providers: WebsocketProvider[] = [];
const open = async (doc: string, token: string) => {
  const p = connectProvider(url, doc, token);
  providers.push(p);
  await whenSynced(p);
  return p;
};

let added = 0;
/** More people of the demo tenant, so a flood comes from several users. */
async function addUsers(n: number, role: Role = 'hq-operator'): Promise<string[]> {
  const hash = await hashPassword(DEMO_PASSWORD);
  return Array.from({ length: n }, () => {
    const i = added++;
    const email = `flood-${role}-${i}@demo.local`;
    t.cloud.ctx.users.insert({ id: `flood-${role}-${i}`, tenantId: 'demo', email, name: `Flood ${i}`, role, siteIds: [], passwordHash: hash, disabled: false });
    return email;
  });
}

/** Writes `bytes` of notes from a console, ~100 KiB per update (a busy console, or a script with its token). */
function floodNotes(p: WebsocketProvider, bytes: number, tag: string): void {
  const text = 'n'.repeat(2000);
  const perUpdate = 50;
  const notes = Math.ceil(bytes / 2100);
  for (let i = 0; i < notes; i += perUpdate)
    p.doc.transact(() => {
      for (let j = i; j < Math.min(notes, i + perUpdate); j++)
        addAlertNote(p.doc, 'gangnam.flood', { id: `${tag}-${j}`, by: tag, at: Date.now(), where: 'hq', text });
    });
}

/**
 * Adds one note of about `size` bytes over a fresh raw sync socket: true once the server holds it,
 * false when the server refused it (1009). Used to fill the people's share to the last few bytes.
 */
async function topUp(token: string, size: number, id: string): Promise<boolean> {
  const local = new Y.Doc();
  addAlertNote(local, 'gangnam.flood', { id, by: 'x', at: Date.now(), where: 'hq', text: 't'.repeat(Math.max(1, Math.min(2000, size))) });
  const enc = encoding.createEncoder();
  encoding.writeVarUint(enc, 0);
  encoding.writeVarUint(enc, 2);
  encoding.writeVarUint8Array(enc, Y.encodeStateAsUpdate(local));
  const ws = new WebSocket(`${url.replace('http', 'ws')}/sync/${GANGNAM}?token=${encodeURIComponent(token)}`);
  let code: number | undefined;
  ws.on('close', (c) => (code = c));
  await new Promise((r) => ws.once('open', r));
  ws.send(encoding.toUint8Array(enc));
  const held = () => t.cloud.ctx.docs.read(GANGNAM, (d) => d.getMap('alertNotes').has(`gangnam.flood|${id}`));
  await eventually(() => code !== undefined || held(), 5000, 'top-up answered');
  ws.close();
  return held();
}

beforeAll(async () => {
  t = await startTestCloud();
  url = (await t.cloud.listen(0)).url;
});
afterEach(() => {
  for (const p of providers) p.destroy();
  providers = [];
  t.cloud.ctx.userSockets.setLimits(DEFAULT_SYNC_LIMITS);
});
afterAll(() => t.close());

describe('a flood of people’s writes', () => {
  it('never blocks the fire alert the edge writes: 7 MiB of notes from four users, then a fire', { timeout: 60_000 }, async () => {
    const writers = await Promise.all(['hq@demo.local', 'gangnam.manager@demo.local', ...(await addUsers(2))].map(async (e) => open(GANGNAM, await t.token(e))));
    const watcher = await open(GANGNAM, await t.token('admin@demo.local'));
    const edge = await open(GANGNAM, t.cloud.demoEdgeTokens.gangnam!);
    const refused: number[] = [];
    for (const w of writers) w.on('connection-close', (e: { code: number } | null) => e && refused.push(e.code));
    writers.forEach((w, i) => floodNotes(w, (7 * 1024 * 1024) / writers.length, `w${i}`));
    const room = (await t.cloud.ctx.docs.open(GANGNAM)).room;
    // The people's share fills and the rest of the flood is refused.
    await eventually(() => refused.includes(1009) && room.approxBytes > MAX_DOC_BYTES * PEOPLE_DOC_SHARE - 256 * 1024, 30_000, 'people’s share full');
    expect(room.approxBytes).toBeLessThanOrEqual(MAX_DOC_BYTES * PEOPLE_DOC_SHARE);
    // Then to the last few hundred bytes, with notes ever smaller: nothing a person writes fits any more.
    const topper = (await addUsers(1))[0]!;
    for (let size = 2000, n = 0; size >= 50; n++) if (!(await topUp(await t.token(topper), size, `top-${n}`))) size = Math.floor(size / 2);
    expect(MAX_DOC_BYTES * PEOPLE_DOC_SHARE - room.approxBytes).toBeLessThan(400);

    const fire = alertId('gangnam', 'fire-panel', 'fire.alarm', Date.now());
    raiseAlert(edge.doc, {
      id: fire,
      siteId: 'gangnam',
      type: 'fire.alarm',
      severity: ALERT_TYPES['fire.alarm'].severity,
      raisedAt: Date.now(),
      deviceId: 'fire-panel',
      message: 'fire panel: alarm in zone lobby, smoke detector 3, second floor stairwell; doors unlocked'.repeat(4),
      source: 'edge',
    });
    const started = Date.now();
    await eventually(() => new SiteDoc(watcher.doc).alerts().some((a) => a.id === fire), 10_000, 'fire alert at another console');
    const res = await t.api('GET', '/api/v1/alerts?siteId=gangnam&state=open', { token: await t.token('hq@demo.local') });
    expect(((await res.json()) as Array<{ id: string; type: string }>).find((a) => a.id === fire)?.type).toBe('fire.alarm');
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});

describe('per-user sync budget', () => {
  it('slows down one user’s burst while another user’s edit goes straight through', { timeout: 30_000 }, async () => {
    t.cloud.ctx.userSockets.setLimits({ bytesPerSecond: 64 * 1024, burstBytes: 32 * 1024, messagesPerSecond: 50, burstMessages: 20 });
    const hongdae = siteDocName('demo', 'hongdae');
    const [noisy, calm] = await Promise.all(['hq@demo.local', 'admin@demo.local'].map((e) => t.token(e)));
    const noisyConsole = await open(hongdae, noisy!);
    const [quietEmail] = await addUsers(1);
    const quiet = await open(hongdae, await t.token(quietEmail!));
    const watcher = await open(hongdae, calm!);
    // ~250 KiB in 120 messages: about four seconds of this user's budget.
    const text = 'q'.repeat(2000);
    for (let i = 0; i < 120; i++) addAlertNote(noisyConsole.doc, 'hongdae.flood', { id: `noisy-${i}`, by: 'hq', at: i, where: 'hq', text });
    new SiteDoc(quiet.doc).setOccupancy('lobby', 42, Date.now());
    await eventually(() => new SiteDoc(watcher.doc).occupancy().lobby === 42, 3000, 'the other user’s edit');
    const notesNow = await t.cloud.ctx.docs.read(hongdae, (d) => d.getMap('alertNotes').size);
    expect(notesNow).toBeLessThan(120);
    // Slowed, not lost: everything of the noisy user arrives in the end.
    await eventually(() => t.cloud.ctx.docs.read(hongdae, (d) => d.getMap('alertNotes').size === 120), 20_000, 'all notes');
  });
});
