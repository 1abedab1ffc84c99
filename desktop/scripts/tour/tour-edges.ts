// The UI tour's other gateways, for the fleet view: each `site:token:stay|leave` argument links a
// demo site and reports the devices of tour-fleet-plan.ts. `stay` keeps the link with heartbeats
// until the process is ended; `leave` reports once and closes it.
import { TestEdge } from '@cr/sync-server/src/testing/edge-client';
import { fleetDevices } from './tour-fleet-plan';

const [url, ...links] = process.argv.slice(2);
for (const link of links) {
  const [siteId, token, mode] = link.split(':') as [string, string, 'stay' | 'leave'];
  const edge = await TestEdge.connect(url!, token);
  edge.hello(siteId);
  await edge.next('welcome');
  edge.devices(fleetDevices(siteId, Date.now()));
  const ts = Date.now();
  edge.heartbeat({ ts });
  await edge.next('time', (m) => m.echo === ts);
  if (mode === 'leave') edge.close();
  else setInterval(() => edge.heartbeat(), 5_000);
  process.stdout.write(`site ${siteId} reported\n`);
}
process.stdout.write('fleet edges ready\n');
