import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request',
  404: 'Not Found',
  408: 'Request Timeout',
  413: 'Content Too Large',
  431: 'Request Header Fields Too Large',
  500: 'Internal Server Error',
};

/**
 * Answers on a raw socket that never became (or stopped being) an HTTP exchange — a refused
 * WebSocket upgrade, a request Node's parser rejected — with a JSON error, then destroys it.
 */
export function refuseSocket(socket: Duplex, status: number, error: string): void {
  if (socket.destroyed) return;
  // Threat: a peer that never reads its answer keeping the socket (and its file descriptor) forever.
  const fuse = setTimeout(() => socket.destroy(), 2_000);
  fuse.unref();
  if (!socket.writable) return void socket.destroy();
  const body = JSON.stringify({ error });
  const head = [
    `HTTP/1.1 ${status} ${STATUS_TEXT[status] ?? 'Error'}`,
    'Connection: close',
    'Content-Type: application/json; charset=utf-8',
    `Content-Length: ${Buffer.byteLength(body)}`,
  ];
  socket.end(`${head.join('\r\n')}\r\n\r\n${body}`, () => socket.destroy());
}

/** Status for an error Node's HTTP parser raised before any route saw the request. */
function parserStatus(code: string | undefined): number {
  if (code === 'HPE_HEADER_OVERFLOW') return 431;
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT') return 408;
  if (code === 'HPE_CHUNK_EXTENSIONS_OVERFLOW') return 413;
  return 400;
}

/**
 * `clientError` of the HTTP server: a malformed request line, method, header or chunk. Threat: bytes
 * crafted to trip the parser; they cost their own socket only. Answered only when nothing was written
 * on the socket yet (a response may already be on its way otherwise).
 */
export function refuseMalformedRequest(err: Error & { code?: string }, socket: Duplex): void {
  const written = (socket as Socket).bytesWritten ?? 0;
  if (err.code === 'ECONNRESET' || written > 0) return void socket.destroy();
  refuseSocket(socket, parserStatus(err.code), `malformed request (${err.code ?? 'parse error'})`);
}
