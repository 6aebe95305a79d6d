// Command lines that write an autostart location, for hosts without registry auditing. The reading
// itself is shared/shell's (issue #19): each program's arguments read as that program reads them
// (CommandLineToArgvW, cmd.exe /c, powershell.exe -Command / -EncodedCommand, a PowerShell
// evaluator for the write forms, reg.exe, wmic, mshta ...). This module keeps what the hot path
// needs: a cheap pre-filter, so a start that names no autostart location, no write tool and no
// hidden (encoded, concatenated) script costs one or two regex tests, and the caches below. Odd
// quoting yields fewer facts, never a throw.

import { deobfuscateCmd } from './encoded-powershell';
import { StringCache } from './collections';
import { readCommandLine } from '../shell';
import type { CommandLineWrite } from '../shell';

export type { CommandLineWrite } from '../shell';

/** Words a line must hold for any write to be read off it in plain text. */
const WRITE_WORDS = /run|winlogon|startup|shell folders|bootexecute|session manager|rdpwd|bootverification|windows nt|reg(\.exe)?["']?\s+import|regedit|secedit|inprocserver32|\\shell\\|stdregprov|regwrite/i;
/** A script host or PowerShell whose script may hide those words (Base64, concatenation, escapes, char codes). */
const SCRIPT_HOST = /powershell|pwsh|mshta|rundll32|wscript|cscript|\bcmd\b/i;
const HIDDEN = /\s[-/\u2013\u2014]e[a-z]*\s|frombase64|\+|-f\s|-join|-replace|\[char|iex|invoke-expression|`|%[a-z_]+%/i;

/** Whether a line can make a write at all: most process starts cannot, and this is all they cost. */
export function mayWriteAutostart(commandLine: string): boolean {
  // carets and doubled quotes hide words from cmd's reader's view only: undo them for the test
  const plain = commandLine.includes('^') || commandLine.includes('""') ? deobfuscateCmd(commandLine) : commandLine;
  if (WRITE_WORDS.test(plain)) return true;
  return SCRIPT_HOST.test(plain) && HIDDEN.test(plain);
}

/**
 * Every autostart write a process command line makes (usually none). Cached: a log repeats most
 * command lines many times (see StringCache). The result is shared and frozen.
 */
export function commandLineWrites(commandLine: string | undefined): readonly CommandLineWrite[] {
  if (!commandLine) return NO_WRITES;
  return memoWrites.get(commandLine, writesBehind);
}

const NO_WRITES: readonly CommandLineWrite[] = Object.freeze([]);
const memoWrites = new StringCache<readonly CommandLineWrite[]>();
/**
 * Behind memoWrites, keyed by the whole line: the lines its pairs drop. A service starting with
 * lines alike in length and in the sampled characters (SearchProtocolHost's differ only in two
 * pipe numbers) shares one pair between dozens of lines: on the bench's fleet, 1,728 distinct lines
 * were read 8,574 times. The EVTX reader hands out a repeated value as one string, whose hash is then
 * worked out once. Cleared when full, so memory stays bounded.
 */
const seenWrites = new Map<string, readonly CommandLineWrite[]>();
const SEEN_WRITES_LIMIT = 16384;

function writesBehind(commandLine: string): readonly CommandLineWrite[] {
  let w = seenWrites.get(commandLine);
  if (w === undefined) {
    if (seenWrites.size >= SEEN_WRITES_LIMIT) seenWrites.clear();
    seenWrites.set(commandLine, (w = writesOf(commandLine)));
  }
  return w;
}

function writesOf(commandLine: string): readonly CommandLineWrite[] {
  const w = findWrites(commandLine);
  return w.length ? Object.freeze(w.map((x) => Object.freeze(x))) : NO_WRITES;
}

function findWrites(commandLine: string): CommandLineWrite[] {
  if (!mayWriteAutostart(commandLine)) return [];
  return readCommandLine(commandLine).writes;
}
