// Registry paths arrive spelled many ways (Sysmon HKLM\ / HKU\<SID>\, Security \REGISTRY\MACHINE\,
// Defender HKEY_LOCAL_MACHINE\ and HKEY_CURRENT_USER\<SID>\, PowerShell HKLM:\ and Registry::).
// canonicalRegistryPath gives one spelling; the rest of the path keeps its case.

export type Hive = 'HKLM' | 'HKU' | 'HKCU' | 'HKCR' | 'HKCC';

const HIVE_ALIASES: ReadonlyArray<readonly [string, Hive]> = [
  ['\\registry\\machine', 'HKLM'],
  ['\\registry\\user', 'HKU'],
  ['hkey_local_machine', 'HKLM'],
  ['hkey_users', 'HKU'],
  ['hkey_current_user', 'HKCU'],
  ['hkey_classes_root', 'HKCR'],
  ['hkey_current_config', 'HKCC'],
  ['hklm', 'HKLM'],
  ['hku', 'HKU'],
  ['hkcu', 'HKCU'],
  ['hkcr', 'HKCR'],
  ['hkcc', 'HKCC'],
];

const SID_RE = /^S-1-[0-9]+(-[0-9]+)+(_Classes)?$/i;

export interface ParsedRegistryPath {
  hive: Hive | null;
  /** The user SID for per-user paths (HKU\<SID>, HKEY_CURRENT_USER\<SID> in Defender). */
  sid?: string;
  /** Everything below the hive (and the SID), without a leading backslash. */
  subPath: string;
}

// A trailing backslash is kept: Sysmon writes a value whose name is empty or starts with a NUL
// (a Run value hidden from regedit) as "...\Run\", and dropping it would turn the key into the value.
// Forward slashes are kept too: they are legal in value names.
export function parseRegistryPath(input: string): ParsedRegistryPath {
  let s = input.replace(/^\s+/, ''); // trailing blanks can be part of a value name
  if (/^registry::/i.test(s)) s = s.slice('registry::'.length);
  // only the head can be a hive: lower-case that, not the whole path
  const lower = (s.length > HEAD ? s.slice(0, HEAD) : s).toLowerCase();
  for (const { alias, colon, hive, fulls } of PREFIXES) {
    let rest: string | undefined;
    if (lower === alias || lower === colon) rest = '';
    else {
      for (const full of fulls) {
        if (lower.startsWith(full)) {
          rest = s.slice(full.length);
          break;
        }
      }
    }
    if (rest === undefined) continue;
    rest = rest.replace(/^\\+/, '');
    if (hive === 'HKU' || hive === 'HKCU') {
      const first = rest.split('\\', 1)[0];
      if (SID_RE.test(first) || first === '.DEFAULT') {
        return { hive: 'HKU', sid: first, subPath: rest.slice(first.length + 1) };
      }
    }
    return { hive, subPath: rest };
  }
  return { hive: null, subPath: s.replace(/^\\+/, '') };
}

/** Each hive alias with its separators joined on, made once. */
const PREFIXES = HIVE_ALIASES.map(([alias, hive]) => ({ alias, colon: `${alias}:`, hive, fulls: [':\\', '\\', ':'].map((sep) => alias + sep) }));
/** Longer than any alias and separator. */
const HEAD = Math.max(...PREFIXES.flatMap((p) => p.fulls.map((f) => f.length))) + 1;

/** One spelling for a key or value path: HKLM\..., HKU\<SID>\..., HKCU\..., HKCR\... */
export function canonicalRegistryPath(input: string): string {
  const p = parseRegistryPath(input);
  if (!p.hive) return p.subPath;
  const parts: string[] = [p.hive];
  if (p.sid) parts.push(p.sid);
  if (p.subPath) parts.push(p.subPath);
  return parts.join('\\');
}

/** Join a key and a value name the way Sysmon writes TargetObject. */
export function joinValuePath(key: string, valueName: string | undefined): string {
  if (valueName === undefined) return key;
  return `${key}\\${valueName === '' ? '(Default)' : valueName}`;
}

/** Split a TargetObject of a value operation into key and value name (the last segment). */
export function splitValuePath(targetObject: string): { key: string; valueName: string } {
  const i = targetObject.lastIndexOf('\\');
  if (i < 0) return { key: '', valueName: targetObject };
  return { key: targetObject.slice(0, i), valueName: targetObject.slice(i + 1) };
}
