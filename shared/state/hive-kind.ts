// Which hive a file is, told by its content, never by its name (collections rename, KAPE keeps
// names, a copy may be "ntuser (2).dat"): first the base block's file-name field (the last 31
// characters of the path Windows loaded it from, e.g. "emRoot\System32\Config\SOFTWARE" or
// "\??\C:\Users\bob\ntuser.dat"), then the root key's subkeys. A hive that fits none is 'other'
// and is read for no location.

import type { Hive } from '../regf/hive';

export type HiveKind = 'SOFTWARE' | 'SYSTEM' | 'NTUSER' | 'USRCLASS' | 'DEFAULT' | 'other';

function byFileName(fileName: string): HiveKind | undefined {
  const last = fileName.replace(/\0.*$/, '').split('\\').pop()?.toLowerCase() ?? '';
  if (last === 'software') return 'SOFTWARE';
  if (last === 'system') return 'SYSTEM';
  if (last === 'ntuser.dat') return 'NTUSER';
  if (last === 'usrclass.dat') return 'USRCLASS';
  if (last === 'default') return 'DEFAULT';
  return undefined;
}

/** The hive's kind, and whether its user-side paths lack the "Software\" prefix (a partial export rooted at Software). */
export function hiveKind(hive: Hive): HiveKind {
  const named = byFileName(hive.baseBlock.fileName);
  if (named) return named;
  const root = hive.root();
  if (!root) return 'other';
  const names = new Set(hive.subkeys(root).map((k) => k.name.toLowerCase()));
  // a user hive exported from its Software key down: the root itself is "Software"; AppDataLow is per-user only
  if (root.name.toLowerCase() === 'software' || names.has('appdatalow')) return 'NTUSER';
  if (names.has('select') && [...names].some((n) => /^controlset\d{3}$/.test(n))) return 'SYSTEM';
  if (names.has('software') && (names.has('control panel') || names.has('environment') || names.has('console'))) return 'NTUSER';
  if (names.has('software')) return 'NTUSER';
  if (names.has('microsoft') && (names.has('classes') || names.has('clients') || names.has('policies'))) return 'SOFTWARE';
  if (names.has('local settings') || /_classes$/i.test(root.name)) return 'USRCLASS';
  // a user hive exported from its Software key down (root "Software" or a Microsoft child)
  if (names.has('microsoft')) return 'NTUSER';
  return 'other';
}
