// The preload of the app window (sandboxed, context-isolated): exposes the RunkeyClient of
// shared/api.ts as `window.runkey` over two IPC channels and nothing else. It holds no logic: it
// forwards invoke calls (validated again by the main process), relays pushed events, and turns
// dropped / chosen File objects into paths with webUtils.getPathForFile (the only thing the
// renderer cannot do itself). Bundled to CommonJS by `npm run build` (sandboxed preloads are CJS).

import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';
import type { BackendEvents, CaseSnapshot, EventName, FileLike, HandlerName, RequestOf, Responses, Result, RunkeyClient } from '../shared/api';
import { IPC_EVENT, IPC_INVOKE, fail } from '../shared/api';

type Listener = (payload: unknown) => void;
const listeners = new Map<string, Set<Listener>>();

ipcRenderer.on(IPC_EVENT, (_e: IpcRendererEvent, name: unknown, payload: unknown) => {
  if (typeof name !== 'string') return;
  for (const cb of listeners.get(name) ?? []) cb(payload);
});

function invoke<K extends HandlerName>(name: K, req: RequestOf<K>): Promise<Result<Responses[K]>> {
  return ipcRenderer.invoke(IPC_INVOKE, name, req) as Promise<Result<Responses[K]>>;
}

const client = {
  host: 'electron',
  invoke,
  on<E extends EventName>(event: E, cb: (payload: BackendEvents[E]) => void): () => void {
    let set = listeners.get(event);
    if (!set) listeners.set(event, (set = new Set()));
    const l = cb as Listener;
    set.add(l);
    return () => {
      set.delete(l);
    };
  },
  async openFiles(files: readonly FileLike[] | ArrayLike<FileLike>): Promise<Result<CaseSnapshot>> {
    const paths: string[] = [];
    for (const f of Array.from(files)) {
      // FileLike is the structural view of a DOM File; in the window every entry is a real File
      const p = webUtils.getPathForFile(f as unknown as File);
      if (p) paths.push(p);
    }
    if (paths.length === 0) return fail('BAD_REQUEST', 'the dropped items have no file paths');
    return invoke('case.openPaths', { paths });
  },
} satisfies RunkeyClient;

contextBridge.exposeInMainWorld('runkey', client);
