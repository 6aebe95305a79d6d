// Windows path helpers for detection: environment-variable expansion, classification of folders
// (user-writable, temp, network), extraction of the payload path from a value or command line.
// Everything works on lower-cased copies for matching and never throws: odd input just yields
// fewer facts.

/** Environment variables we expand for matching; per-user ones use a placeholder user folder. */
const ENV_VARS: Readonly<Record<string, string>> = {
  appdata: 'c:\\users\\<user>\\appdata\\roaming',
  localappdata: 'c:\\users\\<user>\\appdata\\local',
  temp: 'c:\\users\\<user>\\appdata\\local\\temp',
  tmp: 'c:\\users\\<user>\\appdata\\local\\temp',
  userprofile: 'c:\\users\\<user>',
  homepath: '\\users\\<user>',
  public: 'c:\\users\\public',
  programdata: 'c:\\programdata',
  allusersprofile: 'c:\\programdata',
  programfiles: 'c:\\program files',
  'programfiles(x86)': 'c:\\program files (x86)',
  programw6432: 'c:\\program files',
  commonprogramfiles: 'c:\\program files\\common files',
  'commonprogramfiles(x86)': 'c:\\program files (x86)\\common files',
  systemroot: 'c:\\windows',
  windir: 'c:\\windows',
  systemdrive: 'c:',
};

/**
 * Lower-case and expand %VAR% / %%VAR%% (doubled by some exporters) / $env:VAR forms. When the
 * user profile is known (e.g. from the event's user), `<user>` is replaced by it.
 */
export function expandEnv(value: string, userName?: string): string {
  const user = (userName ?? '<user>').toLowerCase().replace(/^.*\\/, '');
  const sub = (name: string, orig: string) => {
    const v = ENV_VARS[name.toLowerCase()];
    return v === undefined ? orig : v.replace('<user>', user);
  };
  return value
    .toLowerCase()
    .replace(/%%?([a-z0-9_()]+)%%?/gi, (m, n: string) => sub(n, m))
    .replace(/\$env:([a-z0-9_()]+)/gi, (m, n: string) => sub(n, m))
    .replace(/\$home\b/gi, () => `c:\\users\\${user}`);
}

export interface FolderClass {
  id: string;
  label: string;
  weight: number;
}

/**
 * Folders an ordinary user (or anyone) can write, and other odd places for an autostart payload,
 * most specific first. Patterns run on expanded, lower-cased paths.
 */
export const FOLDER_CLASSES: ReadonlyArray<readonly [RegExp, FolderClass]> = [
  [/\\\$recycle\.bin\\|\\recycler\\/, { id: 'recycle-bin', label: 'the Recycle Bin', weight: 40 }],
  [/\\appdata\\local\\temp\\|\\windows\\temp\\|^temp\\|\\temp\\|\\tmp\\/, { id: 'temp', label: 'a temporary folder', weight: 35 }],
  [/\\perflogs\\/, { id: 'perflogs', label: 'C:\\PerfLogs', weight: 35 }],
  [/\\users\\public\\/, { id: 'public', label: 'C:\\Users\\Public', weight: 30 }],
  [/\\downloads\\/, { id: 'downloads', label: "a user's Downloads folder", weight: 30 }],
  [/\\windows\\(tasks|tracing|debug|registration\\crmlog|system32\\tasks|system32\\spool\\drivers\\color|syswow64\\tasks)\\/, { id: 'windows-writable', label: 'a world-writable folder under C:\\Windows', weight: 30 }],
  [/\\users\\[^\\]+\\(desktop|documents|music|pictures|videos)\\/, { id: 'user-docs', label: "a user's documents or desktop", weight: 25 }],
  [/\\appdata\\(roaming|local|locallow)\\/, { id: 'appdata', label: "a user's AppData folder", weight: 20 }],
  [/^c:\\programdata\\|^[a-z]:\\programdata\\/, { id: 'programdata', label: 'C:\\ProgramData', weight: 20 }],
];

export function classifyFolder(expandedLower: string): FolderClass | undefined {
  for (const [re, c] of FOLDER_CLASSES) if (re.test(expandedLower)) return c;
  return undefined;
}

/** UNC and WebDAV paths (\\host\share, \\host@SSL\, \\host\DavWWWRoot\, \\tsclient\). */
export function networkPathKind(lower: string): 'webdav' | 'tsclient' | 'unc' | undefined {
  const m = /(^|[\s"'=,])\\\\([^\\\s"']+)\\/.exec(lower);
  if (!m) return undefined;
  if (m[2] === 'tsclient') return 'tsclient';
  if (/@ssl|@\d+$/.test(m[2]) || lower.includes('\\davwwwroot')) return 'webdav';
  if (m[2] === '?' || m[2] === '.') return undefined; // \\?\C:\... and \\.\ device paths are local
  return 'unc';
}

/** A drive-root folder that is not a standard place for installed software (C:\Path\x.exe). */
export function isNonStandardRoot(lower: string): boolean {
  const m = /^[a-z]:\\([^\\]+)\\/.exec(lower);
  if (!m) return false;
  return !['windows', 'program files', 'program files (x86)', 'programdata', 'users', 'windows.old'].includes(m[1]);
}

/** The last segment of a path (trailing separators dropped); one backward scan, no regex or copy of the rest. */
export function baseName(p: string): string {
  const end = segmentEnd(p);
  const start = segmentStart(p, end);
  return start === 0 && end === p.length ? p : p.slice(start, end);
}

/** baseName(p).length, without the copy. */
export function baseNameLength(p: string): number {
  const end = segmentEnd(p);
  return end - segmentStart(p, end);
}

/**
 * A number for baseName(p).toLowerCase(), read without a copy: ASCII names equal but for case
 * have equal keys, never 0. 0 when the name has a character outside ASCII: its lower case can
 * change length (U+0130 İ) or become ASCII (U+212A K), so such names are compared by text.
 * Keys of different names may be equal: a key rules a name out, it never rules one in.
 */
export function baseNameKey(p: string): number {
  const end = segmentEnd(p);
  let h = 0x811c9dc5;
  for (let i = segmentStart(p, end); i < end; i++) {
    const c = p.charCodeAt(i);
    if (c >= 128) return 0;
    h = Math.imul(h ^ (c >= 65 && c <= 90 ? c | 32 : c), 0x01000193);
  }
  // a small integer (no heap number in a Set), and not 0
  return (h >>> 2) | 1;
}

/** Where the last segment ends: before any trailing separators. */
function segmentEnd(p: string): number {
  let end = p.length;
  while (end > 0 && isSeparator(p.charCodeAt(end - 1))) end--;
  return end;
}

function segmentStart(p: string, end: number): number {
  let start = end;
  while (start > 0 && !isSeparator(p.charCodeAt(start - 1))) start--;
  return start;
}

/** `\` or `/`. */
const isSeparator = (c: number): boolean => c === 92 || c === 47;

export function dirName(p: string): string {
  const i = Math.max(p.lastIndexOf('\\'), p.lastIndexOf('/'));
  return i < 0 ? '' : p.slice(0, i);
}

const EXEC_EXT = 'exe|dll|scr|pif|com|cpl|ocx|sys|bat|cmd|vbs|vbe|js|jse|wsf|wsh|hta|ps1|psm1|lnk|url|msi|jar|py|sct|inf';
const PATH_RE = new RegExp(`((?:[a-z]:|\\\\\\\\[^\\\\\\s"']+|%[a-z0-9_()]+%|\\$env:[a-z0-9_]+)(?:\\\\[^\\\\"'<>|*?\\r\\n]*?)*?\\.(?:${EXEC_EXT}))(?=$|[\\s"',;])`, 'i');
const RUNDLL_RE = /rundll32(?:\.exe)?["']?\s+["']?([^,"']+?\.(?:dll|cpl|ocx|[a-z0-9]{1,4}))["']?\s*,/i;
const LAUNCHERS = /^(cmd|powershell|pwsh|wscript|cscript|mshta|rundll32|regsvr32|msiexec|conhost|forfiles|pcalua|explorer|start)(\.exe)?$/i;

/** The program a command line starts: a leading quoted path, or a leading path up to its extension. */
function leadingProgram(v: string): { program: string; rest: string } | undefined {
  if (v.startsWith('"')) {
    const end = v.indexOf('"', 1);
    if (end > 1) return { program: v.slice(1, end).trim(), rest: v.slice(end + 1) };
  }
  const ext = '(?:exe|com|bat|cmd|vbs|vbe|js|jse|wsf|hta|ps1|lnk|scr|pif|dll|cpl|msi)';
  // a rooted path may hold spaces (C:\Program Files\...); a bare name may not
  const m = new RegExp(`^((?:[a-z]:|\\\\\\\\[^\\\\\\s]+|%[a-z0-9_()]+%|\\$env:[a-z0-9_]+)[^"\\r\\n]*?\\.${ext}|[^\\s"]+\\.${ext})(?=\\s|$|,)`, 'i').exec(v);
  if (m) return { program: m[1].trim(), rest: v.slice(m[0].length) };
  const bare = /^(\S+)/.exec(v);
  return bare ? { program: bare[1], rest: v.slice(bare[0].length) } : undefined;
}

/**
 * The file a value or command line runs: the program itself, or, when the program is a launcher
 * (cmd, PowerShell, a script host, mshta, rundll32, regsvr32, msiexec ...), the first file it is
 * given (the rundll32 DLL, the script, the package). Returns the path as written (not expanded).
 */
export function extractPayloadPath(value: string): string | undefined {
  const v = value.trim();
  if (v === '') return undefined;
  const rd = RUNDLL_RE.exec(v);
  if (rd) return rd[1].trim().replace(/^"/, '');
  const lead = leadingProgram(v);
  if (!lead) return undefined;
  if (!LAUNCHERS.test(baseName(lead.program))) return lead.program;
  const rest = lead.rest;
  const quoted = /"([^"]+\.[a-z0-9]{1,5})"/gi;
  let m: RegExpExecArray | null;
  const found: { at: number; path: string }[] = [];
  while ((m = quoted.exec(rest)) !== null) if (/[\\/]/.test(m[1]) || /\.(ps1|vbs|vbe|js|jse|wsf|hta|bat|cmd|dll|msi|sct|exe)$/i.test(m[1])) found.push({ at: m.index, path: m[1].trim() });
  const unq = new RegExp(PATH_RE.source, 'gi');
  while ((m = unq.exec(rest)) !== null) found.push({ at: m.index, path: m[1].trim() });
  found.sort((a, b) => a.at - b.at);
  const payload = found.find((f) => !LAUNCHERS.test(baseName(f.path)));
  return payload?.path ?? lead.program;
}

/** "powershell.exe" from "C:\Windows\...\powershell.exe", lower-case. */
export function imageName(image: string | undefined): string {
  return image ? baseName(image.trim().replace(/^"|"$/g, '')).toLowerCase() : '';
}
