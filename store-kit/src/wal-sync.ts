import { closeSync, fdatasync, fstatSync, openSync, statSync } from 'node:fs';

/**
 * Makes a SQLite database's write-ahead log durable from a libuv worker thread: an fdatasync of
 * the `-wal` file flushes every frame written to it so far (by any descriptor of the file), which
 * is exactly what synchronous=FULL does inside COMMIT, but without blocking the event loop.
 */
export class WalSync {
  private fd: number | undefined;
  private ino: number | undefined;
  /** size of the log file when the last flush started */
  size = 0;

  constructor(private readonly walPath: string) {}

  /** Flushes the log as written so far; `done` gets an error if that could not be made durable. */
  sync(done: (err: Error | null) => void): void {
    let fd: number;
    try {
      fd = this.descriptor();
    } catch (err) {
      return done(err as Error);
    }
    fdatasync(fd, (err) => done(err));
  }

  /** The open log file, reopened if SQLite replaced it (a descriptor of a deleted file syncs nothing useful). */
  private descriptor(): number {
    const stat = statSync(this.walPath);
    this.size = stat.size;
    if (this.fd !== undefined && this.ino === stat.ino) return this.fd;
    this.close();
    this.fd = openSync(this.walPath, 'r');
    this.ino = fstatSync(this.fd).ino;
    return this.fd;
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
    this.ino = undefined;
  }
}
