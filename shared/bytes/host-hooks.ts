// The one place a host installs its faster versions of byte-layer functions. shared/ stays free of
// host imports: the host (electron/io/native-hooks.ts for Node and Electron) passes its functions
// in once at start, and everything in shared/ keeps working, with the pure versions, where none
// were installed (a browser, an older Node, a test that did not install them).

import { crc32Implementation, installCrc32, type Crc32Fn } from './crc32';

export interface HostHooks {
  /** CRC-32 of all of data continuing from crc (Node: zlib.crc32). */
  crc32?: Crc32Fn;
}

export interface HostHooksInstalled {
  crc32: 'native' | 'pure';
}

/** Installs what the host offers; a hook it does not offer, or one refused as wrong, stays pure. */
export function installHostHooks(hooks: HostHooks): HostHooksInstalled {
  if (hooks.crc32 !== undefined) installCrc32(hooks.crc32);
  return hostHooksInstalled();
}

/** Which implementation each hook runs now. */
export function hostHooksInstalled(): HostHooksInstalled {
  return { crc32: crc32Implementation() };
}
