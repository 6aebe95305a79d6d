// Picks the client: the Electron preload's bridge when the page runs in the app window, else the
// browser host's HTTP client. The renderer never imports electron/ or Node: both speak the
// RunkeyClient interface of shared/api.ts.

import type { RunkeyClient } from '../../shared/api';
import { HttpClient } from './http-client';

/** The global the preload exposes (contextBridge.exposeInMainWorld). */
export const PRELOAD_GLOBAL = 'runkey';

function isClient(v: unknown): v is RunkeyClient {
  if (typeof v !== 'object' || v === null) return false;
  const c = v as Partial<Record<keyof RunkeyClient, unknown>>;
  return typeof c.invoke === 'function' && typeof c.on === 'function' && typeof c.openFiles === 'function';
}

export function createClient(win: Window): RunkeyClient {
  const bridged: unknown = (win as unknown as Record<string, unknown>)[PRELOAD_GLOBAL];
  if (isClient(bridged)) return bridged;
  return HttpClient.fromLocation(win.location);
}
