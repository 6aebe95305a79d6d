// Key security ("sk") cells, read as far as the owner SID: the cell holds a reference count and a
// self-relative security descriptor whose owner offset points at a SID. Anything that does not
// fit its cell throws (TRUNCATED / BAD_CELL) for the caller to report; the key itself is fine.

import { fail, u32 } from '../bytes/byte-reader';
import { type CellSpace, SIG, cellData, cellSignature, signatureText } from './cell';

export interface KeySecurity {
  cell: number;
  referenceCount: number;
  descriptorSize: number;
  /** 'S-1-5-32-544' …, or undefined when the descriptor has no owner. */
  ownerSid?: string;
}

/** A SID at `off` (revision, sub-authority count, 48-bit big-endian authority, sub-authorities). */
export function parseSid(b: Uint8Array, off: number, end: number): string {
  if (off + 8 > end) fail('TRUNCATED', off, 'SID header runs past the security descriptor');
  const revision = b[off];
  const count = b[off + 1];
  if (off + 8 + 4 * count > end) fail('TRUNCATED', off, `SID with ${count} sub-authorities runs past the security descriptor`);
  let authority = 0;
  for (let i = 2; i < 8; i++) authority = authority * 256 + b[off + i];
  let s = `S-${revision}-${authority}`;
  for (let i = 0; i < count; i++) s += '-' + u32(b, off + 8 + 4 * i, 'sid_sub_authority');
  return s;
}

export function parseKeySecurity(space: CellSpace, cell: number): KeySecurity {
  const len = cellData(space, cell, 'nk_key_security_offset');
  const sig = cellSignature(space, cell, len);
  if (sig !== SIG.sk) fail('BAD_CELL', cell, `key security offset: cell at 0x${cell.toString(16)} is ${signatureText(sig)}, not 'sk'`);
  const b = space.bins;
  const d = cell + 4;
  if (len < 20) fail('TRUNCATED', cell, `sk cell holds ${len} bytes, the record needs 20`);
  const descriptorSize = u32(b, d + 16, 'sk_security_descriptor_size');
  const sd = d + 20;
  const end = Math.min(sd + descriptorSize, d + len);
  const out: KeySecurity = { cell, referenceCount: u32(b, d + 12, 'sk_reference_count'), descriptorSize };
  if (sd + 20 > end) fail('TRUNCATED', cell, 'security descriptor header runs past its cell');
  const owner = u32(b, sd + 4, 'sd_owner_offset');
  if (owner !== 0) out.ownerSid = parseSid(b, sd + owner, end);
  return out;
}
