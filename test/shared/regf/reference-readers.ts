// Runs Debian's reglookup and libregf's regfexport on a hive and puts their output and ours in
// one comparable form. Both tools print their own way, so each side is normalized:
// - reglookup converts names and strings to US-ASCII and, when that fails (any character past
//   U+007F), prints the bytes as stored instead (Latin-1 for compressed names, UTF-16LE
//   otherwise, a string's whole data with its NULs), %XX-quoted; it cuts an ASCII name or string
//   at its first NUL (C strings). Our names and strings are mapped the same way, then both sides
//   are compared byte for byte (hex). Keys are compared with their last-write second, owner SID
//   and class name (reglookup -s).
// - regfexport prints key paths with the root key's name and every value's type, data size and
//   data; it is compared on paths, names, types and sizes, and on the bytes of hex-dumped data.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { Hive, RegKey, RegValue } from '../../../shared/regf/hive';

export const HAVE_REGLOOKUP = existsSync('/usr/bin/reglookup');
export const HAVE_REGFEXPORT = existsSync('/usr/bin/regfexport');

const RL_TYPES = ['NONE', 'SZ', 'EXPAND_SZ', 'BINARY', 'DWORD', 'DWORD_BE', 'LINK', 'MULTI_SZ', 'RSRC_LIST', 'RSRC_DESC', 'RSRC_REQ_LIST', 'QWORD'];

const hex = (b: Uint8Array | number[]): string => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');

/** reglookup's %XX quoting undone: the bytes it printed (reglookup-recover quotes the same way). */
export function unquote(s: string): number[] {
  const out: number[] = [];
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '%' && /^[0-9A-Fa-f]{2}$/.test(s.slice(i + 1, i + 3))) {
      out.push(parseInt(s.slice(i + 1, i + 3), 16));
      i += 2;
    } else out.push(s.charCodeAt(i));
  }
  return out;
}

function asciiCut(s: string): number[] | undefined {
  const out: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x80) return undefined;
    if (c === 0) break;
    out.push(c);
  }
  return out;
}

function utf16le(s: string): number[] {
  const out: number[] = [];
  for (let i = 0; i < s.length; i++) out.push(s.charCodeAt(i) & 0xff, s.charCodeAt(i) >> 8);
  return out;
}

/** A name as reglookup prints it: ASCII up to a NUL, else its stored bytes. */
function rlName(name: string, comp: boolean): string {
  const a = asciiCut(name);
  if (a) return hex(a);
  return hex(comp ? Array.from(name, (c) => c.charCodeAt(0)) : utf16le(name));
}

export interface RegLookupRun {
  /** Normalized lines, sorted. */
  lines: string[];
  /** Values whose data reglookup could not interpret and printed raw (from its warnings). */
  raw: number;
}

export function reglookupLines(path: string): RegLookupRun {
  // -s adds owner, group, SACL, DACL and class name columns: owner and class are compared
  const r = spawnSync('reglookup', ['-H', '-s', path], { maxBuffer: 1 << 30, encoding: 'latin1' });
  const rawPaths = new Set<string>();
  for (const m of r.stderr.matchAll(/While quoting value for '([^']*)', warning returned: Data could not be interpreted/g)) rawPaths.add(m[1]);
  const lines: string[] = [];
  for (const line of r.stdout.split('\n')) {
    if (line === '') continue;
    const f = line.split(',');
    const [path, type, data, mtime, owner] = f;
    const cls = f[8] ?? '';
    const parts = path.split('/').slice(1);
    if (type === 'KEY') {
      const comps = path === '/' ? [] : parts;
      lines.push(`K ${comps.map((c) => hex(unquote(c))).join('/')} ${mtime} ${owner} ${hex(unquote(cls))}`);
      continue;
    }
    const name = parts.pop() ?? '';
    const keyPath = parts.map((c) => hex(unquote(c))).join('/');
    let d: string;
    // a value of size 0 has no data to print: reglookup's printf gets NULL and writes "(null)"
    if (data === '(null)') d = 'empty';
    else if (rawPaths.has(path)) d = 'raw:' + hex(unquote(data));
    else if (type === 'MULTI_SZ') d = 'multi:' + (data === '' ? '' : data.split('|').map((x) => hex(unquote(x))).join('|'));
    else if (type === 'DWORD' || type === 'DWORD_BE' || type === 'QWORD') d = 'num:' + data;
    else d = (type === 'SZ' || type === 'EXPAND_SZ' || type === 'LINK' ? 'str:' : 'bytes:') + hex(unquote(data));
    lines.push(`V ${keyPath} ${hex(unquote(name))} ${type} ${d}`);
  }
  lines.sort();
  return { lines, raw: rawPaths.size };
}

function rlType(type: number): string {
  return RL_TYPES[type] ?? '0x' + type.toString(16).toUpperCase().padStart(8, '0');
}

/** reglookup's MTIME: seconds; a FILETIME of 0 goes through time_t as 0 and prints as 1970. */
function mtime(iso: string): string {
  if (iso === '1601-01-01T00:00:00.0000000Z') return '1970-01-01 00:00:00';
  return iso.slice(0, 10) + ' ' + iso.slice(11, 19);
}

function allAsciiUnits(b: Uint8Array): boolean {
  if (b.length % 2 !== 0) return false;
  for (let i = 0; i < b.length; i += 2) if (b[i] >= 0x80 || b[i + 1] !== 0) return false;
  return true;
}

/** Whether reglookup (regfi) interprets this value's data, or prints it raw. */
function rlInterprets(v: RegValue, bytes: Uint8Array): boolean {
  switch (v.type) {
    case 1: case 2: case 6: case 7:
      // regfi converts the whole data with iconv, NULs and what follows the terminator included
      return allAsciiUnits(bytes);
    case 4: case 5:
      return bytes.length === 4;
    case 11:
      return bytes.length === 8;
    case 0: case 3: case 8: case 9: case 10:
      return true;
    default:
      return false;
  }
}

/** Our walk of the hive, in reglookup's normalized form. */
export function ourReglookupLines(hive: Hive): string[] {
  const lines: string[] = [];
  const pathOf = new Map<number, string>();
  hive.walk((k: RegKey) => {
    const parent = k.path === '' ? undefined : pathOf.get(k.listedUnder);
    const p = k.path === '' ? '' : (parent === undefined || parent === '' ? '' : parent + '/') + rlName(k.name, k.node.compName);
    pathOf.set(k.cell, p);
    const cls = hive.className(k);
    lines.push(`K ${p} ${mtime(k.lastWritten)} ${hive.ownerSid(k) ?? ''} ${cls === undefined ? '' : rlName(cls, false)}`);
    for (const v of hive.values(k)) {
      const decoded = hive.valueData(v);
      const bytes = hive.valueBytes(v);
      const t = rlType(v.type);
      let d: string;
      if (bytes.length === 0) d = 'empty';
      // a string "(null)" prints as an empty value does
      else if ((decoded.kind === 'string' && decoded.text === '(null)') || (decoded.kind === 'strings' && decoded.items.join('|') === '(null)')) d = 'empty';
      else if (!rlInterprets(v, bytes)) d = 'raw:' + hex(bytes);
      else if (decoded.kind === 'string') d = 'str:' + hex(asciiCut(decoded.text) ?? []);
      // regfi leaves out the empty items inside a list, which we keep (PendingFileRenameOperations)
      else if (decoded.kind === 'strings') d = 'multi:' + decoded.items.filter((s) => s !== '').map((s) => hex(asciiCut(s) ?? [])).join('|');
      else if (decoded.kind === 'number') d = 'num:0x' + decoded.value.toString(16).toUpperCase().padStart(8, '0');
      else if (decoded.kind === 'qword') d = 'num:0x' + decoded.value.toString(16).toUpperCase().padStart(16, '0');
      else d = 'bytes:' + hex(bytes);
      lines.push(`V ${p} ${rlName(v.name, v.compName)} ${t} ${d}`);
    }
  });
  lines.sort();
  return lines;
}

/** Lines only one side has, each side's first few, and the counts. */
export function diffSorted(a: string[], b: string[], max = 5): { onlyA: string[]; onlyB: string[]; countA: number; countB: number } {
  const ca = new Map<string, number>();
  for (const l of a) ca.set(l, (ca.get(l) ?? 0) + 1);
  const onlyB: string[] = [];
  let countB = 0;
  for (const l of b) {
    const n = ca.get(l) ?? 0;
    if (n > 0) ca.set(l, n - 1);
    else {
      countB++;
      if (onlyB.length < max) onlyB.push(l);
    }
  }
  const onlyA: string[] = [];
  let countA = 0;
  for (const [l, n] of ca) {
    if (n === 0) continue;
    countA += n;
    if (onlyA.length < max) onlyA.push(l);
  }
  return { onlyA, onlyB, countA, countB };
}

export { execFileSync };

const REGF_TYPES: Record<string, number> = {
  REG_NONE: 0, REG_SZ: 1, REG_EXPAND_SZ: 2, REG_BINARY: 3, REG_DWORD_LITTLE_ENDIAN: 4, REG_DWORD_BIG_ENDIAN: 5, REG_LINK: 6,
  REG_MULTI_SZ: 7, REG_RESOURCE_LIST: 8, REG_FULL_RESOURCE_DESCRIPTOR: 9, REG_RESOURCE_REQUIREMENTS_LIST: 10, REG_QWORD_LITTLE_ENDIAN: 11,
};

/**
 * One value line. Two systematic differences of regfexport 20201007 are taken out: for strings
 * it prints its own size (trailing NULs trimmed, odd sizes rounded up), so strings are compared
 * by text (up to the first line break, which ends its line); and it prints inline data of 1-3
 * bytes shifted (42 5a 68 as 5a 68 00; reglookup prints them as stored, as we do), so those are
 * compared by type and size only.
 */
function regfexportLine(path: string, name: string, type: number, size: number, data: string): string {
  if (type === 1 || type === 2 || type === 6) return `V ${path} ${name} ${type} - ${data.split('\n')[0].split('\r')[0]}`;
  if (size > 0 && size < 4) return `V ${path} ${name} ${type} ${size} inline`;
  return `V ${path} ${name} ${type} ${size} ${data}`;
}

/**
 * regfexport's keys and values as `K path` and `V path name type size data` lines, sorted: the
 * path without the root key's name, the type as a number, the data as hex where it is hex-dumped
 * and as printed otherwise (strings up to their NUL, integers in decimal).
 */
export function regfexportLines(path: string): string[] {
  const out = execFileSync('regfexport', [path], { maxBuffer: 1 << 30, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  const lines: string[] = [];
  let keyPath = '';
  let v: { name: string; type: number; size: number; data: string; dump: number[] } | undefined;
  const flush = () => {
    if (v) lines.push(regfexportLine(keyPath, v.name, v.type, v.size, v.dump.length > 0 ? 'hex:' + hex(v.dump) : 'text:' + v.data));
    v = undefined;
  };
  for (const line of out.split('\n')) {
    if (line.startsWith('Key path: ')) {
      flush();
      const p = line.slice(10);
      const i = p.indexOf('\\');
      keyPath = i < 0 ? '' : p.slice(i + 1);
      lines.push(`K ${keyPath}`);
    } else if (line.startsWith('Value: ')) {
      flush();
      const rest = line.slice(7);
      const name = rest.slice(rest.indexOf(' ') + 1);
      v = { name: name === '(default)' ? '' : name, type: -1, size: 0, data: '', dump: [] };
    } else if (v && line.startsWith('Type: ')) {
      const m = /\((REG_[A-Z_]+)\)$/.exec(line);
      const u = /unknown: 0x([0-9a-f]+)/.exec(line);
      v.type = m ? REGF_TYPES[m[1]] : u ? parseInt(u[1], 16) : -2;
    } else if (v && line.startsWith('Data size: ')) v.size = Number(line.slice(11));
    else if (v && line.startsWith('Data: ')) v.data = line.slice(6);
    else if (v && /^[0-9a-f]{8}: /.test(line)) {
      for (const h of line.slice(10, 58).trim().split(/\s+/)) if (/^[0-9a-f]{2}$/.test(h)) v.dump.push(parseInt(h, 16));
    }
  }
  flush();
  lines.sort();
  return lines;
}

/** Our walk in regfexport's form (strings and integers as it prints them when it does not dump). */
export function ourRegfexportLines(hive: Hive, dumped: (type: number) => boolean): string[] {
  const lines: string[] = [];
  hive.walk((k) => {
    lines.push(`K ${k.path}`);
    for (const v of hive.values(k)) {
      const decoded = hive.valueData(v);
      const bytes = hive.valueBytes(v);
      let d: string;
      if (bytes.length > 0 && dumped(v.type)) d = 'hex:' + hex(bytes);
      // a string without its terminator (or with an odd byte): regfexport reads on past the data
      // size into the cell's slack, up to a NUL there, so ours must be a prefix of what it prints
      else if (decoded.kind === 'string') d = (bytes.length % 2 !== 0 || decoded.text.length * 2 === bytes.length ? 'prefix:' : 'text:') + decoded.text;
      else if (decoded.kind === 'number') d = 'text:' + decoded.value;
      else if (decoded.kind === 'qword') d = 'text:' + decoded.value.toString();
      else d = 'text:';
      lines.push(regfexportLine(k.path, v.name, v.type, v.size, d));
    }
  });
  lines.sort();
  return lines;
}

/**
 * Lines of ours that regfexport's do not match: equal lines, or an unterminated string of ours
 * (`prefix:`) that the text regfexport printed for the same value starts with. Returns the
 * unmatched lines of each side.
 */
export function diffRegfexport(ours: string[], theirs: string[]): { onlyOurs: string[]; onlyTheirs: string[] } {
  const left = new Map<string, string[]>();
  const headOf = (l: string) => l.slice(0, l.lastIndexOf(' - ') >= 0 ? l.lastIndexOf(' - ') : l.length);
  for (const l of theirs) {
    const h = headOf(l);
    const a = left.get(h);
    if (a) a.push(l);
    else left.set(h, [l]);
  }
  const onlyOurs: string[] = [];
  for (const l of ours) {
    const h = headOf(l);
    const cands = left.get(h) ?? [];
    let i = cands.indexOf(l);
    const p = l.indexOf(' - prefix:');
    if (i < 0 && p >= 0) {
      const text = l.slice(p + 10);
      i = cands.findIndex((c) => c.slice(c.indexOf(' - text:') + 8).startsWith(text));
    }
    if (i < 0) onlyOurs.push(l);
    else cands.splice(i, 1);
  }
  const onlyTheirs = [...left.values()].flat();
  return { onlyOurs, onlyTheirs };
}
