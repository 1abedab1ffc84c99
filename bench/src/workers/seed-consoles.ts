import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEMO_TENANT } from '@cr/shared';
import { createApp } from '@cr/sync-server/src/app';
import { parseConfig } from '@cr/sync-server/src/config';
import { finish, ready, runMain, workerFlags } from '../harness/worker-io';

/**
 * Prepares a cloud data folder with the demo tenant plus N HQ operators, and writes a console
 * access token for each (every console is its own person, with its own sync budget) and the
 * gangnam gateway's token (the writer: device states come from the site's edge).
 */
runMain(async () => {
  const flags = workerFlags(['data', 'consoles', 'store']);
  ready();
  const cloud = await createApp(parseConfig(['--data', flags.data, '--demo', '--port', '0', '--store', flags.store]));
  const readers: string[] = [];
  for (let i = 0; i < Number(flags.consoles); i++) {
    const user = {
      id: `bench-console-${i}`,
      tenantId: DEMO_TENANT.id,
      name: `Console ${i}`,
      role: 'hq-operator' as const,
      siteIds: [],
    };
    if (!(await cloud.ctx.users.byId(user.id))) {
      await cloud.ctx.users.insert({ ...user, email: `${user.id}@demo.local`, passwordHash: '!', disabled: false });
    }
    readers.push((await cloud.ctx.auth.accessToken(user, 2 * 3600_000)).token);
  }
  const writer = (await cloud.ctx.auth.edgeToken(DEMO_TENANT.id, 'gangnam')).token;
  await cloud.close();
  const file = join(flags.data, 'bench-console-tokens.json');
  writeFileSync(file, JSON.stringify({ readers, writer }));
  finish({ file });
});
