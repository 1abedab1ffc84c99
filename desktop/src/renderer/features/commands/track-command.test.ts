import { describe, expect, it } from 'vitest';
import type { CommandStatus } from '@cr/shared';
import { ApiError } from '../../data/api-error';
import { CLIENT_DEADLINE_MS, displayStatus, isSuccess, type CommandView } from './command-flow';
import { trackCommand, type CommandPort } from './track-command';

/** A fake clock that advances when the tracker sleeps, so tests run instantly and deterministically. */
function clock() {
  let t = 1_000_000;
  return { now: () => t, sleep: async (ms: number) => void (t += ms) };
}

function port(statuses: Array<CommandStatus | Error>, sent: CommandStatus | Error = 'pending'): CommandPort & { polls: number } {
  const p = {
    polls: 0,
    send: async () => {
      if (sent instanceof Error) throw sent;
      return { id: 'cmd-1', status: sent };
    },
    poll: async () => {
      const s = statuses[Math.min(p.polls++, statuses.length - 1)]!;
      if (s instanceof Error) throw s;
      return { status: s, error: s === 'failed' ? 'door did not answer' : undefined };
    },
  };
  return p;
}

describe('trackCommand', () => {
  it('follows pending → sent → executed and reports every step', async () => {
    const c = clock();
    const seen: string[] = [];
    const final = await trackCommand(port(['pending', 'sent', 'executed']), (v) => seen.push(displayStatus(v)), c);
    expect(seen).toEqual(['sending', 'pending', 'pending', 'sent', 'executed']);
    expect(isSuccess(final)).toBe(true);
  });

  it('shows failure with the reason the server gave', async () => {
    const final = await trackCommand(port(['sent', 'failed']), () => undefined, clock());
    expect(final).toMatchObject({ phase: 'final', status: 'failed', error: 'door did not answer' });
    expect(isSuccess(final)).toBe(false);
  });

  it('keeps the per-door results of a mode change that some doors did not confirm', async () => {
    const doors = [
      { doorId: 'door-1', result: 'confirmed' as const },
      { doorId: 'door-2', result: 'no-answer' as const },
    ];
    const p: CommandPort = {
      send: async () => ({ id: 'cmd-1', status: 'sent' }),
      poll: async () => ({ status: 'failed', error: 'mode lockdown is in force, but 1 of 2 doors did not confirm: door-2 (no-answer)', doors }),
    };
    const final = await trackCommand(p, () => undefined, clock());
    expect(final).toMatchObject({ phase: 'final', status: 'failed', doors });
  });

  it.each<CommandStatus>(['expired', 'rejected'])('ends on %s without claiming success', async (status) => {
    const final = await trackCommand(port([status]), () => undefined, clock());
    expect(displayStatus(final)).toBe(status);
    expect(isSuccess(final)).toBe(false);
  });

  it('a command refused at once (rejected on accept) never polls', async () => {
    const p = port([], 'rejected');
    const final = await trackCommand(p, () => undefined, clock());
    expect(displayStatus(final)).toBe('rejected');
    expect(p.polls).toBe(0);
  });

  it('an unreachable server is "not sent", never pending forever', async () => {
    const final = await trackCommand(port([], new ApiError(0, 'unreachable')), () => undefined, clock());
    expect(final).toEqual({ phase: 'send-failed', error: 'unreachable' });
  });

  it('a server that stays silent past the deadline gives "unconfirmed", not executed', async () => {
    const c = clock();
    const p = port(['sent']);
    const final = await trackCommand(p, () => undefined, c);
    expect(displayStatus(final)).toBe('unconfirmed');
    expect(p.polls).toBeGreaterThanOrEqual(CLIENT_DEADLINE_MS / 500);
  });

  it('keeps polling through transient poll failures until an answer arrives', async () => {
    const final = await trackCommand(port([new Error('blip'), new Error('blip'), 'executed']), () => undefined, clock());
    expect(displayStatus(final)).toBe('executed');
  });

  it('stops polling when the dialog closes', async () => {
    const ctrl = new AbortController();
    const p = port(['pending']);
    const views: CommandView[] = [];
    const c = clock();
    await trackCommand(p, (v) => (views.push(v), p.polls >= 2 && ctrl.abort()), { ...c, signal: ctrl.signal });
    expect(p.polls).toBe(2);
  });
});
