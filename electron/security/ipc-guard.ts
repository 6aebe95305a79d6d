// The Electron IPC entry point as a plain function (tested without Electron): a call is answered
// only when it comes from our own page's frame, the handler name is a string, and the payload
// (unknown) then passes the contract's schema inside backend.invoke. Always a Result, never a throw.

import type { Result } from '../../shared/api';
import { fail } from '../../shared/api';

export interface IpcSender {
  /** URL of the frame that sent the message (undefined when it is gone). */
  frameUrl: string | undefined;
  /** True when the message came from the app window's webContents. */
  fromAppWindow: boolean;
}

export function createIpcInvokeHandler(
  invoke: (name: string, payload: unknown) => Promise<Result<unknown>>,
  isAppUrl: (url: string) => boolean,
): (sender: IpcSender, name: unknown, payload: unknown) => Promise<Result<unknown>> {
  return async (sender, name, payload) => {
    if (!sender.fromAppWindow || sender.frameUrl === undefined || !isAppUrl(sender.frameUrl)) return fail('FORBIDDEN', 'IPC from an unexpected frame');
    if (typeof name !== 'string') return fail('BAD_REQUEST', 'handler name must be a string');
    return invoke(name, payload);
  };
}
