import { COMMAND_TTL_MS, isFinalCommandStatus, type CommandStatus, type DoorReport } from '@cr/shared';

/**
 * The life of one door or site-mode command as the operator sees it. Only the server's answer
 * moves it to a final status; the console never assumes success. If the server stays silent past
 * the command's expiry plus a margin, the result is "unconfirmed", not "executed".
 */
export type CommandView =
  | { phase: 'sending'; startedAt: number }
  | { phase: 'send-failed'; error: string }
  | { phase: 'tracking'; id: string; status: CommandStatus; startedAt: number; error?: string; pollFailures: number }
  | { phase: 'final'; id: string; status: CommandStatus; error?: string; doors?: DoorReport[] }
  | { phase: 'unconfirmed'; id: string; status: CommandStatus };

/** How long the console keeps asking after sending: the command's TTL plus delivery margin. */
export const CLIENT_DEADLINE_MS = COMMAND_TTL_MS + 5_000;
export const POLL_INTERVAL_MS = 500;

export const sending = (now: number): CommandView => ({ phase: 'sending', startedAt: now });

export function accepted(view: CommandView, id: string, status: CommandStatus, now: number): CommandView {
  const startedAt = view.phase === 'sending' ? view.startedAt : now;
  if (isFinalCommandStatus(status)) return { phase: 'final', id, status };
  return { phase: 'tracking', id, status, startedAt, pollFailures: 0 };
}

export function sendFailed(error: string): CommandView {
  return { phase: 'send-failed', error };
}

export function polled(view: CommandView, status: CommandStatus, error: string | undefined, now: number, doors?: DoorReport[]): CommandView {
  if (view.phase !== 'tracking') return view;
  if (isFinalCommandStatus(status)) return { phase: 'final', id: view.id, status, ...(error ? { error } : {}), ...(doors?.length ? { doors } : {}) };
  const next = { ...view, status, pollFailures: 0 };
  return now - view.startedAt > CLIENT_DEADLINE_MS ? { phase: 'unconfirmed', id: view.id, status } : next;
}

export function pollFailed(view: CommandView, now: number): CommandView {
  if (view.phase !== 'tracking') return view;
  if (now - view.startedAt > CLIENT_DEADLINE_MS) return { phase: 'unconfirmed', id: view.id, status: view.status };
  return { ...view, pollFailures: view.pollFailures + 1 };
}

export const isTracking = (view: CommandView): boolean => view.phase === 'sending' || view.phase === 'tracking';

/** The status shown on screen (and in `data-status` for tests). */
export function displayStatus(view: CommandView): CommandStatus | 'sending' | 'send-failed' | 'unconfirmed' {
  switch (view.phase) {
    case 'sending':
      return 'sending';
    case 'send-failed':
      return 'send-failed';
    case 'unconfirmed':
      return 'unconfirmed';
    default:
      return view.status;
  }
}

export function isSuccess(view: CommandView): boolean {
  return view.phase === 'final' && view.status === 'executed';
}
