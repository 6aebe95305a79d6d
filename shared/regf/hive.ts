// A registry hive opened from its bytes: the base block checked, the hive bins mapped, and keys
// and values read on demand from the root, either by path (through the lh hashes / lf hints, so
// an autostart lookup touches a handful of cells whatever the hive's size) or by a full walk.
// Damage never throws out of here: a key, value or list that cannot be read is skipped and
// reported once as a Problem (file offset, closed code), and the rest is read. The walk visits a
// key node at most once, so subkey lists that loop back end there (LOOP). Only a file that is no
// hive at all (no regf signature, shorter than a base block's checksummed part, no readable
// root) gives an error instead of a Hive.

import { ByteDecodeError } from '../bytes/byte-reader';
import { problem, type Problem, type ProblemCode } from '../model/problems';
import { type BaseBlock, parseBaseBlock } from './base-block';
import { type CellSpace, NO_CELL } from './cell';
import { type BinMap, mapHiveBins } from './hive-bin';
import { type HiveBytes, primaryHiveBytes } from './hive-bytes';
import { type KeyNode, keyClassName, keyLastWritten, parseKeyNode } from './key-node';
import { type KeyValue, parseKeyValue, valueList } from './key-value';
import { compareNames, nameHash, upperName } from './names';
import { parseKeySecurity } from './security-key';
import { forEachSubkey, subkeyCandidates } from './subkey-list';
import { type DecodedData, type ValueSpan, decodeValueData, valueSpan } from './value-data';

export interface RegKey {
  /** File offset of the key node's cell. */
  offset: number;
  /** Hive-bins-relative offset of the cell (what other records point with). */
  cell: number;
  name: string;
  /** From the root, '\'-separated, without the root key's own name ('' for the root). */
  path: string;
  /** Last-write time, ISO 8601 with 7 fractional digits (100 ns). */
  lastWritten: string;
  node: KeyNode;
  /** Cell of the key whose subkey list this key was reached through (-1 for the root). */
  listedUnder: number;
}

/** A value as read from its vk cell (name, type, size, where its data is, file offset). */
export type RegValue = KeyValue;

export interface OpenHiveOptions {
  /** The evidence file as the user gave it, for problems. */
  file: string;
  /** Called once per problem, as it is found (they are also kept in hive.problems). */
  onProblem?: (p: Problem) => void;
  /**
   * The hive bins to read instead of the file's own (a transaction-log replay's page overlay,
   * see withPages), with the base block to trust instead of the file's (one recovered from a
   * log). The file is still what the signature and size checks look at.
   */
  overlay?: { bytes: HiveBytes; baseBlock: BaseBlock };
  /** Why a dirty hive is read without logs, for its warning (default: no transaction logs beside it). */
  dirtyNote?: string;
}

export type OpenHiveResult = { ok: true; hive: Hive } | { ok: false; problem: Problem };

export interface WalkStats {
  keys: number;
  /** Key nodes reached a second time (a list looping back) and not walked again. */
  loops: number;
}

export function openHive(file: Uint8Array, opts: OpenHiveOptions): OpenHiveResult {
  const fail = (code: ProblemCode, message: string, offset: number): OpenHiveResult => {
    const p = problem(code, 'error', opts.file, message, { offset });
    opts.onProblem?.(p);
    return { ok: false, problem: p };
  };
  if (file.length < 4 || file[0] !== 0x72 || file[1] !== 0x65 || file[2] !== 0x67 || file[3] !== 0x66) {
    return fail('BAD_MAGIC', 'not a registry hive: no regf signature', 0);
  }
  if (file.length < 512) return fail('TRUNCATED', `a hive's base block needs 512 bytes, the file holds ${file.length}`, 0);
  const hive = new Hive(file, opts.overlay?.bytes ?? primaryHiveBytes(file), opts.overlay?.baseBlock ?? parseBaseBlock(file), opts);
  if (!hive.root()) return fail('BAD_CELL', `the root key cannot be read (root cell offset 0x${hive.baseBlock.rootCellOffset.toString(16)})`, 36);
  return { ok: true, hive };
}

export class Hive implements CellSpace {
  readonly bins: Uint8Array;
  readonly map: BinMap;
  readonly problems: Problem[] = [];
  private readonly seen = new Set<string>();
  private rootKey: RegKey | undefined | null = null;
  private readonly ownerCache = new Map<number, string | undefined>();

  constructor(
    /** The primary file as given; never written. */
    readonly file: Uint8Array,
    private readonly bytes: HiveBytes,
    readonly baseBlock: BaseBlock,
    private readonly opts: OpenHiveOptions,
  ) {
    this.bins = bytes.bins;
    const bb = baseBlock;
    if (!bb.checksumOk) this.report('BAD_CHECKSUM', 508 - bytes.base, `base block checksum is 0x${bb.checksum.toString(16)}, its bytes give 0x${bb.computedChecksum.toString(16)}`);
    if (!bb.versionOk) this.report('BAD_HEADER', 20 - bytes.base, `hive version ${bb.majorVersion}.${bb.minorVersion} is not one of 1.1-1.6: read as 1.${Math.min(Math.max(bb.minorVersion, 3), 6)}`);
    // NT 3.1's cells carry a back link and 16-byte alignment; this reader frames 1.2-1.6 cells only
    else if (bb.minorVersion === 1) this.report('BAD_HEADER', 24 - bytes.base, 'hive version 1.1 (Windows NT 3.1) cells are not read as such: read with the 1.3 layout');
    if (bb.fileType !== 0) this.report('BAD_HEADER', 28 - bytes.base, `file type ${bb.fileType} is not a primary file (0)`);
    if (bb.sequenceDirty) {
      this.report('DIRTY_HEADER', 4 - bytes.base, `dirty hive (sequence numbers ${bb.primarySequence} / ${bb.secondarySequence}), ${opts.dirtyNote ?? 'no transaction logs beside it'}: the last changes may be missing`);
    }
    this.map = mapHiveBins(bytes, bb.hiveBinsDataSize, bb.checksumOk);
    for (const d of this.map.damage) this.report(d.code, d.offset, d.message);
  }

  /** Hive version's minor number as used for format decisions (big data from 1.4). */
  get minorVersion(): number {
    return this.baseBlock.minorVersion;
  }

  private report(code: ProblemCode, rel: number, message: string): void {
    const offset = this.bytes.base + rel;
    const k = `${code}:${offset}`;
    if (this.seen.has(k)) return;
    this.seen.add(k);
    const p = problem(code, 'warning', this.opts.file, message, { offset });
    this.problems.push(p);
    this.opts.onProblem?.(p);
  }

  private damage = (e: ByteDecodeError): void => {
    this.report(e.code, e.offset === NO_CELL ? -this.bytes.base : e.offset, e.message);
  };

  private guard<T>(read: () => T): T | undefined {
    try {
      return read();
    } catch (e) {
      if (!(e instanceof ByteDecodeError)) throw e;
      this.damage(e);
      return undefined;
    }
  }

  private keyAt(cell: number, path: string, what: string): RegKey | undefined {
    const node = this.guard(() => parseKeyNode(this, cell, what));
    if (!node) return undefined;
    if (node.nameCut) this.report('TRUNCATED', cell, `key name of key node at 0x${cell.toString(16)} runs past its cell: cut to ${node.name.length} characters`);
    return { offset: this.bytes.base + cell, cell, name: node.name, path, lastWritten: keyLastWritten(node), node, listedUnder: -1 };
  }

  root(): RegKey | undefined {
    if (this.rootKey === null) this.rootKey = this.keyAt(this.baseBlock.rootCellOffset, '', 'base_block_root_cell_offset');
    return this.rootKey;
  }

  private childPath(parent: RegKey, name: string): string {
    return parent.path === '' ? name : parent.path + '\\' + name;
  }

  private child(parent: RegKey, cell: number): RegKey | undefined {
    let node: KeyNode;
    try {
      node = parseKeyNode(this, cell, 'subkey_list_element');
    } catch (e) {
      if (!(e instanceof ByteDecodeError)) throw e;
      this.damage(e);
      return undefined;
    }
    if (node.nameCut) this.report('TRUNCATED', cell, `key name of key node at 0x${cell.toString(16)} runs past its cell: cut to ${node.name.length} characters`);
    if (node.parent !== parent.cell) {
      this.report('BAD_CELL', cell, `key node at 0x${cell.toString(16)} names 0x${node.parent.toString(16)} as its parent, but is listed under 0x${parent.cell.toString(16)}`);
    }
    return { offset: this.bytes.base + cell, cell, name: node.name, path: this.childPath(parent, node.name), lastWritten: keyLastWritten(node), node, listedUnder: parent.cell };
  }

  /** The key's subkeys in list order (damaged ones left out and reported). */
  subkeys(key: RegKey): RegKey[] {
    const out: RegKey[] = [];
    const n = key.node;
    if (n.subkeyCount === 0) return out; // Windows ignores the list offset then
    const cells: number[] = [];
    this.guard(() => forEachSubkey(this, n.subkeysList, (c) => cells.push(c), this.damage));
    if (cells.length !== n.subkeyCount) {
      this.report('BAD_CELL', key.cell, `key ${key.path || '(root)'} counts ${n.subkeyCount} subkeys, its lists hold ${cells.length}`);
    }
    let ordered = true;
    for (const c of cells) {
      const k = this.child(key, c);
      if (!k) continue;
      // Windows keeps lists strictly ascending by upper-cased name and looks keys up by that order
      if (ordered && out.length > 0 && compareNames(k.name, out[out.length - 1].name) <= 0) {
        ordered = false;
        this.report('BAD_CELL', n.subkeysList, `subkey list of ${key.path || '(root)'} is out of order or holds a name twice (${JSON.stringify(k.name)} after ${JSON.stringify(out[out.length - 1].name)}): Windows may not find some of them`);
      }
      out.push(k);
    }
    return out;
  }

  /** The subkey named `name` (compared as Windows does, case-insensitively), found through the list's hashes or hints. */
  subkey(key: RegKey, name: string): RegKey | undefined {
    const n = key.node;
    if (n.subkeyCount === 0 || n.subkeysList === NO_CELL) return undefined;
    const upper = upperName(name);
    const cells = this.guard(() => subkeyCandidates(this, n.subkeysList, upper, nameHash(name), this.damage)) ?? [];
    for (const c of cells) {
      const node = this.guard(() => parseKeyNode(this, c, 'subkey_list_element'));
      if (node && upperName(node.name) === upper) return this.child(key, c);
    }
    return undefined;
  }

  /** The key at a '\'-separated path from the root ('' or '\' for the root); case-insensitive. */
  key(path: string): RegKey | undefined {
    let k = this.root();
    for (const part of path.split('\\')) {
      if (!k) return undefined;
      if (part === '') continue;
      k = this.subkey(k, part);
    }
    return k;
  }

  values(key: RegKey): RegValue[] {
    const n = key.node;
    if (n.valueCount === 0) return [];
    const list = this.guard(() => valueList(this, n.valuesList, n.valueCount));
    if (!list) return [];
    if (list.count < n.valueCount) this.report('TRUNCATED', n.valuesList, `key ${key.path || '(root)'} counts ${n.valueCount} values, its values list holds ${list.count}`);
    const out: RegValue[] = [];
    const b = this.bins;
    for (let i = 0, p = list.first; i < list.count; i++, p += 4) {
      const c = (b[p] | (b[p + 1] << 8) | (b[p + 2] << 16) | (b[p + 3] << 24)) >>> 0;
      let v: KeyValue;
      try {
        v = parseKeyValue(this, c, 'key_values_list_element', this.bytes.base);
      } catch (e) {
        if (!(e instanceof ByteDecodeError)) throw e;
        this.damage(e);
        continue;
      }
      if (v.nameCut) this.report('TRUNCATED', c, `value name at 0x${c.toString(16)} runs past its cell: cut to ${v.name.length} characters`);
      out.push(v);
    }
    return out;
  }

  /** The value named `name` ('' for the default), case-insensitively. */
  value(key: RegKey, name: string): RegValue | undefined {
    const upper = upperName(name);
    return this.values(key).find((v) => upperName(v.name) === upper);
  }

  private readonly span: ValueSpan = { buf: new Uint8Array(0), start: 0, length: 0 };

  private locate(v: RegValue): ValueSpan {
    const damage = valueSpan(this, v, this.minorVersion, this.span);
    if (damage) this.report(damage.code, damage.offset === NO_CELL ? v.cell : damage.offset, `value ${v.name || '(default)'}: ${damage.message}`);
    return this.span;
  }

  /** The value's data as stored (cut to what is intact, with the damage reported): a view, not a copy. */
  valueBytes(v: RegValue): Uint8Array {
    const s = this.locate(v);
    return s.buf.subarray(s.start, s.start + s.length);
  }

  /** What the value's data means by its type (strings, numbers, or 'bytes': see valueBytes). */
  valueData(v: RegValue): DecodedData {
    const s = this.locate(v);
    return decodeValueData(v.type, s.buf, s.start, s.length);
  }

  className(key: RegKey): string | undefined {
    return this.guard(() => keyClassName(this, key.node));
  }

  /** The owner SID of the key's security descriptor, when it can be read. */
  ownerSid(key: RegKey): string | undefined {
    const cell = key.node.security;
    if (cell === NO_CELL) return undefined;
    if (this.ownerCache.has(cell)) return this.ownerCache.get(cell);
    const sid = this.guard(() => parseKeySecurity(this, cell))?.ownerSid;
    this.ownerCache.set(cell, sid);
    return sid;
  }

  /**
   * `from` (default the root) and every key under it, depth first in list order, each key before
   * its subkeys. A key node reached twice is reported (LOOP) and not walked again; `stats` counts
   * both as it goes.
   */
  *keysUnder(from: RegKey | undefined = this.root(), stats: WalkStats = { keys: 0, loops: 0 }): Generator<RegKey, WalkStats> {
    if (!from) return stats;
    // one bit per 8-byte cell slot: 1.6 Mbit for a 12 MB hive
    const visited = new Uint8Array((this.bins.length >>> 6) + 1);
    const stack: RegKey[] = [from];
    visited[from.cell >>> 6] |= 1 << ((from.cell >>> 3) & 7);
    while (stack.length > 0) {
      const k = stack.pop() as RegKey;
      stats.keys++;
      yield k;
      const subs = this.subkeys(k);
      for (let i = subs.length - 1; i >= 0; i--) {
        const s = subs[i];
        const bit = 1 << ((s.cell >>> 3) & 7);
        if (visited[s.cell >>> 6] & bit) {
          stats.loops++;
          this.report('LOOP', s.cell, `key node at 0x${s.cell.toString(16)} is listed again under ${k.path || '(root)'}: not walked twice`);
          continue;
        }
        visited[s.cell >>> 6] |= bit;
        stack.push(s);
      }
    }
    return stats;
  }

  /** Calls `visit` with every key keysUnder gives. */
  walk(visit: (key: RegKey) => void, from: RegKey | undefined = this.root()): WalkStats {
    const stats: WalkStats = { keys: 0, loops: 0 };
    for (const k of this.keysUnder(from, stats)) visit(k);
    return stats;
  }
}
