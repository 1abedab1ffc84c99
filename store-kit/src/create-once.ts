import { randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Creates `file` with `content` (mode 0600) unless it exists, and returns what the file holds.
 * The content is written whole to a file of this process's own, then linked into place: a crash
 * never leaves half a file, and of processes starting together on one directory (instances
 * sharing a data directory) exactly one creates it while the others read the winner's.
 */
export function createFileOnce(file: string, content: string): string {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  writeFileSync(tmp, content, { mode: 0o600 });
  try {
    linkSync(tmp, file);
    return content;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    return readFileSync(file, 'utf8');
  } finally {
    unlinkSync(tmp);
  }
}
