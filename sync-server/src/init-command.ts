import { ConfigError, parseInitConfig } from './config';
import { ensureInstallationSecrets } from './domain/installation-secrets';
import { BootstrapRefused, bootstrapTenant, generatePassword, passwordProblem } from './domain/bootstrap';

/** Where `init` writes: stdout for the result, stderr for the one line saying why it refused. */
export interface InitOutput {
  out(line: string): void;
  err(line: string): void;
}

/** The environment variable `init` reads the first admin's password from (CONTRACT.md §5). */
export const ADMIN_PASSWORD_ENV = 'CR_ADMIN_PASSWORD';

/**
 * `npm run cloud -- init --data DIR --tenant ID --tenant-name NAME --admin EMAIL [--store sqlite]`.
 * Prints `tenant ID ready; admin EMAIL` (and, when the password was generated, one more line with
 * it) and resolves 0; on a bad flag, a short password, an existing tenant or e-mail, one line on
 * stderr and 2, with nothing changed.
 */
export async function runInit(
  argv: string[],
  env: NodeJS.ProcessEnv,
  io: InitOutput,
  cwd = process.cwd(),
): Promise<number> {
  let config;
  try {
    config = parseInitConfig(argv, cwd, env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    io.err(`cloud init: ${err.message}`);
    return 2;
  }
  const given = env[ADMIN_PASSWORD_ENV];
  if (given !== undefined) {
    const problem = passwordProblem(given);
    if (problem) {
      io.err(`cloud init: ${ADMIN_PASSWORD_ENV} ${problem}; nothing changed`);
      return 2;
    }
  }
  const password = given ?? generatePassword();
  try {
    await bootstrapTenant({ ...config, password });
  } catch (err) {
    if (!(err instanceof BootstrapRefused)) throw err;
    io.err(`cloud init: ${err.message}`);
    return 2;
  }
  // The same secrets on every instance: created here, copied with the data directory.
  await ensureInstallationSecrets(config.dataDir);
  io.out(`tenant ${config.tenantId} ready; admin ${config.adminEmail}`);
  // Shown this once and stored only as a scrypt hash; the admin changes it after signing in.
  if (given === undefined) io.out(`admin password (shown once): ${password}`);
  return 0;
}
