import type { Socket } from 'node:net';

/**
 * Largest MQTT packet a client may send to the embedded broker. Well above the largest payload the
 * edge accepts (MAX_MQTT_PAYLOAD_BYTES), so a merely oversized payload is still read, counted and
 * answered; anything bigger is cut off before it is buffered.
 */
export const MAX_FRAME_BYTES = 256 * 1024;

/**
 * Follows the MQTT fixed headers in a client's byte stream and reports the first packet whose
 * declared length exceeds the limit (or whose length field is malformed).
 */
export class FrameSizeGuard {
  private skip = 0;
  private header: number[] = [];

  constructor(private readonly maxBytes: number) {}

  /** Returns the declared size of an oversized packet, or undefined while every packet fits. */
  feed(chunk: Buffer): number | undefined {
    let i = 0;
    while (i < chunk.length) {
      if (this.skip > 0) {
        const take = Math.min(this.skip, chunk.length - i);
        this.skip -= take;
        i += take;
        continue;
      }
      const byte = chunk[i++]!;
      this.header.push(byte);
      if (this.header.length === 1 || byte & 0x80) {
        if (this.header.length > 5) return Number.POSITIVE_INFINITY;
        continue;
      }
      const length = this.header.slice(1).reduce((sum, b, k) => sum + (b & 0x7f) * 128 ** k, 0);
      this.header = [];
      if (length > this.maxBytes) return length;
      this.skip = length;
    }
    return undefined;
  }
}

/**
 * Threat: a LAN client declaring a 256 MB packet and streaming it, which the MQTT parser would
 * buffer whole (several at once exhaust the gateway's memory). Call after the broker took the
 * socket: the broker reads in paused mode, so this listener sees each chunk as the broker reads it.
 */
export function guardFrames(socket: Socket, maxBytes: number, onOversize: (declaredBytes: number) => void): void {
  const guard = new FrameSizeGuard(maxBytes);
  socket.on('data', (chunk: Buffer) => {
    const size = guard.feed(chunk);
    if (size === undefined) return;
    onOversize(size);
    socket.destroy();
  });
}
