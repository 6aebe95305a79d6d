// Autostart state read from one hive: an entry per value at each catalog location the hive holds
// (autostart-locations.ts), with its data, type, the key's last-write time, the hive, the value's
// cell offset and whether the replayed transaction logs hold it rather than the primary file.
// Lookups go by path (lh/lf hashes), so a 100 MB SOFTWARE costs a few hundred cells here. Damage
// is the hive's: an unreadable key or value is skipped and reported once by the Hive (its
// problems), never thrown; the entries read before and after it stay.

import type { Hive, RegKey, RegValue } from '../regf/hive';
import type { LogOrigin } from '../regf/log-origin';
import type { AutostartLocation } from '../detect/catalog';
import { hiveKind, type HiveKind } from './hive-kind';
import { hiveLocations } from './autostart-locations';

export interface StateEntry {
  location: AutostartLocation;
  /** The hive file as the user gave it. */
  hiveFile: string;
  hiveKind: HiveKind;
  /** The key as stored, '\'-separated from the hive's root, in the hive's own case. */
  keyPath: string;
  /** The canonical registry path of the key (HKLM\SOFTWARE\..., HKLM\SYSTEM\ControlSet001\..., HKU\<SID>\... or HKCU\...). */
  registryKey: string;
  /** '' is the key's default value. */
  valueName: string;
  typeName: string;
  /** The data as text: strings as they are, multi-strings joined with '; ', numbers in decimal, other data as hex (first 256 bytes). */
  data: string;
  /** The key's last-write time (ISO 8601, 100 ns). */
  keyLastWritten: string;
  /** File offset of the value's vk cell. */
  offset: number;
  /** The value's cell (or its data's) came from a transaction log, not the primary file. */
  fromLog: boolean;
  /** Read from unallocated cells (a deleted value); always false until recovery feeds this reader. */
  deleted: boolean;
  wow64: boolean;
}

export interface ReadStateOptions {
  /** Where the user part of the paths hangs: 'HKU\\<SID>' once ProfileList names the hive's owner; default 'HKCU'. */
  userRoot?: string;
  /** Cells the replayed logs changed (openHiveWithLogs' replay.origin). */
  origin?: LogOrigin;
  /** Cap on keys a '**' pattern walks below its fixed part (hostile hives nest deep). */
  maxKeysPerPattern?: number;
}

export interface HiveState {
  kind: HiveKind;
  /** The control set the SYSTEM hive's Select\Current names ('ControlSet001' ...), if read. */
  controlSet?: string;
  entries: StateEntry[];
}

function currentControlSet(hive: Hive): string | undefined {
  const select = hive.key('Select');
  const v = select && hive.value(select, 'Current');
  if (!v) return hive.key('ControlSet001') ? 'ControlSet001' : undefined;
  const d = hive.valueData(v);
  if (d.kind !== 'number' || d.value < 1 || d.value > 999) return undefined;
  return 'ControlSet' + String(d.value).padStart(3, '0');
}

function hex(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < Math.min(b.length, 256); i++) s += b[i].toString(16).padStart(2, '0');
  return b.length > 256 ? s + '…' : s;
}

function dataText(hive: Hive, v: RegValue): string {
  const d = hive.valueData(v);
  switch (d.kind) {
    case 'string': return d.text;
    case 'strings': return d.items.join('; ');
    case 'number': return String(d.value);
    case 'qword': return d.value.toString();
    case 'bytes': return hex(hive.valueBytes(v));
  }
}

/** Keys matching `segments` below `from` (case-insensitive; '*' = any one subkey; '**' = one or more levels). */
function expand(hive: Hive, from: RegKey, segments: readonly string[], budget: { left: number }): RegKey[] {
  if (segments.length === 0) return [from];
  const [seg, ...rest] = segments;
  if (seg === '*' || seg === '**') {
    const out: RegKey[] = [];
    for (const sub of hive.subkeys(from)) {
      if (--budget.left < 0) return out;
      out.push(...expand(hive, sub, rest, budget));
      if (seg === '**') out.push(...expand(hive, sub, segments, budget));
    }
    return out;
  }
  const k = hive.subkey(from, seg);
  return k ? expand(hive, k, rest, budget) : [];
}

function rootPrefix(kind: HiveKind, userRoot: string): string {
  if (kind === 'SOFTWARE') return 'HKLM\\SOFTWARE';
  if (kind === 'SYSTEM') return 'HKLM\\SYSTEM';
  if (kind === 'DEFAULT') return 'HKU\\.DEFAULT';
  if (kind === 'USRCLASS') return userRoot === 'HKCU' ? 'HKCU\\Software\\Classes' : userRoot + '_Classes';
  return userRoot;
}

/** Every value at every catalog location this hive holds. */
export function readHiveState(hive: Hive, hiveFile: string, opts: ReadStateOptions = {}): HiveState {
  const kind = hiveKind(hive);
  const root = hive.root();
  const entries: StateEntry[] = [];
  if (!root || kind === 'other') return { kind, entries };
  const controlSet = kind === 'SYSTEM' ? currentControlSet(hive) : undefined;
  // a user hive exported from its Software key down has no "Software\" above Microsoft
  const noSoftwareLevel = (kind === 'NTUSER' || kind === 'DEFAULT') && !hive.subkey(root, 'Software') && !!hive.subkey(root, 'Microsoft');
  const prefix = rootPrefix(kind, opts.userRoot ?? 'HKCU');
  const seen = new Set<number>();
  for (const hl of hiveLocations(kind)) {
    let pattern = hl.pattern;
    if (pattern.startsWith('<controlset>/')) {
      if (!controlSet) continue;
      pattern = controlSet + pattern.slice('<controlset>'.length);
    }
    if (noSoftwareLevel) pattern = pattern.replace(/^software\//, '');
    const budget = { left: opts.maxKeysPerPattern ?? 5000 };
    for (const key of expand(hive, root, pattern.split('/'), budget)) {
      const wanted = hl.location.values;
      for (const v of hive.values(key)) {
        const vn = v.name === '' ? '(default)' : v.name.toLowerCase();
        if (wanted && !wanted.includes(vn)) continue;
        // two patterns can reach one value (a location listed twice): one entry
        if (seen.has(v.offset)) continue;
        seen.add(v.offset);
        const fromLog = !!opts.origin && (opts.origin.cellFromLog(v.cell) || (!v.inline && v.size > 0 && opts.origin.cellFromLog(v.dataOffset)));
        const shownPath = (noSoftwareLevel ? 'Software\\' : '') + key.path;
        entries.push({
          location: hl.location, hiveFile, hiveKind: kind, keyPath: key.path,
          registryKey: prefix + '\\' + shownPath,
          valueName: v.name, typeName: v.typeName, data: dataText(hive, v),
          keyLastWritten: key.lastWritten, offset: v.offset, fromLog, deleted: false, wow64: hl.wow64,
        });
      }
    }
  }
  return { kind, controlSet, entries };
}
