// Subkey lists: li (offsets), lf (offsets + 4-character name hints), lh (offsets + name hashes)
// and ri (offsets of li/lf/lh lists, never of another ri). A list's element count is checked
// against its cell: elements past the cell are not read (TRUNCATED). An ri that points at an
// ri, or a sublist seen twice under one root, is not followed (BAD_CELL / LOOP). Damage is
// handed to `onDamage` and reading goes on with the next element or sublist.

import { ByteDecodeError, u16, u32 } from '../bytes/byte-reader';
import { type CellSpace, SIG, cellData, cellSignature, signatureText } from './cell';
import { upperUnit } from './names';

export type OnListDamage = (e: ByteDecodeError) => void;

/** A leaf's elements, or an ri's sublists: its kind, element count and first element offset. */
interface ListHead {
  sig: number;
  count: number;
  /** Offset of the first element. */
  first: number;
  /** Bytes per element. */
  step: number;
}

function listHead(space: CellSpace, off: number, what: string, onDamage: OnListDamage): ListHead {
  const len = cellData(space, off, what);
  const sig = cellSignature(space, off, len);
  const step = sig === SIG.lf || sig === SIG.lh ? 8 : sig === SIG.li || sig === SIG.ri ? 4 : 0;
  if (step === 0) throw new ByteDecodeError('BAD_CELL', off, `${what}: cell at 0x${off.toString(16)} is ${signatureText(sig)}, not a subkey list`);
  let count = u16(space.bins, off + 6, 'subkey_list_number_of_elements');
  const room = Math.floor((len - 4) / step);
  if (count > room) {
    onDamage(new ByteDecodeError('TRUNCATED', off, `subkey list ${signatureText(sig)} at 0x${off.toString(16)} claims ${count} elements, its cell holds ${room}`));
    count = room;
  }
  return { sig, count, first: off + 8, step };
}

/**
 * Calls `each` with every key-node offset the list at `off` holds, in list order (ri sublists in
 * turn). Returns how many were given.
 */
export function forEachSubkey(space: CellSpace, off: number, each: (nk: number) => void, onDamage: OnListDamage): number {
  const head = listHead(space, off, 'nk_subkeys_list_offset', onDamage);
  const b = space.bins;
  if (head.sig !== SIG.ri) {
    for (let i = 0, p = head.first; i < head.count; i++, p += head.step) each(u32(b, p, 'subkey_list_element'));
    return head.count;
  }
  let n = 0;
  const seen = new Set<number>([off]);
  for (let i = 0, p = head.first; i < head.count; i++, p += 4) {
    const sub = u32(b, p, 'index_root_element');
    if (seen.has(sub)) {
      onDamage(new ByteDecodeError('LOOP', sub, `index root at 0x${off.toString(16)} lists the subkey list at 0x${sub.toString(16)} again: not followed twice`));
      continue;
    }
    seen.add(sub);
    try {
      const leaf = listHead(space, sub, 'index_root_element', onDamage);
      if (leaf.sig === SIG.ri) {
        onDamage(new ByteDecodeError('BAD_CELL', sub, `index root at 0x${off.toString(16)} points at another index root (0x${sub.toString(16)}): not followed`));
        continue;
      }
      for (let j = 0, q = leaf.first; j < leaf.count; j++, q += leaf.step) each(u32(b, q, 'subkey_list_element'));
      n += leaf.count;
    } catch (e) {
      if (!(e instanceof ByteDecodeError)) throw e;
      onDamage(e);
    }
  }
  return n;
}

/**
 * Key-node offsets in the list at `off` that may be named `upper` (upper-cased): the lh hash or
 * the lf hint must agree, li and hint-less entries are all candidates. The caller compares the
 * names, so a wrong hash or hint can hide a key but never give a wrong one.
 */
export function subkeyCandidates(space: CellSpace, off: number, upper: string, hash: number, onDamage: OnListDamage): number[] {
  const out: number[] = [];
  const b = space.bins;
  const scan = (h: ListHead) => {
    for (let i = 0, p = h.first; i < h.count; i++, p += h.step) {
      if (h.sig === SIG.lh) {
        if (u32(b, p + 4, 'hash_leaf_name_hash') !== hash) continue;
      } else if (h.sig === SIG.lf && !hintMatches(b, p + 4, upper)) continue;
      out.push(u32(b, p, 'subkey_list_element'));
    }
  };
  const head = listHead(space, off, 'nk_subkeys_list_offset', onDamage);
  if (head.sig !== SIG.ri) {
    scan(head);
    return out;
  }
  const seen = new Set<number>([off]);
  for (let i = 0, p = head.first; i < head.count; i++, p += 4) {
    const sub = u32(b, p, 'index_root_element');
    if (seen.has(sub)) continue;
    seen.add(sub);
    try {
      const leaf = listHead(space, sub, 'index_root_element', onDamage);
      if (leaf.sig !== SIG.ri) scan(leaf);
    } catch (e) {
      if (!(e instanceof ByteDecodeError)) throw e;
      onDamage(e);
    }
  }
  return out;
}

/**
 * Whether an lf name hint (the name's first 4 characters as extended ASCII, NUL-padded; a first
 * byte of 0 when the name has a character past U+00FF) can be the hint of a name that
 * upper-cases to `upper`.
 */
function hintMatches(b: Uint8Array, p: number, upper: string): boolean {
  if (b[p] === 0) return true;
  for (let i = 0; i < 4; i++) {
    const h = b[p + i];
    if (i >= upper.length) return h === 0;
    if (h === 0) return false;
    if (upperUnit(h) !== upper.charCodeAt(i)) return false;
  }
  return true;
}
