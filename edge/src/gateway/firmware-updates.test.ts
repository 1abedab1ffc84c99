import { describe, expect, it } from 'vitest';
import { generateSigningKeys, signFirmwareManifest, type EdgeToCloud } from '@cr/shared';
import { FirmwareUpdates, holdReason } from './firmware-updates';

type Report = Extract<EdgeToCloud, { type: 'firmware.progress' }>;

/** The edge's settings as the updates see them: kept across "restarts" of one test. */
const memorySettings = () => {
  const kv = new Map<string, string>();
  return { get: (k: string) => kv.get(k), set: (k: string, v: string) => void kv.set(k, v), kv };
};

async function setup(kind = 'env', link: (m: Report) => boolean = () => true, keep?: ReturnType<typeof memorySettings>, keys?: Awaited<ReturnType<typeof generateSigningKeys>>) {
  keys ??= await generateSigningKeys();
  const jwk = (await crypto.subtle.exportKey('jwk', keys.publicKey)) as Record<string, unknown>;
  const published: Array<{ topic: string; payload: string }> = [];
  const reports: Report[] = [];
  const bad: string[] = [];
  const mode = { mode: 'normal' as 'normal' | 'lockdown', fireActive: false };
  const updates = new FirmwareUpdates({
    siteId: 's1',
    bus: { publish: (topic, payload) => void published.push({ topic, payload }) },
    registry: { get: (id) => (id === 'dev-1' ? { config: { id, kind: kind as 'env', name: 'x' }, claimed: { id, kind: kind as 'env', name: 'x' }, lastSeenAt: 0, heard: true } : undefined) },
    mode: () => mode,
    cloudKey: () => jwk,
    report: (m) => (reports.push(m), link(m)),
    badInput: (d) => void bad.push(d),
    log: { info: () => undefined, warn: () => undefined },
    now: () => 1,
    keep,
  });
  const manifest = { rolloutId: 'r1', deviceId: 'dev-1', version: '2.0.0', url: 'https://fw.example/2.bin', sha256: 'a'.repeat(64) };
  const signature = await signFirmwareManifest(keys.privateKey, manifest);
  return { updates, published, reports, bad, mode, manifest, signature, keys };
}

const progress = (p: unknown) => Buffer.from(JSON.stringify(p));

describe('firmware updates at the edge', () => {
  it('refuses a manifest whose signature does not verify, and offers nothing', async () => {
    const s = await setup();
    await s.updates.offer({ ...s.manifest, url: 'https://evil.example/x.bin' }, s.signature);
    await s.updates.offer(s.manifest, s.signature.slice(0, -4) + 'AAAA');
    expect(s.published).toEqual([]);
    expect(s.reports.map((r) => [r.state, r.error])).toEqual([
      ['failed', 'manifest signature refused'],
      ['failed', 'manifest signature refused'],
    ]);
    s.updates.close();
  });

  it('offers a verified manifest, forwards progress, and reports done only on the re-announced version', async () => {
    const s = await setup();
    await s.updates.offer(s.manifest, s.signature);
    expect(s.published).toEqual([{ topic: 'cr/s1/devices/dev-1/ota', payload: JSON.stringify({ id: 'r1', version: '2.0.0', url: s.manifest.url, sha256: s.manifest.sha256 }) }]);
    s.updates.onProgress('dev-1', Buffer.from('{not json'));
    s.updates.onProgress('dev-1', progress({ id: 'r1', state: 'weird' }));
    s.updates.onProgress('dev-1', progress({ id: 'r1', state: 'downloading', progress: 40 }));
    s.updates.onProgress('dev-1', progress({ id: 'r1', state: 'installing' }));
    s.updates.onProgress('dev-1', progress({ id: 'r1', state: 'done' }));
    expect(s.bad).toHaveLength(2);
    expect(s.reports.map((r) => r.state)).toEqual(['sent', 'downloading', 'installing']);
    s.updates.onConfig({ id: 'dev-1', kind: 'env', name: 'x', firmware: '2.0.0' });
    expect(s.reports.at(-1)).toMatchObject({ state: 'done', deviceId: 'dev-1', rolloutId: 'r1' });
    s.updates.close();
  });

  it('fails an update whose device re-announces another firmware', async () => {
    const s = await setup();
    await s.updates.offer(s.manifest, s.signature);
    s.updates.onProgress('dev-1', progress({ id: 'r1', state: 'done' }));
    s.updates.onConfig({ id: 'dev-1', kind: 'env', name: 'x', firmware: '1.0.0' });
    expect(s.reports.at(-1)).toMatchObject({ state: 'failed', error: 'the device re-announced firmware 1.0.0, not 2.0.0' });
    s.updates.close();
  });

  it('holds a door back during a lockdown and offers it once the site is normal again', async () => {
    const s = await setup('door');
    s.mode.mode = 'lockdown';
    await s.updates.offer(s.manifest, s.signature);
    expect(s.published).toEqual([]);
    expect(s.reports.map((r) => r.state)).toEqual(['sent']);
    s.mode.mode = 'normal';
    await new Promise((r) => setTimeout(r, 1_200));
    expect(s.published).toHaveLength(1);
    s.updates.close();
  });

  it('keeps a report the link could not take and sends it once the link is back', async () => {
    let up = false;
    const sent: Report[] = [];
    const s = await setup('env', (m) => (up ? (sent.push(m), true) : false));
    await s.updates.offer(s.manifest, s.signature);
    s.updates.onProgress('dev-1', progress({ id: 'r1', state: 'failed', error: 'flash full' }));
    expect(sent).toEqual([]);
    up = true;
    s.updates.flush();
    s.updates.flush();
    expect(sent.map((m) => [m.state, m.error])).toEqual([['failed', 'flash full']]);
    s.updates.close();
  });

  it('names why a door device is held', () => {
    expect(holdReason('reader', { mode: 'normal', fireActive: true })).toBe('fire emergency');
    expect(holdReason('door', { mode: 'emergency-unlock', fireActive: false })).toBe('emergency-unlock');
    expect(holdReason('env', { mode: 'lockdown', fireActive: true })).toBeUndefined();
    expect(holdReason('fire-panel', { mode: 'normal', fireActive: true })).toBe('fire emergency');
    expect(holdReason('door', { mode: 'secure', fireActive: false })).toBeUndefined();
  });

  it('keeps an update under way across an edge restart: the re-announced version after it is reported done', async () => {
    const keep = memorySettings();
    const a = await setup('env', () => true, keep);
    await a.updates.offer(a.manifest, a.signature);
    a.updates.onProgress('dev-1', progress({ id: 'r1', state: 'done' }));
    a.updates.close();
    // The edge restarts; the device re-announces its config with the new version.
    const b = await setup('env', () => true, keep, a.keys);
    b.updates.onConfig({ id: 'dev-1', kind: 'env', name: 'x', firmware: '2.0.0' });
    expect(b.reports.map((r) => [r.rolloutId, r.state])).toEqual([['r1', 'done']]);
    // Settled: a third run has nothing left to report.
    b.updates.close();
    const c = await setup('env', () => true, keep, a.keys);
    c.updates.onConfig({ id: 'dev-1', kind: 'env', name: 'x', firmware: '2.0.0' });
    expect(c.reports).toEqual([]);
    c.updates.close();
  });

  it('sends after a restart the reports the cut link could not take, and ignores a damaged record', async () => {
    const keep = memorySettings();
    let up = false;
    const a = await setup('env', () => up, keep);
    await a.updates.offer(a.manifest, a.signature);
    a.updates.onProgress('dev-1', progress({ id: 'r1', state: 'failed', error: 'flash write error' }));
    a.updates.close();
    up = true;
    const b = await setup('env', () => up, keep, a.keys);
    b.updates.flush();
    expect(b.reports.at(-1)).toMatchObject({ rolloutId: 'r1', state: 'failed', error: 'flash write error' });
    b.updates.close();
    keep.set('firmware.updates', '{"updates":[{"manifest":{"rolloutId":1}}],"unsent":[]}');
    const c = await setup('env', () => true, keep, a.keys);
    c.updates.flush();
    expect(c.reports).toEqual([]);
    c.updates.close();
  });
});
