/** How long the edge remembers a message it published, to recognise it when the broker echoes it. */
const REMEMBER_MS = 60_000;
const MAX_REMEMBERED = 50_000;

/**
 * Tells the edge's own edge-only publishes from forged ones on an external broker, which delivers
 * them to the edge's subscription too. Threat: a device or LAN client with broker credentials that
 * the broker's ACL wrongly allows to publish door commands or access answers: the edge cannot stop
 * the delivery, but it sees it and raises an alarm at once.
 */
export class ForgeryWatch {
  /** topic + payload → until when the echo is expected; insertion order is expiry order */
  private readonly sent = new Map<string, number>();

  private static key(topic: string, payload: string | Buffer): string {
    return `${topic}\u0000${payload.toString()}`;
  }

  /** The edge is about to publish this. */
  remember(topic: string, payload: string, now = Date.now()): void {
    const key = ForgeryWatch.key(topic, payload);
    this.sent.delete(key);
    this.sent.set(key, now + REMEMBER_MS);
    for (const [k, until] of this.sent) {
      if (until > now && this.sent.size <= MAX_REMEMBERED) break;
      this.sent.delete(k);
    }
  }

  /** A message arrived on an edge-only topic: true when the edge did not send it (recently). */
  isForged(topic: string, payload: Buffer, now = Date.now()): boolean {
    return (this.sent.get(ForgeryWatch.key(topic, payload)) ?? 0) <= now;
  }
}
