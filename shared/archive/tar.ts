// A small streaming tar reader (ustar, GNU long names, PAX path/size, base-256 sizes). Members are
// handed out one at a time as sub-streams; whatever the consumer leaves unread is skipped. Damage: a
// header with a bad checksum is reported and the reader scans forward block by block to the next
// valid header; a truncated member is reported by the consumer seeing its stream end early.

import type { PeekableStream } from '../bytes/byte-stream';

export interface TarMember {
  name: string;
  size: number;
  /** Offset of the member's data in the tar stream. */
  offset: number;
  chunks: AsyncIterable<Uint8Array>;
}

export interface TarProblem {
  message: string;
  offset: number;
  /** The stream ended early (which a layer above may already have reported). */
  truncated?: boolean;
  /** The member the problem is about, when it is about one. */
  member?: string;
}

const BLOCK = 512;
const latin1 = (b: Uint8Array) => {
  let s = '';
  for (const x of b) {
    if (x === 0) break;
    s += String.fromCharCode(x);
  }
  return s;
};
const utf8 = new TextDecoder('utf-8');
const cstring = (b: Uint8Array) => {
  const z = b.indexOf(0);
  return utf8.decode(z < 0 ? b : b.subarray(0, z));
};

function octal(b: Uint8Array): number {
  if (b[0] & 0x80) {
    // base-256 (GNU) for sizes ≥ 8 GiB
    let n = b[0] & 0x7f;
    for (let i = 1; i < b.length; i++) n = n * 256 + b[i];
    return n;
  }
  const s = latin1(b).trim();
  return s === '' ? 0 : parseInt(s, 8);
}

export function tarChecksumOk(h: Uint8Array): boolean {
  if (h.length < BLOCK) return false;
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : h[i];
  const stored = octal(h.subarray(148, 156));
  return Number.isFinite(stored) && stored === sum && sum !== 8 * 0x20;
}

/** True when a 512-byte block looks like a tar header (ustar magic, or a valid v7 checksum). */
export function looksLikeTar(head: Uint8Array): boolean {
  if (head.length < BLOCK) return false;
  const magic = latin1(head.subarray(257, 262));
  return magic === 'ustar' ? true : tarChecksumOk(head);
}

function parsePax(b: Uint8Array): Record<string, string> {
  const out: Record<string, string> = {};
  const s = utf8.decode(b);
  let p = 0;
  while (p < s.length) {
    const sp = s.indexOf(' ', p);
    if (sp < 0) break;
    const len = parseInt(s.slice(p, sp), 10);
    if (!(len > 0)) break;
    const rec = s.slice(sp + 1, p + len - 1);
    const eq = rec.indexOf('=');
    if (eq > 0) out[rec.slice(0, eq)] = rec.slice(eq + 1);
    p += len;
  }
  return out;
}

const MAX_META = 1024 * 1024;

export async function* tarMembers(s: PeekableStream, onProblem: (p: TarProblem) => void): AsyncGenerator<TarMember> {
  let longName: string | undefined;
  let pax: Record<string, string> = {};
  let resyncing = false;
  for (;;) {
    const at = s.position;
    const h = await s.read(BLOCK);
    if (h.length === 0) return;
    if (h.length < BLOCK) {
      onProblem({ message: 'the tar ends inside a header (truncated)', offset: at, truncated: true });
      return;
    }
    if (h.every((x) => x === 0)) {
      if (resyncing) continue;
      return; // end-of-archive marker
    }
    if (!tarChecksumOk(h)) {
      if (!resyncing) onProblem({ message: 'bad tar header checksum: scanning for the next header', offset: at });
      resyncing = true;
      continue;
    }
    resyncing = false;
    const type = String.fromCharCode(h[156] || 0x30);
    const pf = latin1(h.subarray(257, 262)) === 'ustar' ? cstring(h.subarray(345, 500)) : '';
    let name = cstring(h.subarray(0, 100));
    if (pf) name = `${pf}/${name}`;
    let size = octal(h.subarray(124, 136));
    if (pax.size !== undefined && Number.isFinite(Number(pax.size))) size = Number(pax.size);
    if (!Number.isFinite(size) || size < 0) {
      onProblem({ message: 'bad tar member size', offset: at });
      return;
    }
    const padded = Math.ceil(size / BLOCK) * BLOCK;
    if (type === 'L' || type === 'x' || type === 'g') {
      if (size > MAX_META) {
        onProblem({ message: `tar metadata record of ${size} bytes: skipped`, offset: at });
        await s.skip(padded);
        continue;
      }
      const body = await s.read(size);
      await s.skip(padded - size);
      if (type === 'L') longName = cstring(body);
      else if (type === 'x') pax = parsePax(body);
      continue;
    }
    if (longName !== undefined) name = longName;
    if (pax.path !== undefined) name = pax.path;
    longName = undefined;
    pax = {};
    const dataStart = s.position;
    if (type === '0' || type === '7' || type === '\0') {
      yield { name, size, offset: dataStart, chunks: s.take(size) };
    } else if (type === 'S' && size > 0) {
      // GNU sparse: the data is the file's non-empty regions only; reading it as the file would be wrong
      onProblem({ message: 'GNU sparse member not read (extract the archive first)', offset: at, member: name });
    }
    const left = dataStart + padded - s.position;
    if (left > 0) await s.skip(left);
  }
}
