import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { CloudApi } from './cloud-api';
import { onboardSite, STEPS } from './onboard';
import { readSitePlan } from './site-plan';

const USAGE = `usage: npm run onboard -- --cloud URL --from site.json [--site ID] --email ADMIN [--operator-email OPERATOR]
                      [--token-out FILE] [--wait-sec 300] [--resume]
  passwords: CR_PASSWORD (the admin), CR_OPERATOR_PASSWORD (the HQ operator or site manager)
  prints the go-live checklist; exit 0 when every item is green, 1 when one is not, 2 on bad input`;

async function run(argv: string[]): Promise<number> {
  let flags;
  try {
    flags = parseArgs({
      args: argv,
      options: {
        cloud: { type: 'string' },
        from: { type: 'string' },
        site: { type: 'string' },
        email: { type: 'string' },
        'operator-email': { type: 'string' },
        'token-out': { type: 'string' },
        'wait-sec': { type: 'string' },
        resume: { type: 'boolean' },
        help: { type: 'boolean' },
      },
      strict: true,
    }).values;
  } catch (err) {
    console.error(`${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  if (flags.help) return console.log(USAGE), 0;
  const waitSec = Number(flags['wait-sec'] ?? '300');
  if (!flags.cloud || !flags.from || !flags.email || !Number.isInteger(waitSec) || waitSec < 1) {
    console.error(USAGE);
    return 2;
  }
  const password = process.env.CR_PASSWORD;
  if (!password) return console.error('CR_PASSWORD is not set (the admin password)'), 2;
  let plan;
  try {
    plan = readSitePlan(flags.from);
  } catch (err) {
    return console.error((err as Error).message), 2;
  }
  if (flags.site && flags.site !== plan.id) return console.error(`--site ${flags.site} does not match the plan's id ${plan.id}`), 2;
  const cloud = flags.cloud.replace(/\/+$/, '');
  try {
    const admin = await CloudApi.login(cloud, flags.email, password);
    const operatorEmail = flags['operator-email'];
    const operator = operatorEmail ? await CloudApi.login(cloud, operatorEmail, process.env.CR_OPERATOR_PASSWORD ?? '') : undefined;
    const tokenOut = flags['token-out'];
    const list = await onboardSite({
      plan,
      admin,
      operator,
      waitMs: waitSec * 1000,
      resume: flags.resume,
      onEdgeToken: (token) => (tokenOut ? writeFileSync(tokenOut, `${token}\n`, { mode: 0o600 }) : console.log(`  edge token: ${token}`)),
      say: (line) => console.log(line),
    });
    console.log(`\ngo-live checklist for ${plan.id}:`);
    for (const line of list.summary(STEPS.length)) console.log(line);
    console.log(list.green ? `site ${plan.id} live: ${(list.elapsedMs / 1000).toFixed(1)} s from "create site" to live` : `site ${plan.id} is not live yet`);
    return list.green ? 0 : 1;
  } catch (err) {
    console.error((err as Error).message);
    return 1;
  }
}

process.exitCode = await run(process.argv.slice(2));
