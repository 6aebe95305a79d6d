// A file found in a Startup folder, described for the state view: a shortcut is parsed, a script
// shows its first lines, an executable or anything else its size and (when the host computed it)
// SHA-256. What a file is comes from its content first (a shell link header, 'MZ'), then from its
// extension: a renamed executable is still an executable. Script text is bounded (the first
// SCRIPT_BYTES bytes, MAX_LINES lines of at most MAX_LINE_CHARS characters), decoded by BOM
// (UTF-8, UTF-16LE/BE), else as UTF-16LE when ASCII-looking text has a zero in every odd byte,
// else as UTF-8 when it is valid, else in the Windows code page; control characters are kept as
// data (the view escapes them), so an obfuscated script looks as it is.

import { problem, type Problem } from '../model/problems';
import { ansi, utf16le } from './lnk-read';
import { parseLnk, type ParsedLnk } from './lnk';
import { looksLikeShellLink } from './shell-link-header';

export const SCRIPT_BYTES = 64 * 1024;
export const MAX_LINES = 20;
export const MAX_LINE_CHARS = 1024;

export type ScriptLanguage = 'batch' | 'vbscript' | 'jscript' | 'powershell' | 'wsf' | 'hta' | 'url';

const SCRIPT_EXTENSIONS: Readonly<Record<string, ScriptLanguage>> = {
  bat: 'batch', cmd: 'batch', vbs: 'vbscript', vbe: 'vbscript', js: 'jscript', jse: 'jscript',
  ps1: 'powershell', wsf: 'wsf', hta: 'hta', url: 'url',
};

export type TextEncodingName = 'utf-8' | 'utf-8-bom' | 'utf-16le' | 'utf-16be' | 'ansi';

interface ItemBase {
  name: string;
  /** Size in bytes of the file. */
  size: number;
  /** Lower-case hex SHA-256, when the host gave one. */
  sha256?: string;
  problems: Problem[];
}
export interface ShortcutItem extends ItemBase {
  kind: 'shortcut';
  lnk: ParsedLnk;
}
export interface ScriptItem extends ItemBase {
  kind: 'script';
  language: ScriptLanguage;
  encoding: TextEncodingName;
  /** The first lines, as written (no line terminators). */
  lines: string[];
  /** More text follows what `lines` shows (more lines, a longer line, or bytes past SCRIPT_BYTES). */
  truncated: boolean;
  /** An Internet shortcut's URL= in [InternetShortcut]. */
  url?: string;
}
export interface ExecutableItem extends ItemBase {
  kind: 'executable';
}
export interface OtherItem extends ItemBase {
  kind: 'other';
}
export type StartupItem = ShortcutItem | ScriptItem | ExecutableItem | OtherItem;

export interface StartupFile {
  /** The file name (or path: only the part after the last separator is used for the extension). */
  name: string;
  bytes: Uint8Array;
  /** Precomputed by the host (hashing is not the engine's job). */
  sha256?: string;
  /** The evidence file as problems name it; defaults to name. */
  file?: string;
}

function extensionOf(name: string): string {
  const base = name.slice(Math.max(name.lastIndexOf('\\'), name.lastIndexOf('/')) + 1);
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(dot + 1).toLowerCase() : '';
}

let utf8Strict: TextDecoder | undefined;
let utf16be: TextDecoder | undefined;

/** Text of the first bytes: by BOM, else UTF-8 when valid (a multi-byte character cut by the bound is allowed), else ANSI. */
export function decodeScriptText(bytes: Uint8Array, cut: boolean): { text: string; encoding: TextEncodingName } {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return { text: new TextDecoder('utf-8').decode(bytes.subarray(3)), encoding: 'utf-8-bom' };
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { text: utf16le(bytes.subarray(2, 2 + ((bytes.length - 2) & ~1))), encoding: 'utf-16le' };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) {
    utf16be ??= new TextDecoder('utf-16be', { ignoreBOM: true });
    return { text: utf16be.decode(bytes.subarray(2, 2 + ((bytes.length - 2) & ~1))), encoding: 'utf-16be' };
  }
  if (looksLikeUtf16le(bytes)) return { text: utf16le(bytes.subarray(0, bytes.length & ~1)), encoding: 'utf-16le' };
  utf8Strict ??= new TextDecoder('utf-8', { fatal: true });
  // when the bound cut the file, up to 3 trailing bytes may be a character's start
  for (let drop = 0; drop <= (cut ? Math.min(3, bytes.length) : 0); drop++) {
    const text = tryDecode(utf8Strict, bytes.subarray(0, bytes.length - drop));
    if (text !== undefined) return { text, encoding: 'utf-8' };
  }
  return { text: ansi(bytes), encoding: 'ansi' };
}

/**
 * UTF-16LE without a BOM (Out-File in Windows PowerShell writes one, other tools do not): ASCII
 * text has a zero in every odd byte. Checked on the first 64 code units; NULs in even bytes too
 * mean binary, not text.
 */
function looksLikeUtf16le(bytes: Uint8Array): boolean {
  const n = Math.min(bytes.length >> 1, 64);
  if (n < 4) return false;
  for (let i = 0; i < n; i++) if (bytes[2 * i + 1] !== 0 || bytes[2 * i] === 0) return false;
  return true;
}

function tryDecode(d: TextDecoder, b: Uint8Array): string | undefined {
  try {
    return d.decode(b);
  } catch (e) {
    if (e instanceof TypeError) return undefined; // invalid UTF-8: the caller falls back to ANSI
    throw e;
  }
}

function firstLines(text: string, more: boolean): { lines: string[]; truncated: boolean } {
  const lines: string[] = [];
  let truncated = more;
  let p = 0;
  while (p < text.length) {
    if (lines.length === MAX_LINES) {
      truncated = true;
      break;
    }
    let end = p;
    while (end < text.length && text[end] !== '\n' && text[end] !== '\r') end++;
    let line = text.slice(p, end);
    if (line.length > MAX_LINE_CHARS) {
      line = line.slice(0, MAX_LINE_CHARS);
      truncated = true;
    }
    lines.push(line);
    p = end < text.length && text[end] === '\r' && text[end + 1] === '\n' ? end + 2 : end + 1;
  }
  return { lines, truncated };
}

/** URL= inside [InternetShortcut] (case-insensitive), the first one. */
function internetShortcutUrl(text: string): string | undefined {
  let inSection = false;
  for (const raw of text.split(/\r\n|\n|\r/)) {
    const line = raw.trim();
    if (line.startsWith('[')) inSection = line.toLowerCase() === '[internetshortcut]';
    else if (inSection && /^url\s*=/i.test(line)) return line.slice(line.indexOf('=') + 1).trim();
  }
  return undefined;
}

function describeScript(base: ItemBase, language: ScriptLanguage, bytes: Uint8Array): ScriptItem {
  const cut = bytes.length > SCRIPT_BYTES;
  const { text, encoding } = decodeScriptText(bytes.subarray(0, SCRIPT_BYTES), cut);
  const { lines, truncated } = firstLines(text, cut);
  const out: ScriptItem = { ...base, kind: 'script', language, encoding, lines, truncated };
  if (language === 'url') out.url = internetShortcutUrl(text);
  return out;
}

export function describeStartupItem(input: StartupFile): StartupItem {
  const { name, bytes } = input;
  const file = input.file ?? name;
  const problems: Problem[] = [];
  let sha256: string | undefined;
  if (input.sha256 !== undefined) {
    if (/^[0-9a-fA-F]{64}$/.test(input.sha256)) sha256 = input.sha256.toLowerCase();
    else problems.push(problem('BAD_VALUE', 'warning', file, 'the SHA-256 given for this file is not 64 hex digits; left out'));
  }
  const base: ItemBase = { name, size: bytes.length, sha256, problems };
  const ext = extensionOf(name);
  const isMz = bytes.length >= 2 && bytes[0] === 0x4d && bytes[1] === 0x5a;
  // a .lnk that is no shell link (and no executable) is still read as one: its BAD_MAGIC is the finding
  if (looksLikeShellLink(bytes) || (ext === 'lnk' && !isMz)) {
    const lnk = parseLnk(bytes, file);
    problems.push(...lnk.problems);
    return { ...base, kind: 'shortcut', lnk };
  }
  if (isMz) return { ...base, kind: 'executable' };
  const language = SCRIPT_EXTENSIONS[ext];
  if (language) return describeScript(base, language, bytes);
  if (ext === 'exe' || ext === 'scr' || ext === 'com' || ext === 'pif' || ext === 'dll') return { ...base, kind: 'executable' };
  return { ...base, kind: 'other' };
}
