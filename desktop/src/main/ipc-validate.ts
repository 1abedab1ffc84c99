import type { z } from 'zod';
import { isTrustedAppUrl } from './url-guards';

/** What the IPC wrapper knows about the frame a message came from. */
export interface IpcSender {
  /** URL of the sending frame, empty when the frame is gone */
  url: string;
  /** true when the frame is the window's top frame (not an iframe) */
  isMainFrame: boolean;
  /** true when the web contents belongs to a console window main created */
  isConsoleWindow: boolean;
}

export type IpcCheck<T> = { ok: true; value: T } | { ok: false; error: string };

/**
 * The one check every IPC request passes before a handler runs.
 * Threats: a foreign page or iframe that somehow reached a preload calling privileged channels,
 * and a compromised renderer sending malformed arguments to crash or confuse main.
 */
export function checkIpcRequest<S extends z.ZodType>(sender: IpcSender, schema: S, arg: unknown): IpcCheck<z.infer<S>> {
  if (!sender.isConsoleWindow) return { ok: false, error: 'sender is not a console window' };
  if (!sender.isMainFrame) return { ok: false, error: 'sender is a sub-frame' };
  if (!isTrustedAppUrl(sender.url)) return { ok: false, error: 'sender URL is not the console' };
  const parsed = schema.safeParse(arg);
  if (!parsed.success) return { ok: false, error: `invalid argument: ${parsed.error.issues[0]?.message ?? 'bad shape'}` };
  return { ok: true, value: parsed.data };
}
