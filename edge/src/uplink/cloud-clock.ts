import type { RemoteCommand } from '@cr/shared';

/** Beyond this offset from the cloud the edge raises a `clock-skew` alert. */
export const CLOCK_SKEW_ALERT_MS = 30_000;
/** Readings kept; the one with the shortest round trip is the estimate. */
const WINDOW = 8;
/** A reading that took longer than this says too little about the offset to keep. */
const MAX_SAMPLE_RTT_MS = 30_000;

export interface ClockEstimate {
  /** cloud time − edge time */
  offsetMs: number;
  /** the true offset lies within ± this (half the reading's round trip) */
  uncertaintyMs: number;
}

/**
 * The edge's estimate of how far its clock is from the cloud's, from time readings the cloud sends
 * in `welcome` (answering hello) and `time` (answering each heartbeat): offset ≈ serverTime −
 * (sent + received) / 2, from the reading with the shortest round trip among the last few.
 */
export class CloudClock {
  private samples: Array<{ offsetMs: number; rttMs: number }> = [];
  private skewed: boolean | undefined;

  /** `onSkew(true|false, offset)` fires when the offset crosses CLOCK_SKEW_ALERT_MS either way. */
  constructor(private readonly onSkew: (skewed: boolean, offsetMs: number) => void) {}

  /** A reading of the cloud's clock that answers something the edge sent at `sentAt`. */
  sample(serverTime: number, sentAt: number, receivedAt: number): void {
    const rttMs = receivedAt - sentAt;
    if (rttMs < 0 || rttMs > MAX_SAMPLE_RTT_MS) return;
    this.samples.push({ offsetMs: serverTime - (sentAt + receivedAt) / 2, rttMs });
    if (this.samples.length > WINDOW) this.samples.shift();
    const offset = this.estimate!.offsetMs;
    const skewed = Math.abs(offset) > CLOCK_SKEW_ALERT_MS;
    if (skewed !== this.skewed) {
      this.skewed = skewed;
      this.onSkew(skewed, offset);
    }
  }

  get estimate(): ClockEstimate | undefined {
    let best: { offsetMs: number; rttMs: number } | undefined;
    for (const s of this.samples) if (!best || s.rttMs < best.rttMs) best = s;
    return best && { offsetMs: Math.round(best.offsetMs), uncertaintyMs: Math.ceil(best.rttMs / 2) };
  }

  /**
   * The command with its deadline in the edge's own clock, for the executor (which refuses
   * `expiresAt <= now` and hands `expiresAt` to the door): never later than `ttlMs` after it
   * arrived, and never later than the cloud's deadline read through the offset, taking the
   * offset's uncertainty against the command. Safety: a command held up in transit, or issued by
   * a cloud whose clock runs ahead, must not run after the moment the cloud calls it expired.
   */
  localCommand(cmd: RemoteCommand, receivedAt: number): RemoteCommand {
    const est = this.estimate;
    const byTtl = cmd.ttlMs !== undefined ? receivedAt + cmd.ttlMs : Number.POSITIVE_INFINITY;
    const byCloud = est ? cmd.expiresAt - est.offsetMs - est.uncertaintyMs : cmd.expiresAt;
    // No reading and no ttl: only the cloud's own deadline is known.
    const expiresAt = Math.max(0, Math.floor(Math.min(byTtl, byCloud)));
    return { ...cmd, expiresAt };
  }
}
