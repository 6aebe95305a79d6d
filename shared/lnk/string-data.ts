// StringData (MS-SHLLINK 2.4): up to five counted strings, present as LinkFlags say, in a fixed
// order; UTF-16LE when IsUnicode, else the system code page. Counts are characters (u16), so one
// string is at most 128 KiB; a string that runs past the file ends StringData with TRUNCATED and
// the strings before it are kept (a cut string is not guessed at: its count is all we know).

import { u16 } from '../bytes/byte-reader';
import { ansi, note, utf16le, type LnkContext } from './lnk-read';
import { flag, type LinkFlagName } from './shell-link-header';

export interface StringData {
  /** NAME_STRING: the description. */
  name?: string;
  relativePath?: string;
  workingDir?: string;
  arguments?: string;
  iconLocation?: string;
}

const ORDER: readonly (readonly [LinkFlagName, keyof StringData])[] = [
  ['HasName', 'name'],
  ['HasRelativePath', 'relativePath'],
  ['HasWorkingDir', 'workingDir'],
  ['HasArguments', 'arguments'],
  ['HasIconLocation', 'iconLocation'],
];

/** The strings at off; `next` is where ExtraData starts, undefined when a string was cut. */
export function readStringData(buf: Uint8Array, off: number, linkFlags: number, ctx: LnkContext): { strings: StringData; next?: number } {
  const strings: StringData = {};
  const unicode = flag(linkFlags, 'IsUnicode');
  let p = off;
  for (const [bit, key] of ORDER) {
    if (!flag(linkFlags, bit)) continue;
    if (p + 2 > buf.length) {
      note(ctx, 'TRUNCATED', p, `StringData ${key}: the file ends before its CountCharacters`);
      return { strings };
    }
    const count = u16(buf, p, 'CountCharacters');
    const bytes = unicode ? count * 2 : count;
    if (p + 2 + bytes > buf.length) {
      note(ctx, 'TRUNCATED', p, `StringData ${key}: ${count} characters run past the end of the file`);
      return { strings };
    }
    const raw = buf.subarray(p + 2, p + 2 + bytes);
    strings[key] = unicode ? utf16le(raw) : ansi(raw);
    p += 2 + bytes;
  }
  return { strings, next: p };
}
