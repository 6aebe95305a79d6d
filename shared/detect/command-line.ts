// Command lines that write an autostart location, for hosts without registry auditing: reg.exe add /
// import, secedit /configure, PowerShell Set-ItemProperty / New-ItemProperty / New-Item / sp, WMI
// StdRegProv, and writes of files or shortcuts into a Startup folder. Reading a command line is
// heuristic: we only claim a write when a write verb and a catalog location are both present; reads
// (reg query), deletions and plain executions of a Startup file are not writes. Odd quoting yields
// fewer facts, never a throw.

import { matchRegistryKey, matchRegistryLocation, matchStartupFile, type AutostartLocation } from './catalog';
import { canonicalRegistryPath } from '../model/registry-path';
import { deobfuscateCmd } from './encoded-powershell';
import { StringCache } from './collections';

export interface CommandLineWrite {
  kind: 'registry' | 'startup-file' | 'reg-import' | 'security-template';
  location?: AutostartLocation;
  registryKey?: string;
  valueName?: string;
  /** The data the command writes, when it can be read off the command line. */
  data?: string;
  /** For startup-file: the file written in the Startup folder. */
  targetFile?: string;
  /** The part of the command line that names the location. */
  matched: string;
}

const REG_WRITE_VERB = /\b(reg(?:\.exe)?["']?\s+add|set-itemproperty|new-itemproperty|set-item|new-item|\bsp\s|setstringvalue|setexpandedstringvalue|setmultistringvalue|setdwordvalue|\.setvalue\s*\(|regwrite|\[microsoft\.win32\.registry\])/i;
const STARTUP_WRITE_VERB = /\b(copy|xcopy|robocopy|move|copy-item|move-item|cpi|cp|mv|out-file|set-content|add-content|new-item|createshortcut|invoke-webrequest|iwr|wget|curl|start-bitstransfer|downloadfile|-urlcache|\/transfer|mklink|echo|type)\b|>/i;

/** Registry paths spelled in a command line: HKCU\..., HKEY_LOCAL_MACHINE\..., HKLM:\..., Registry::... */
const REG_PATH_RE = /(?:registry::)?\b(hkey_local_machine|hkey_current_user|hkey_users|hkey_classes_root|hklm|hkcu|hku|hkcr)(:?\\[^"'\r\n]*?)(?=["']|\s+\/[a-z]{1,2}\b|\s+-[a-z]+\b|\s*$|\s*[;|)])/gi;

function unquote(s: string): string {
  return s.trim().replace(/^(["'`])(.*)\1$/s, '$2').replace(/`"/g, '"');
}

/** The argument after a switch, quoted or not: /v "Name", -Name 'x', -Value "...". */
function argAfter(cmd: string, switches: RegExp): string | undefined {
  const m = new RegExp(`(?:^|\\s)(?:${switches.source})\\s+("(?:[^"\\\\]|\\\\.|\`")*"|'[^']*'|[^\\s]+)`, 'i').exec(cmd);
  return m ? unquote(m[1]) : undefined;
}

/** PowerShell variables assigned in the same command: $RunKey = "HKCU:\...". */
function psVariables(cmd: string): Map<string, string> {
  const vars = new Map<string, string>();
  const re = /\$([a-z_][a-z0-9_]*)\s*=\s*("[^"]*"|'[^']*')/gi;
  let m: RegExpExecArray | null;
  while ((m = re.exec(cmd)) !== null) vars.set(m[1].toLowerCase(), unquote(m[2]));
  return vars;
}

function regWrites(cmd: string): CommandLineWrite[] {
  if (!REG_WRITE_VERB.test(cmd)) return [];
  const out: CommandLineWrite[] = [];
  const vars = psVariables(cmd);
  const isReg = /\breg(?:\.exe)?["']?\s+add\b/i.test(cmd);
  const valueName = isReg
    ? /(?:^|\s)\/ve\b/i.test(cmd) ? '(Default)' : argAfter(cmd, /\/v/)
    : argAfter(cmd, /-name|-n/) ?? positionalPsName(cmd);
  const data = isReg ? argAfter(cmd, /\/d/) : argAfter(cmd, /-value|-val/) ?? positionalPsValue(cmd);
  const paths: string[] = [];
  let m: RegExpExecArray | null;
  const re = new RegExp(REG_PATH_RE.source, 'gi');
  while ((m = re.exec(cmd)) !== null) paths.push(m[1] + m[2]);
  for (const [, v] of vars) if (/^(registry::)?hk/i.test(v)) paths.push(v);
  // WMI StdRegProv: the hive is a number or &H8000000x, the key has no hive
  if (/stdregprov/i.test(cmd)) {
    const hive = /(?:&h80000001|2147483649)/i.test(cmd) ? 'HKCU' : 'HKLM';
    const sub = argAfter(cmd, /ssubkeyname\s*=/) ?? /["'](software\\[^"']+)["']/i.exec(cmd)?.[1];
    if (sub) paths.push(`${hive}\\${sub}`);
  }
  const seen = new Set<string>();
  for (const raw of paths) {
    const key = canonicalRegistryPath(raw.replace(/\\+$/, '').trim());
    if (seen.has(key.toLowerCase())) continue;
    seen.add(key.toLowerCase());
    const loc = matchRegistryLocation(key, valueName) ?? (valueName === undefined ? undefined : undefined);
    const keyOnly = loc ? undefined : matchRegistryKey(key);
    const found = loc?.location ?? (keyOnly && !keyOnly.values ? keyOnly : undefined);
    if (!found) continue;
    out.push({ kind: 'registry', location: found, registryKey: key, valueName, data, matched: raw });
  }
  return out;
}

/** set-itemproperty $key "Name" 'Value' — PowerShell's positional -Path -Name -Value. */
function positionalPsName(cmd: string): string | undefined {
  const m = /\b(?:set-itemproperty|new-itemproperty|sp)\s+(?:-path\s+)?("[^"]*"|'[^']*'|\$\w+|\S+)\s+("[^"]*"|'[^']*'|[^\s-]\S*)/i.exec(cmd);
  return m ? unquote(m[2]) : undefined;
}

function positionalPsValue(cmd: string): string | undefined {
  const m = /\b(?:set-itemproperty|new-itemproperty|sp)\s+(?:-path\s+)?("[^"]*"|'[^']*'|\$\w+|\S+)\s+("[^"]*"|'[^']*'|[^\s-]\S*)\s+("(?:[^"`]|`.)*"|'[^']*'|[^\s-]\S*)/i.exec(cmd);
  return m ? unquote(m[3]) : undefined;
}

/** A Startup folder named in a command line (case-insensitive, without a lower-cased copy of the line). */
const STARTUP_MENTION = /\\start menu\\programs\\startup|shell:(common )?startup/i;

function startupWrites(cmd: string): CommandLineWrite[] {
  if (!STARTUP_MENTION.test(cmd) || !STARTUP_WRITE_VERB.test(cmd)) return [];
  // the last Startup-folder path is the destination of copy / move / out-file
  const re = /((?:[a-z]:|%[a-z]+%|\$env:[a-z]+|\$home|\\\\[^\\\s"']+)[^"'<>|\r\n]*?\\start menu\\programs\\startup(?:\\[^"'<>|\r\n;]*[^"'<>|\r\n;\s])?)/gi;
  let m: RegExpExecArray | null;
  let last: string | undefined;
  let first: number | undefined;
  while ((m = re.exec(cmd)) !== null) {
    last = m[1];
    first ??= m.index;
  }
  if (last === undefined) return [{ kind: 'startup-file', matched: /shell:(common )?startup/i.exec(cmd)?.[0] ?? 'startup' }];
  // a script host or mshta given a Startup file as its first argument runs it; it does not write it
  const before = cmd.slice(0, first ?? 0);
  if (/\b(mshta|wscript|cscript|cmd|rundll32|start-process|start)(\.exe)?["']?\s*(\/[a-z]:\S+\s*)*["']?\s*$/i.test(before) && !/copy|move|out-file|set-content|createshortcut|>/i.test(cmd)) return [];
  const file = matchStartupFile(last.replace(/[\\"]+$/, ''));
  return [{ kind: 'startup-file', targetFile: last, matched: last, ...(file ? {} : {}) }];
}

function regImports(cmd: string): CommandLineWrite[] {
  const m = /\breg(?:\.exe)?["']?\s+import\s+("[^"]+"|\S+)/i.exec(cmd);
  return m ? [{ kind: 'reg-import', data: unquote(m[1]), matched: m[0] }] : [];
}

/**
 * secedit /configure applies a security template, whose [Registry Values] section can set any value
 * (the Atomic test writes a Run key this way). The template is named by /cfg (often on the /import
 * before it, in the same cmd /c line), else the database by /db.
 */
function securityTemplates(cmd: string): CommandLineWrite[] {
  if (!/secedit/i.test(cmd)) return [];
  // one command of a chain (a & b, a | b, a; b) at a time: linear however often "secedit" repeats
  const configure = cmd.split(/[&|;\r\n]/).find((c) => /\bsecedit(?:\.exe)?["']?\s/i.test(c) && /\s\/configure\b/i.test(c));
  if (configure === undefined) return [];
  const template = argAfter(cmd, /\/cfg/) ?? argAfter(cmd, /\/db/);
  const matched = configure.trim();
  return [template === undefined ? { kind: 'security-template', matched } : { kind: 'security-template', data: template, matched }];
}

const WRITE_WORDS = /run|winlogon|startup|shell folders|bootexecute|session manager|rdpwd|bootverification|windows nt|reg(\.exe)?["']?\s+import|secedit|inprocserver32|\\shell\\/i;

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
  // carets and doubled quotes are the only things deobfuscateCmd removes: skip it (two regex
  // passes and a copy per process start) on the common command line that has neither
  const cmd = commandLine.includes('^') || commandLine.includes('""') ? deobfuscateCmd(commandLine) : commandLine;
  // cheap pre-filter (case-insensitive, no lower-cased copy): nothing to see without one of these words
  if (!WRITE_WORDS.test(cmd)) return [];
  return [...regWrites(cmd), ...startupWrites(cmd), ...regImports(cmd), ...securityTemplates(cmd)];
}
