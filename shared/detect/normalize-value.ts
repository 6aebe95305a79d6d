// Normalization of autostart value data for stacking (rarity) and grouping: the Defender KQL
// hunt's rewrite set, fixed. GUIDs are matched one at a time (not greedily to the last brace), user
// paths are case-insensitive and include %USERPROFILE% / %APPDATA% / $env: forms, and the hyphen
// rule only rewrites version-like and id-like tokens, not ordinary folder names.

const RULES: ReadonlyArray<readonly [RegExp, string]> = [
  // user profile in any spelling → one placeholder
  [/%(appdata)%/gi, 'c:\\users\\userxx\\appdata\\roaming'],
  [/%(localappdata)%/gi, 'c:\\users\\userxx\\appdata\\local'],
  [/%(temp|tmp)%/gi, 'c:\\users\\userxx\\appdata\\local\\temp'],
  [/%(userprofile)%/gi, 'c:\\users\\userxx'],
  [/\$env:(appdata)\b/gi, 'c:\\users\\userxx\\appdata\\roaming'],
  [/\$env:(localappdata)\b/gi, 'c:\\users\\userxx\\appdata\\local'],
  [/\$env:(userprofile)\b/gi, 'c:\\users\\userxx'],
  [/\b[a-z]:\\users\\[^\\"]+\\/gi, 'c:\\users\\userxx\\'],
  [/\\\\[^\\"\s]+\\c\$\\users\\[^\\"]+\\/gi, 'c:\\users\\userxx\\'],
  [/c:\\programdata\\[^\\"]+\\microsoft\\teams\\/gi, 'c:\\programdata\\userxxx\\microsoft\\teams\\'],
  // GUIDs one at a time (non-greedy: never swallow text between two GUIDs)
  [/\{[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\}/gi, '{xxxxxxxxxx}'],
  [/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, 'xxxxxxxxxx'],
  // install session ids and per-install hex ids
  [/(installsessionid\s+)\S+/gi, '$1xxxxxx'],
  [/\b[0-9a-f]{16,}\b/gi, 'xxhexxx'],
  // IP addresses before versions (both are dotted quads; an IP is only outside a path segment)
  [/(^|[\s/"'@=])(\d{1,3}\.){3}\d{1,3}(?=[\s/:"']|$)/g, '$1X.Y.Z.T'],
  // versions: a.b.c.d anywhere, a.b.c after a hyphen or underscore or as a folder
  [/\b\d+\.\d+\.\d+\.\d+\b/g, 'X.Y.Z.T'],
  [/([-_\\])\d+\.\d+\.\d+\b/g, '$1X.Y.Z'],
  [/_\d+\.log\b/gi, '_XYZT.log'],
  // temp names installers use
  [/\\(ns[a-z0-9]{2,}|7z[a-z0-9]{2,}|is-[a-z0-9]{5})\.tmp\\/gi, '\\xxtmp.tmp\\'],
  // installer flags that vary per run
  [/\s--(quiet|passive)\b/gi, ''],
];

export function normalizeValue(value: string): string {
  let s = value.trim();
  for (const [re, to] of RULES) s = s.replace(re, to);
  return s.toLowerCase().replace(/\s+/g, ' ');
}
