import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { loadOrCreateKeyFile } from './sealed-box';

const run = promisify(execFile);
const sealedBox = fileURLToPath(new URL('./sealed-box.ts', import.meta.url));
let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('a key file created once', () => {
  it('is the same key for eight processes that start together on one directory, and leaves no temporary file', async () => {
    dir = mkdtempSync(join(tmpdir(), 'key-once-'));
    const file = join(dir, 'master-key.secret');
    const src = `import(${JSON.stringify(sealedBox)}).then((m) => process.stdout.write(m.loadOrCreateKeyFile(${JSON.stringify(file)}).toString('hex')))`;
    const outs = await Promise.all(
      Array.from({ length: 8 }, () => run(process.execPath, ['--import', 'tsx', '-e', src]).then((r) => r.stdout)),
    );
    expect(new Set(outs).size).toBe(1);
    expect(outs[0]).toBe(loadOrCreateKeyFile(file).toString('hex'));
    expect(readdirSync(dir)).toEqual(['master-key.secret']);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8')).not.toBe('');
  }, 30_000);
});
