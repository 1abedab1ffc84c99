import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { INCIDENTS, isIncident } from './incidents';
import { REPO_ROOT } from './processes';

/** `npm run demo -- <incident> <site> [target]`: triggers an incident in the running demo. */
const USAGE = `usage: npm run demo -- <incident> <site> [target]\n${Object.entries(INCIDENTS)
  .map(([k, v]) => `  ${k.padEnd(11)} ${v}`)
  .join('\n')}\nexample: npm run demo -- fire gangnam`;

async function run(argv: string[]): Promise<number> {
  const [incident, siteId, target] = argv;
  if (!incident || !siteId || !isIncident(incident)) {
    console.error(USAGE);
    return 2;
  }
  const controlFile = join(REPO_ROOT, '.data', 'demo', 'control.json');
  if (!existsSync(controlFile)) {
    console.error('The demo is not running: start it with `npm start` first.');
    return 1;
  }
  const { url } = JSON.parse(readFileSync(controlFile, 'utf8')) as { url: string };
  const path = [incident, siteId, target].filter(Boolean).map((p) => encodeURIComponent(p!)).join('/');
  try {
    const res = await fetch(`${url}/${path}`, { method: 'POST' });
    const text = await res.text();
    (res.ok ? console.log : console.error)(text);
    return res.ok ? 0 : 1;
  } catch {
    console.error('The demo is not answering; is `npm start` still running?');
    return 1;
  }
}

process.exitCode = await run(process.argv.slice(2));
