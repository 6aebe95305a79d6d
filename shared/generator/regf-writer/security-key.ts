// One key security (sk) record shared by every key of the hive: flink and blink point at itself
// (a one-entry list), its reference count is the number of key nodes, and its descriptor is a
// minimal self-relative SECURITY_DESCRIPTOR: owner and group SIDs and a DACL of two ACEs granting
// full control to the owner and SYSTEM, inherited by subkeys. Readers that show owners (regfexport,
// our ownerSid) read the owner from here.

import type { CellAllocator } from './cells';

export const DEFAULT_OWNER_SID = 'S-1-5-32-544'; // BUILTIN\Administrators, as on machine hives
const SYSTEM_SID = 'S-1-5-18';
const KEY_ALL_ACCESS = 0x000f003f;
const CONTAINER_INHERIT_ACE = 0x02;

export function sidBytes(sid: string): Uint8Array {
  const m = /^S-1-(\d+)((?:-\d+)*)$/.exec(sid);
  if (!m) throw new RangeError(`not a SID: ${sid}`);
  const subs = m[2] ? m[2].slice(1).split('-').map(Number) : [];
  if (subs.length > 15 || subs.some((s) => s > 0xffffffff)) throw new RangeError(`not a SID: ${sid}`);
  const out = new Uint8Array(8 + subs.length * 4);
  const dv = new DataView(out.buffer);
  out[0] = 1;
  out[1] = subs.length;
  const auth = Number(m[1]);
  dv.setUint16(2, Math.floor(auth / 2 ** 32), false);
  dv.setUint32(4, auth >>> 0, false); // the authority is 48-bit big-endian
  subs.forEach((s, i) => dv.setUint32(8 + i * 4, s, true));
  return out;
}

function ace(sid: Uint8Array): Uint8Array {
  const out = new Uint8Array(8 + sid.length);
  const dv = new DataView(out.buffer);
  out[0] = 0; // ACCESS_ALLOWED_ACE_TYPE
  out[1] = CONTAINER_INHERIT_ACE;
  dv.setUint16(2, out.length, true);
  dv.setUint32(4, KEY_ALL_ACCESS, true);
  out.set(sid, 8);
  return out;
}

export function securityDescriptor(ownerSid: string): Uint8Array {
  const owner = sidBytes(ownerSid);
  const group = sidBytes(SYSTEM_SID);
  const aces = [ace(owner), ace(group)];
  const aclSize = 8 + aces.reduce((n, a) => n + a.length, 0);
  const size = 20 + owner.length + group.length + aclSize;
  const out = new Uint8Array(size);
  const dv = new DataView(out.buffer);
  out[0] = 1; // revision
  dv.setUint16(2, 0x8004, true); // SE_SELF_RELATIVE | SE_DACL_PRESENT
  const ownerAt = 20;
  const groupAt = ownerAt + owner.length;
  const daclAt = groupAt + group.length;
  dv.setUint32(4, ownerAt, true);
  dv.setUint32(8, groupAt, true);
  dv.setUint32(12, 0, true); // no SACL
  dv.setUint32(16, daclAt, true);
  out.set(owner, ownerAt);
  out.set(group, groupAt);
  out[daclAt] = 2; // ACL_REVISION
  dv.setUint16(daclAt + 2, aclSize, true);
  dv.setUint16(daclAt + 4, aces.length, true);
  let at = daclAt + 8;
  for (const a of aces) {
    out.set(a, at);
    at += a.length;
  }
  return out;
}

/** Allocates the sk cell; its reference count is set later with setSecurityReferences. */
export function writeSecurityKey(cells: CellAllocator, ownerSid: string): number {
  const sd = securityDescriptor(ownerSid);
  const cell = cells.alloc(20 + sd.length);
  const d = cells.data(cell);
  cells.bytes(d, new Uint8Array([0x73, 0x6b])); // sk
  cells.u16(d + 2, 0);
  cells.u32(d + 4, cell);
  cells.u32(d + 8, cell);
  cells.u32(d + 12, 0);
  cells.u32(d + 16, sd.length);
  cells.bytes(d + 20, sd);
  return cell;
}

export function setSecurityReferences(cells: CellAllocator, sk: number, count: number): void {
  cells.u32(cells.data(sk) + 12, count);
}
