// reg.exe, regedit.exe and secedit.exe read from their argv (already split by CommandLineToArgvW
// rules or evaluated by the PowerShell reader). reg add names the key, /v or /ve the value, /d the
// data; reg import and regedit /s apply a .reg file, read here when its text is known (written
// earlier in the same script), else reported as an import of that file. Queries, exports and
// deletions write nothing.

import type { CommandLineWrite } from './types';
import { registryWrite } from './locate';
import { readRegFile } from './reg-file';

const switchName = (a: string) => (a.length > 1 && (a[0] === '/' || a[0] === '-') ? a.slice(1).toLowerCase() : undefined);

/** Text of files the same script wrote (lower-case path -> text), for reg import / regedit /s. */
export type KnownFiles = ReadonlyMap<string, string>;

export function regExeWrites(args: readonly string[], knownFiles?: KnownFiles, matched?: string): CommandLineWrite[] {
  const verb = args[0]?.toLowerCase();
  if (verb === 'add') {
    const key = args[1];
    if (key === undefined || switchName(key) !== undefined) return [];
    let valueName: string | undefined;
    let data: string | undefined;
    let nameSeen = false;
    for (let i = 2; i < args.length; i++) {
      const s = switchName(args[i]);
      if (s === 've') {
        valueName = '(Default)';
        nameSeen = true;
      } else if (s === 'v' && i + 1 < args.length) {
        valueName = args[++i];
        nameSeen = true;
      } else if (s === 'd' && i + 1 < args.length) data = args[++i];
      else if ((s === 't' || s === 's') && i + 1 < args.length) i++;
    }
    // reg add KEY without /v writes the key's default value only when /d is given
    if (!nameSeen && data !== undefined) valueName = '(Default)';
    const w = registryWrite({ key, valueName, data, via: 'reg.exe add', matched: matched ?? key });
    return w ? [w] : [];
  }
  if (verb === 'import' && args[1] !== undefined) return importWrites(args[1], 'reg.exe import', knownFiles);
  return [];
}

/** regedit [/s] [/m] file.reg: imports the file (regedit /e exports and writes nothing). */
export function regeditWrites(args: readonly string[], knownFiles?: KnownFiles): CommandLineWrite[] {
  let file: string | undefined;
  for (const a of args) {
    const s = switchName(a);
    if (s === 'e' || s === 'a') return [];
    if (s === undefined) {
      file = a;
      break;
    }
  }
  return file === undefined ? [] : importWrites(file, 'regedit', knownFiles);
}

function importWrites(file: string, via: string, knownFiles?: KnownFiles): CommandLineWrite[] {
  const text = knownFiles?.get(file.toLowerCase());
  if (text === undefined) return [{ kind: 'reg-import', data: file, matched: file, via }];
  const out: CommandLineWrite[] = [];
  for (const v of readRegFile(text)) {
    const w = registryWrite({ key: v.key, valueName: v.valueName, data: v.data, via: `${via} (${file})`, matched: v.key });
    if (w) out.push(w);
  }
  return out;
}

/**
 * secedit /configure applies a security template, whose [Registry Values] section can set any value
 * (the Atomic test writes a Run key this way). The template is /cfg (often given to the /import
 * before it, in the same cmd /c line: `lastCfg`), else the database /db.
 */
export function seceditWrites(args: readonly string[], lastCfg: string | undefined, matched: string): { writes: CommandLineWrite[]; cfg?: string } {
  let cfg: string | undefined;
  let db: string | undefined;
  let configure = false;
  for (let i = 0; i < args.length; i++) {
    const s = switchName(args[i]);
    if (s === 'configure') configure = true;
    else if (s === 'cfg' && i + 1 < args.length) cfg = args[++i];
    else if (s === 'db' && i + 1 < args.length) db = args[++i];
  }
  if (!configure) return { writes: [], cfg };
  const template = cfg ?? lastCfg ?? db;
  const w: CommandLineWrite = { kind: 'security-template', matched: matched.trim(), via: 'secedit /configure' };
  if (template !== undefined) w.data = template;
  return { writes: [w], cfg };
}
