import { DEMO_PASSWORD, DEMO_USERS } from '@cr/shared';
import { INCIDENTS } from './incidents';
import type { LocalSystem } from './system';

/** The short banner `npm start` prints once everything is up. */
export function banner(system: LocalSystem, consoleLine: string, startedInMs: number): string {
  const lines = [
    '',
    `Control room demo is running (started in ${(startedInMs / 1000).toFixed(1)} s)`,
    '',
    `  Console   ${consoleLine}`,
    `  Cloud     ${system.cloudUrl}   (API docs: ${system.cloudUrl}/api/v1/docs)`,
  ];
  for (const site of system.sites.values()) {
    lines.push(`  Edge      ${site.siteId.padEnd(8)} ${site.httpUrl}   MQTT ${site.mqttUrl}`);
  }
  lines.push('', `  Logins (password ${DEMO_PASSWORD}):`);
  for (const u of DEMO_USERS) lines.push(`    ${u.email.padEnd(28)} ${u.role}${u.siteIds.length ? ` (${u.siteIds.join(', ')})` : ''}`);
  lines.push('', '  Demo incidents, from another terminal:   npm run demo -- <incident> <site> [target]');
  for (const [name, what] of Object.entries(INCIDENTS)) lines.push(`    ${name.padEnd(11)} ${what}`);
  lines.push('    e.g.  npm run demo -- fire gangnam', '', '  Stop with Ctrl-C.', '');
  return lines.join('\n');
}
