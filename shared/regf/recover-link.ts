// Links deleted records to their keys. A deleted key names its parent cell: a live key gives it a
// full path, a deleted key found by the scan gives it that key's path in turn (a deleted tree),
// anything else leaves it unassociated with a partial path from the highest deleted ancestor.
// A deleted value belongs to the key whose values list names its cell: a deleted key's list
// (when the list's bytes are not used by anything live, so they are still that key's), or the
// slack of a live key's list (the offsets left past the count when a value was deleted);
// otherwise it is unassociated. Parent chains are followed iteratively with a visited set, so a
// chain that loops (two deleted keys naming each other) ends there with a LOOP problem. Linear:
// each key's path is computed once, each list read once.

import { rawU32 } from '../bytes/byte-reader';
import type { ProblemCode } from '../model/problems';
import { NO_CELL } from './cell';
import type { Hive } from './hive';
import type { DeletedKey, DeletedValue, FoundKey, FoundValue } from './recover-deleted';
import type { LiveMap } from './recover-live';

export type LinkedValue = FoundValue & { key?: DeletedValue['key'] };

type Report = (code: ProblemCode, cell: number, message: string) => void;

/** A cell's size when it is a plausible cell, else 0 (the bytes are read, never trusted further). */
function cellRoom(b: Uint8Array, off: number): number {
  if (off % 8 !== 0 || off + 8 > b.length) return 0;
  const raw = b[off] | (b[off + 1] << 8) | (b[off + 2] << 16) | (b[off + 3] << 24);
  const size = raw < 0 ? -raw : raw;
  return size >= 8 && size % 8 === 0 && off + size <= b.length ? size : 0;
}

function join(parent: string, name: string): string {
  return parent === '' ? name : parent + '\\' + name;
}

export function linkDeleted(hive: Hive, live: LiveMap, found: readonly FoundKey[], values: readonly FoundValue[], base: number, report: Report): { keys: DeletedKey[]; values: LinkedValue[] } {
  const byCell = new Map<number, FoundKey>();
  for (const k of found) byCell.set(k.cell, k);
  const resolved = new Map<number, { path: string; rooted: boolean }>();

  const resolve = (start: FoundKey): { path: string; rooted: boolean } => {
    const done = resolved.get(start.cell);
    if (done) return done;
    // climb until a live key, an unknown parent, a key already resolved, or a loop
    const chain: FoundKey[] = [];
    const onChain = new Set<number>();
    let k: FoundKey | undefined = start;
    let top: { path: string; rooted: boolean } | undefined;
    while (k) {
      const known = resolved.get(k.cell);
      if (known) {
        top = known;
        break;
      }
      chain.push(k);
      onChain.add(k.cell);
      const livePath = live.keyPaths.get(k.parent);
      if (livePath !== undefined) {
        top = { path: livePath, rooted: true };
        break;
      }
      const next = byCell.get(k.parent);
      if (next && onChain.has(next.cell)) {
        report('LOOP', k.cell, `deleted key node at 0x${k.cell.toString(16)} names 0x${k.parent.toString(16)} as its parent, which leads back to it: its path starts there`);
        break;
      }
      k = next;
    }
    // down the chain from the top: each key's path is its parent's and its own name
    let path = top?.path;
    const rooted = top?.rooted ?? false;
    for (let i = chain.length - 1; i >= 0; i--) {
      const c = chain[i];
      path = path === undefined ? c.name : join(path, c.name);
      resolved.set(c.cell, { path, rooted });
    }
    return resolved.get(start.cell) as { path: string; rooted: boolean };
  };

  const keys: DeletedKey[] = found.map((k) => {
    const r = resolve(k);
    return {
      cell: k.cell, offset: base + k.cell, source: k.source, name: k.name, lastWritten: k.lastWritten,
      subkeyCount: k.subkeyCount, valueCount: k.valueCount, parentCell: k.parent, path: r.path, rooted: r.rooted,
      parentDeleted: byCell.has(k.parent) && !live.keyPaths.has(k.parent),
    };
  });
  const keyByCell = new Map<number, DeletedKey>();
  for (const k of keys) keyByCell.set(k.cell, k);

  // values lists of deleted keys, read only where nothing live uses the list's bytes
  // (first the offsets within each key's count, then the slack past it, so a value a key held
  // when it was deleted goes to that key rather than to one that held it before)
  const owner = new Map<number, number>();
  const b = hive.bins;
  for (const pass of [0, 1]) {
    for (const k of found) {
      if (k.valueCount === 0 || k.valuesList === NO_CELL) continue;
      const room = cellRoom(b, k.valuesList);
      if (room === 0) continue;
      const slots = (room - 4) >>> 2;
      const n = Math.min(k.valueCount, slots);
      const from = pass === 0 ? 0 : n;
      const to = pass === 0 ? n : slots;
      if (to <= from || live.anyUsed(k.valuesList + 4 + 4 * from, 4 * (to - from)) || (pass === 0 && live.isUsed(k.valuesList))) continue;
      for (let i = from; i < to; i++) {
        const vk = rawU32(b, k.valuesList + 4 + 4 * i);
        if (!owner.has(vk)) owner.set(vk, k.cell);
      }
    }
  }

  const linked: LinkedValue[] = values.map((v) => {
    const dk = owner.get(v.cell);
    if (dk !== undefined) {
      const k = keyByCell.get(dk) as DeletedKey;
      return { ...v, key: { cell: k.cell, offset: k.offset, deleted: true, path: k.path, rooted: k.rooted } };
    }
    const lk = live.listSlack.get(v.cell);
    if (lk !== undefined) {
      return { ...v, key: { cell: lk, offset: base + lk, deleted: false, path: live.keyPaths.get(lk) ?? '', rooted: true } };
    }
    return { ...v };
  });
  return { keys, values: linked };
}
