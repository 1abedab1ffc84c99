import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEMO_TENANT } from '@cr/shared';
import { createApp } from '@cr/sync-server/src/app';
import { parseConfig } from '@cr/sync-server/src/config';
import { createSite } from '@cr/sync-server/src/domain/site-directory';
import { benchSite, benchSiteId } from '../harness/site-plan';
import { finish, ready, runMain, workerFlags } from '../harness/worker-io';

/**
 * Prepares a cloud data folder with the demo tenant plus N sites of 50 devices each, using the
 * cloud's own site creation (the API has no endpoint to create sites yet), and issues an edge token
 * per site. The cloud itself is then started on this folder as its own process.
 */
runMain(async () => {
  const flags = workerFlags(['data', 'sites', 'store']);
  ready();
  // `--store sqlite` (the default) or a PostgreSQL URL shared by the instances that serve the sites.
  const cloud = await createApp(parseConfig(['--data', flags.data, '--demo', '--port', '0', '--store', flags.store]));
  const tokens: Record<string, string> = {};
  for (let i = 0; i < Number(flags.sites); i++) {
    const plan = benchSite(benchSiteId(i), i);
    await createSite(cloud.ctx.tenants, cloud.ctx.docs, { tenantId: DEMO_TENANT.id, id: plan.id, name: plan.name, lat: plan.lat, lng: plan.lng, timezone: plan.timezone }, plan);
    tokens[plan.id] = (await cloud.ctx.auth.edgeToken(DEMO_TENANT.id, plan.id)).token;
  }
  await cloud.close();
  const file = join(flags.data, 'bench-edge-tokens.json');
  writeFileSync(file, JSON.stringify(tokens));
  finish({ file, sites: Object.keys(tokens).length });
});
