import type { CommandStatus, DoorReport } from '@cr/shared';
import { ApiError } from '../../data/api-error';
import { accepted, isTracking, pollFailed, polled, POLL_INTERVAL_MS, sendFailed, sending, type CommandView } from './command-flow';

export interface CommandPort {
  send(): Promise<{ id: string; status: CommandStatus }>;
  poll(id: string): Promise<{ status: CommandStatus; error?: string | null; doors?: DoorReport[] | null }>;
}

export interface TrackOptions {
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** stops polling when the dialog closes */
  signal?: AbortSignal;
}

const defaultSleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Sends a command and polls its status until final (or unconfirmed), reporting every change. */
export async function trackCommand(port: CommandPort, onView: (v: CommandView) => void, opts: TrackOptions = {}): Promise<CommandView> {
  const now = opts.now ?? Date.now;
  const sleep = opts.sleep ?? defaultSleep;
  let view = sending(now());
  onView(view);
  try {
    const r = await port.send();
    view = accepted(view, r.id, r.status, now());
  } catch (err) {
    view = sendFailed(err instanceof ApiError ? (err.unreachable ? 'unreachable' : err.message) : String(err));
  }
  onView(view);
  while (isTracking(view) && view.phase === 'tracking' && !opts.signal?.aborted) {
    await sleep(POLL_INTERVAL_MS);
    const id: string = view.id;
    try {
      const r = await port.poll(id);
      view = polled(view, r.status, r.error ?? undefined, now(), r.doors ?? undefined);
    } catch {
      view = pollFailed(view, now());
    }
    onView(view);
  }
  return view;
}
