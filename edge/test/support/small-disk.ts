import { execFileSync } from 'node:child_process';
import { mkdtempSync, openSync, writeSync, closeSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface SmallDisk {
  dir: string;
  /** fills every free byte with a ballast file */
  fill(): void;
  /** removes the ballast */
  free(): void;
  unmount(): void;
}

/**
 * A real, small filesystem (tmpfs of `megabytes`) so that a full disk is the kernel's ENOSPC, not a
 * mock. Needs the right to mount (root, as on the CI machine); fails loudly otherwise.
 */
export function mountSmallDisk(megabytes: number): SmallDisk {
  const dir = mkdtempSync(join(tmpdir(), 'small-disk-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${megabytes}m`, 'tmpfs', dir], { stdio: 'pipe' });
  } catch (err) {
    throw new Error(`cannot mount a ${megabytes} MB tmpfs for the disk-full test (needs root): ${(err as Error).message}`, { cause: err });
  }
  const ballast = join(dir, 'ballast');
  return {
    dir,
    fill() {
      const fd = openSync(ballast, 'a');
      const chunk = Buffer.alloc(64 * 1024, 1);
      try {
        for (let size = chunk.length; size >= 512; ) {
          try {
            writeSync(fd, chunk, 0, size);
          } catch {
            size = size / 2;
          }
        }
      } finally {
        closeSync(fd);
      }
    },
    free() {
      rmSync(ballast, { force: true });
    },
    unmount() {
      execFileSync('umount', ['-l', dir], { stdio: 'pipe' });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
