import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, expect } from '@playwright/test';
import { getJson, readableLogLine, startService, waitUntil, type Service } from '@cr/demo';
import { RENDERER_DIR } from '@cr/demo/console-launch';
import { AdminConsole } from '../fixtures/admin-console';
import { edgeArgs, programLines, runCommand, SiteDevices } from '../fixtures/real-tenant';

/**
 * A real deployment from the first command (CONTRACT.md §5): `init` makes a tenant, the cloud runs
 * without demo data, its admin builds a site in the console, and a real edge admits a member's card.
 */
const TENANT = 'acme';
const ADMIN = 'ops@acme.test';
const PASSWORD = 'acme-ops-password-1';
const SITE = { id: 'seongsu', name: '성수점', lat: 37.5446, lng: 127.0557, timezone: 'Asia/Seoul' };

test('a tenant made by init runs without demo data: site, zones, edge token and a member whose card opens the door', async ({
  browser,
}, testInfo) => {
  test.setTimeout(60_000);
  const dataDir = mkdtempSync(join(tmpdir(), 'cr-real-'));
  const services: Service[] = [];
  const logFile = testInfo.outputPath('processes.log');
  const log = (name: string) => (line: string) => appendFileSync(logFile, `[${name}] ${readableLogLine(line)}\n`);
  let devices: SiteDevices | undefined;
  try {
    // 1. `npm run cloud -- init …` as an installer types it: one line, exit 0.
    const init = await runCommand(
      'npm',
      [
        'run',
        'cloud',
        '--',
        'init',
        '--data',
        dataDir,
        '--tenant',
        TENANT,
        '--tenant-name',
        'Acme Offices',
        '--admin',
        ADMIN,
      ],
      { CR_ADMIN_PASSWORD: PASSWORD },
    );
    expect(init.code, init.stderr).toBe(0);
    expect(programLines(init.stdout)).toEqual([`tenant ${TENANT} ready; admin ${ADMIN}`]);
    const again = await runCommand(
      'npm',
      [
        'run',
        'cloud',
        '--',
        'init',
        '--data',
        dataDir,
        '--tenant',
        TENANT,
        '--tenant-name',
        'X',
        '--admin',
        'x@acme.test',
      ],
      {
        CR_ADMIN_PASSWORD: PASSWORD,
      },
    );
    expect(again.code).toBe(2);

    // 2. The cloud without --demo on a free port serves that tenant and nothing of the demo.
    const cloud = startService({
      name: 'cloud',
      entry: 'sync-server/src/main.ts',
      args: ['--port', '0', '--data', dataDir, '--ui', RENDERER_DIR, '--link-timeout-ms', '3000'],
      ready: [/^cloud listening on (http:\/\/127\.0\.0\.1:\d+)$/],
      onLine: log('cloud'),
    });
    services.push(cloud);
    const cloudUrl = (await cloud.ready)[0]![1]!;
    const login = (email: string, password: string) =>
      fetch(`${cloudUrl}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email, password }),
      });
    expect((await login('admin@demo.local', 'demo-pass-1234')).status).toBe(401);
    const { accessToken } = (await (await login(ADMIN, PASSWORD)).json()) as { accessToken: string };
    const demoRoute = await fetch(`${cloudUrl}/api/v1/demo/edge-token/${SITE.id}`, {
      headers: { authorization: `Bearer ${accessToken}` },
    });
    expect(demoRoute.status).toBe(404);

    // 3. The admin signs in to the console and builds the site: zones, gateway token, a member.
    const page = await (await browser.newContext()).newPage();
    await page.goto(`${cloudUrl}/`);
    await page.getByTestId('login-email').fill(ADMIN);
    await page.getByTestId('login-password').fill(PASSWORD);
    await page.getByTestId('login-password').press('Enter');
    await expect(page.getByTestId('current-user')).toHaveAttribute('data-role', 'tenant-admin', { timeout: 30_000 });
    const admin = new AdminConsole(page);
    await admin.open();
    await admin.createSite(SITE);
    await admin.saveZone('lobby', '로비');
    await admin.saveZone('office', '사무실');
    const command = await admin.issueEdgeCommand();
    expect(command).toMatch(
      new RegExp(`^npm run edge -- --site ${SITE.id} --cloud ${cloudUrl} --token \\S+ --commissioning$`),
    );
    await admin.saveMember({ id: 'minji', name: '김민지', card: 'acme-card-0001', zoneIds: ['lobby'] });

    // 4. A real edge, started with exactly that command (plus local ports and a data dir).
    const edge = startService({
      name: `edge ${SITE.id}`,
      entry: 'edge/src/main.ts',
      args: [
        ...edgeArgs(command),
        '--mqtt-port',
        '0',
        '--http-port',
        '0',
        '--data',
        join(dataDir, 'edge'),
        '--heartbeat-ms',
        '500',
      ],
      ready: [
        new RegExp(`^edge ${SITE.id} mqtt on (mqtt://\\S+)$`),
        new RegExp(`^edge ${SITE.id} http on (http://\\S+)$`),
      ],
      onLine: log('edge'),
    });
    services.push(edge);
    const [mqttLine, httpLine] = await edge.ready;
    const edgeHttp = httpLine![1]!;
    await waitUntil(async () => {
      const h = await getJson<{ cloud: string; permissionsVersion: number; cacheStale: boolean }>(`${edgeHttp}/health`);
      return h.cloud === 'connected' && h.permissionsVersion > 0 && !h.cacheStale;
    }, 'the edge linked to the cloud with current permissions');

    // 5. A door and its reader announce themselves in the lobby; the cloud sees them through the edge.
    devices = await SiteDevices.open(mqttLine![1]!, SITE.id);
    await devices.announceDoorWithReader('lobby', 'door-lobby', 'reader-lobby');
    await waitUntil(async () => {
      const site = await getJson<{ devices: Array<{ id: string }> }>(
        `${cloudUrl}/api/v1/sites/${SITE.id}`,
        accessToken,
      );
      return site.devices.some((d) => d.id === 'reader-lobby');
    }, 'the reader reported by the edge to the cloud');

    // 6. The member's card opens the lobby door; an unknown card does not.
    expect(await devices.presentCard('reader-lobby', 'acme-card-0001')).toMatchObject({
      granted: true,
      reason: 'granted',
      memberId: 'minji',
    });
    await waitUntil(
      () => devices!.commandsTo('door-lobby').some((c) => c.action === 'pulse-unlock'),
      'pulse-unlock to the lobby door',
    );
    expect(await devices.presentCard('reader-lobby', 'card-0042')).toMatchObject({
      granted: false,
      reason: 'unknown-credential',
    });
  } finally {
    await devices?.close();
    for (const s of services.reverse()) await s.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
