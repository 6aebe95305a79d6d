// Builds a primary hive (regf 1.5) from a plain tree of keys and values. Layout is depth first:
// a key's nk, its values (vk + data), any deleted values (freed cells), its class name, then its
// subkeys in Windows' order, then its subkey list; the root key is the first cell and the single
// shared sk the second. The output depends only on the tree and the options, so a seed that fixes
// the tree fixes the bytes. The tree is the generator's own: a duplicate name or data that does
// not fit its type throws (a bug to fix), nothing is silently dropped.

import { BASE_BLOCK_SIZE, filetime, writeBaseBlock } from './base-block';
import { CellAllocator, NO_CELL } from './cells';
import { type DeletedValuePlace, writeDeletedValues } from './deleted-values';
import { allocKeyNode, writeKeyNode } from './key-node';
import { type HiveValue, writeValue, writeValuesList } from './key-value';
import { compareKeyNames, encodeName, upperUnit, utf16le } from './names';
import { DEFAULT_OWNER_SID, setSecurityReferences, writeSecurityKey } from './security-key';
import { type ListedKey, DEFAULT_LH_MAX, writeSubkeyList } from './subkey-list';
import { Prng } from '../prng';

export type { HiveValue } from './key-value';

export interface HiveKey {
  name: string;
  /** ISO 8601 UTC with up to 7 fractional digits, or a FILETIME. */
  lastWrite: string | bigint;
  values?: readonly HiveValue[];
  subkeys?: readonly HiveKey[];
  className?: string;
  /** Values removed after their write: left in free cells only (see deleted-values.ts). */
  deletedValues?: readonly HiveValue[];
}

export interface WriteHiveOptions {
  /** The base block's file name field, e.g. '\??\C:\Users\alice\ntuser.dat' (its last 31 characters are kept). */
  fileName?: string;
  /** The base block's last-written time (default: the root key's). */
  lastWritten?: string | bigint;
  /** Primary and secondary sequence number of a clean hive (default 1). */
  sequence?: number;
  /** Seeds the RmId / TmId GUIDs (default 0). */
  seed?: number;
  ownerSid?: string;
  /** Subkeys per lh list before an ri splits them (default 500). */
  lhMax?: number;
}

export interface BuiltHive {
  /** The whole primary file: base block then hive bins. */
  bytes: Uint8Array;
  rootCell: number;
  keyCount: number;
  deletedValues: DeletedValuePlace[];
}

function guid(prng: Prng): Uint8Array {
  const g = new Uint8Array(16);
  for (let i = 0; i < 16; i++) g[i] = prng.int(0, 255);
  g[7] = (g[7] & 0x0f) | 0x40; // a version-4 GUID, as Windows generates them
  g[8] = (g[8] & 0x3f) | 0x80;
  return g;
}

function upperKey(name: string): string {
  let s = '';
  for (let i = 0; i < name.length; i++) s += String.fromCharCode(upperUnit(name.charCodeAt(i)));
  return s;
}

export function buildHive(tree: HiveKey, opts: WriteHiveOptions = {}): BuiltHive {
  const cells = new CellAllocator();
  const lhMax = opts.lhMax ?? DEFAULT_LH_MAX;
  const rootCell = allocKeyNode(cells, encodeName(tree.name));
  const sk = writeSecurityKey(cells, opts.ownerSid ?? DEFAULT_OWNER_SID);
  const deleted: DeletedValuePlace[] = [];
  let keyCount = 0;

  const writeKey = (key: HiveKey, cell: number, parent: number, path: string): void => {
    keyCount++;
    const values = key.values ?? [];
    const seen = new Set<string>();
    for (const v of values) {
      const u = upperKey(v.name);
      if (seen.has(u)) throw new Error(`key '${path}': two values named '${v.name}'`);
      seen.add(u);
    }
    const written = values.map((v) => writeValue(cells, v));
    const valueList = written.length ? writeValuesList(cells, written.map((w) => w.vk)) : NO_CELL;
    if (key.deletedValues?.length) deleted.push(...writeDeletedValues(cells, path, key.deletedValues));
    let classCell = NO_CELL;
    let classBytes = 0;
    if (key.className !== undefined && key.className.length > 0) {
      const b = utf16le(key.className);
      classCell = cells.alloc(b.length);
      cells.bytes(cells.data(classCell), b);
      classBytes = b.length;
    }
    const children = [...(key.subkeys ?? [])].sort((a, b) => compareKeyNames(a.name, b.name));
    for (let i = 1; i < children.length; i++) {
      if (compareKeyNames(children[i - 1].name, children[i].name) === 0) throw new Error(`key '${path}': two subkeys named '${children[i].name}'`);
    }
    const listed: ListedKey[] = children.map((child) => {
      const childCell = allocKeyNode(cells, encodeName(child.name));
      writeKey(child, childCell, cell, path ? `${path}\\${child.name}` : child.name);
      return { name: child.name, cell: childCell };
    });
    const subkeyList = listed.length ? writeSubkeyList(cells, listed, lhMax) : NO_CELL;
    writeKeyNode(cells, cell, {
      name: encodeName(key.name),
      root: parent === NO_CELL,
      lastWritten: filetime(key.lastWrite),
      parent,
      subkeyCount: listed.length,
      subkeyList,
      valueCount: written.length,
      valueList,
      security: sk,
      classCell,
      classBytes,
      largestSubkeyName: children.reduce((n, c) => Math.max(n, c.name.length * 2), 0),
      largestSubkeyClass: children.reduce((n, c) => Math.max(n, (c.className?.length ?? 0) * 2), 0),
      largestValueName: written.reduce((n, w) => Math.max(n, w.nameBytes), 0),
      largestValueData: written.reduce((n, w) => Math.max(n, w.dataSize), 0),
    });
  };

  writeKey(tree, rootCell, NO_CELL, '');
  setSecurityReferences(cells, sk, keyCount);
  const lastWritten = filetime(opts.lastWritten ?? tree.lastWrite);
  const bins = cells.finish(lastWritten);
  const prng = new Prng(opts.seed ?? 0);
  const sequence = opts.sequence ?? 1;
  const bb = writeBaseBlock({
    primarySequence: sequence,
    secondarySequence: sequence,
    lastWritten,
    rootCell,
    binsSize: bins.length,
    fileName: opts.fileName ?? '',
    rmId: guid(prng),
    tmId: guid(prng),
  });
  const bytes = new Uint8Array(BASE_BLOCK_SIZE + bins.length);
  bytes.set(bb);
  bytes.set(bins, BASE_BLOCK_SIZE);
  return { bytes, rootCell, keyCount, deletedValues: deleted };
}

/** The primary hive file for `tree`. */
export function writeHive(tree: HiveKey, opts: WriteHiveOptions = {}): Uint8Array {
  return buildHive(tree, opts).bytes;
}
