// The catalog's locations (shared/detect/catalog.ts, the one source of truth) as key patterns
// relative to the root of the hive file that holds them: machine "software/..." keys live in
// SOFTWARE (and again under its WOW6432Node), "system/currentcontrolset/..." in SYSTEM under the
// control set Select\Current names, user keys in NTUSER.DAT / DEFAULT, "software/classes/..." of a
// user in UsrClass.dat. Nothing here lists a key of its own: a location added to the catalog is
// read from hives without an edit here. Left out: patterns that fan out over every COM class
// (CLSID\*\InprocServer32), which would turn a hive's thousands of classes into "entries" the
// catalog itself caps at low as context.

import { AUTOSTART_LOCATIONS, type AutostartLocation } from '../detect/catalog';
import type { HiveKind } from './hive-kind';

export interface HiveLocation {
  location: AutostartLocation;
  /** '/'-separated, lower-case, relative to the hive's root; '*' one segment, '**' one or more. */
  pattern: string;
  /** Under SOFTWARE\WOW6432Node (32-bit view). */
  wow64: boolean;
}

const FANS_OUT_OVER_ALL_CLASSES = /(^|\/)clsid\/\*\//;

function forKind(kind: HiveKind): HiveLocation[] {
  const out: HiveLocation[] = [];
  for (const location of AUTOSTART_LOCATIONS) {
    const user = location.scope !== 'machine';
    const machine = location.scope !== 'user';
    for (const key of location.keys) {
      if (FANS_OUT_OVER_ALL_CLASSES.test(key)) continue;
      const add = (pattern: string, wow64 = false) => out.push({ location, pattern, wow64 });
      if (kind === 'SOFTWARE' && machine && key.startsWith('software/')) {
        const rest = key.slice('software/'.length);
        add(rest);
        if (!rest.startsWith('classes/')) add('wow6432node/' + rest, true);
        else add('classes/wow6432node/' + rest.slice('classes/'.length), true);
      } else if (kind === 'SYSTEM' && machine && key.startsWith('system/currentcontrolset/')) {
        // the control set is put in by the reader (Select\Current)
        add('<controlset>/' + key.slice('system/currentcontrolset/'.length));
      } else if ((kind === 'NTUSER' || kind === 'DEFAULT') && user && key.startsWith('software/')) {
        add(key);
      } else if (kind === 'USRCLASS' && user && key.startsWith('software/classes/')) {
        add(key.slice('software/classes/'.length));
      }
    }
  }
  return out;
}

const CACHE = new Map<HiveKind, readonly HiveLocation[]>();

/** The catalog's locations a hive of this kind holds, with their hive-relative key patterns. */
export function hiveLocations(kind: HiveKind): readonly HiveLocation[] {
  let l = CACHE.get(kind);
  if (!l) CACHE.set(kind, (l = Object.freeze(forKind(kind))));
  return l;
}
