import { ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron';
import type { z } from 'zod';
import { IPC_REQUESTS, type IpcRequestChannel } from '../common/ipc-contract';
import { checkIpcRequest } from './ipc-validate';

type Handler<C extends IpcRequestChannel> = (arg: z.infer<(typeof IPC_REQUESTS)[C]>, sender: WebContents) => unknown;

/**
 * The one way main answers the renderer: checks the sender frame, parses the argument with the
 * channel's schema and only then runs the handler. Rejections carry a short message, never a stack.
 */
export function handleIpc<C extends IpcRequestChannel>(
  channel: C,
  isConsoleWindow: (contents: WebContents) => boolean,
  handler: Handler<C>,
): void {
  ipcMain.handle(channel, async (event: IpcMainInvokeEvent, arg: unknown) => {
    const frame = event.senderFrame;
    const check = checkIpcRequest(
      { url: frame?.url ?? '', isMainFrame: frame != null && frame === event.sender.mainFrame, isConsoleWindow: isConsoleWindow(event.sender) },
      IPC_REQUESTS[channel],
      arg,
    );
    if (!check.ok) {
      console.warn(`ipc ${channel} refused: ${check.error}`);
      throw new Error(check.error);
    }
    return handler(check.value as z.infer<(typeof IPC_REQUESTS)[C]>, event.sender);
  });
}
