// Runs Debian's reglookup-recover on a hive and normalizes its CSV to (kind, file offset of the
// cell, name bytes): it prints names as US-ASCII or, past U+007F, as the bytes stored (Latin-1 or
// UTF-16LE), %XX-quoted, so a name matches ours when its bytes equal either encoding of ours.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { unquote } from './reference-readers';

export const HAVE_RECOVER = existsSync('/usr/bin/reglookup-recover');

export interface RecoveredEntry {
  kind: 'KEY' | 'VALUE';
  /** File offset of the record's cell. */
  offset: number;
  /** The name as printed, %XX quoting undone. */
  nameBytes: number[];
}

export function reglookupRecover(file: string): RecoveredEntry[] {
  const out = execFileSync('/usr/bin/reglookup-recover', ['-H', file], { encoding: 'latin1', maxBuffer: 256 * 1024 * 1024, stdio: ['ignore', 'pipe', 'ignore'] });
  const rows: RecoveredEntry[] = [];
  for (const line of out.split('\n')) {
    const f = line.split(',');
    if (f.length < 5 || (f[2] !== 'KEY' && f[2] !== 'VALUE') || !/^[0-9A-F]{8}$/.test(f[0])) continue;
    rows.push({ kind: f[2], offset: parseInt(f[0], 16), nameBytes: unquote(f[4]) });
  }
  return rows;
}

/** Whether reglookup's printed name bytes say `name` (ASCII, Latin-1 or UTF-16LE, cut at a NUL). */
export function sameName(printed: number[], name: string): boolean {
  const latin = Array.from(name, (c) => c.charCodeAt(0));
  const cut = name.indexOf('\0') >= 0 ? latin.slice(0, name.indexOf('\0')) : latin;
  const u16: number[] = [];
  for (let i = 0; i < name.length; i++) u16.push(name.charCodeAt(i) & 0xff, name.charCodeAt(i) >> 8);
  const eq = (a: number[]) => a.length === printed.length && a.every((x, i) => x === printed[i]);
  return eq(latin) || eq(cut) || eq(u16);
}
