import { connect } from 'node:net';

export interface Exchange {
  /** first bytes the server answered with (latin1), '' if none */
  reply: string;
  /** the server closed or reset the connection before we gave up */
  closedByServer: boolean;
  /** could not connect at all */
  refused: boolean;
}

export interface ExchangeOptions {
  /** half-close after writing (the server sees EOF) */
  end?: boolean;
  /** give up (and destroy the socket) this long after the last write */
  waitMs: number;
  /** stop waiting as soon as the reply so far satisfies this */
  until?: (reply: string) => boolean;
  /** destroy right after writing, without waiting for anything */
  abrupt?: boolean;
}

/** Writes raw bytes to a TCP port, in the given chunks, and collects what comes back. */
export function exchange(port: number, chunks: Buffer[], opts: ExchangeOptions): Promise<Exchange> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1', noDelay: true });
    let reply = '';
    let closedByServer = false;
    let refused = false;
    let settled = false;
    let timer: NodeJS.Timeout | undefined;
    // A server that stops reading would otherwise leave a large write pending for ever.
    const guard = setTimeout(() => finish(), opts.waitMs + 5_000);
    const finish = (): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      clearTimeout(guard);
      socket.destroy();
      resolve({ reply: reply.slice(0, 512), closedByServer, refused });
    };
    socket.on('data', (d: Buffer) => {
      if (reply.length < 4096) reply += d.toString('latin1');
      if (opts.until?.(reply)) finish();
    });
    socket.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'ECONNREFUSED') refused = true;
      else closedByServer = true;
      finish();
    });
    socket.on('end', () => {
      closedByServer = true;
      finish();
    });
    socket.on('close', () => {
      if (!settled) closedByServer = true;
      finish();
    });
    socket.once('connect', () => {
      const writeNext = (i: number): void => {
        if (settled) return;
        if (i >= chunks.length) {
          if (opts.abrupt) return finish();
          if (opts.end) socket.end();
          timer = setTimeout(finish, opts.waitMs);
          return;
        }
        socket.write(chunks[i]!, () => writeNext(i + 1));
      };
      writeNext(0);
    });
  });
}
