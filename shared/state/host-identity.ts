// Who a hive belongs to: the machine's name from SYSTEM (Select\Current → ControlSetNNN\Control\
// ComputerName\ComputerName, value ComputerName) and the profiles from SOFTWARE's ProfileList
// (SID → ProfileImagePath), so a user hive found at <collection>\C\Users\bob\NTUSER.DAT becomes
// HKU\<bob's SID>. Matching a hive to a profile compares the last two folders of the hive's path
// with those of ProfileImagePath, case-insensitively, with / and \ alike: collections keep the
// profile folder names (KAPE, Velociraptor's C%3A/Users/bob) though not the drive's spelling.
// Missing or damaged keys give undefined, never a throw.

import type { Hive } from '../regf/hive';

export interface Profile {
  sid: string;
  /** As stored, e.g. C:\Users\bob or %SystemDrive%\Users\bob. */
  path: string;
}

function stringValue(hive: Hive, keyPath: string, name: string): string | undefined {
  const k = hive.key(keyPath);
  const v = k && hive.value(k, name);
  if (!v) return undefined;
  const d = hive.valueData(v);
  return d.kind === 'string' ? d.text.replace(/\0+$/, '') : undefined;
}

/** ComputerName of a SYSTEM hive, under the control set Select\Current names. */
export function computerName(system: Hive): string | undefined {
  const sel = system.key('Select');
  const cur = sel && system.value(sel, 'Current');
  const d = cur && system.valueData(cur);
  const n = d && d.kind === 'number' ? d.value : 1;
  const cs = 'ControlSet' + String(n).padStart(3, '0');
  return stringValue(system, `${cs}\\Control\\ComputerName\\ComputerName`, 'ComputerName')
    ?? stringValue(system, `${cs}\\Control\\ComputerName\\ActiveComputerName`, 'ComputerName');
}

/** ProfileList of a SOFTWARE hive. */
export function profileList(software: Hive): Profile[] {
  const list = software.key('Microsoft\\Windows NT\\CurrentVersion\\ProfileList');
  if (!list) return [];
  const out: Profile[] = [];
  for (const k of software.subkeys(list)) {
    if (!/^S-1-\d+(-\d+)+$/i.test(k.name)) continue;
    const p = stringValue(software, `${list.path}\\${k.name}`, 'ProfileImagePath');
    if (p) out.push({ sid: k.name, path: p });
  }
  return out;
}

const tail = (p: string, n: number) => decodeURIComponent(p.replace(/%(?![0-9a-f]{2})/gi, '%25')).toLowerCase().split(/[\\/]+/).filter(Boolean).slice(-n).join('\\');

/** The profile whose folder holds the user hive at `hivePath` (its path inside the collection). */
export function profileOfHive(hivePath: string, profiles: readonly Profile[]): Profile | undefined {
  const parts = hivePath.split(/[\\/]+/);
  // NTUSER.DAT sits in the profile folder; UsrClass.dat in AppData\Local\Microsoft\Windows below it
  const up = /usrclass\.dat$/i.test(hivePath) ? 5 : 1;
  const folder = tail(parts.slice(0, Math.max(0, parts.length - up)).join('\\'), 2);
  if (!folder) return undefined;
  const hits = profiles.filter((p) => tail(p.path, 2) === folder);
  return hits.length === 1 ? hits[0] : undefined;
}
