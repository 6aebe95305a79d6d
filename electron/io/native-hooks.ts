// Installs Node's native byte functions into shared/bytes once per process or worker thread: every
// Node entry (CLI, ingest worker, browser host, Electron main) calls installNativeHooks() at start.
// zlib.crc32 exists from Node 20.15 / 22.2 (and in the Electron builds on those); where it is
// missing, the engine keeps its pure TypeScript CRC-32 and works the same, only slower.

import * as zlib from 'node:zlib';
import { installHostHooks, type HostHooksInstalled } from '../../shared/bytes/host-hooks';
import type { Crc32Fn } from '../../shared/bytes/crc32';

/** zlib.crc32 where this Node has it: the typings declare it, older runtimes lack it. */
function nodeCrc32(): Crc32Fn | undefined {
  // passed as is (no wrapper): it is called once per checked range on the hot path
  return typeof zlib.crc32 === 'function' ? zlib.crc32 : undefined;
}

export function installNativeHooks(): HostHooksInstalled {
  return installHostHooks({ crc32: nodeCrc32() });
}
