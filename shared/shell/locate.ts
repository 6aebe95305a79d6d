// Turns what a reader evaluated (a registry key, value name and data; a file path) into a
// CommandLineWrite when, and only when, the catalog says it is an autostart location. Keys are
// canonicalized the way the normalizer does it (HKCU:\ , Registry::HKEY_..., HKEY_CURRENT_USER\).

import { matchRegistryLocation } from '../detect/catalog';
import { canonicalRegistryPath } from '../model/registry-path';
import type { CommandLineWrite } from './types';

export interface RegistrySet {
  key: string;
  /** undefined: the name could not be read; '(Default)' for the key's default value. */
  valueName: string | undefined;
  data?: string | undefined;
  via: string;
  matched?: string;
  appended?: boolean;
}

/** Strip PowerShell's provider prefixes: Microsoft.PowerShell.Core\Registry::HKEY_..., Registry::HKLM\... */
export function registryKeyOf(path: string): string | undefined {
  let p = path.trim();
  const lower = p.toLowerCase();
  const provider = lower.indexOf('registry::');
  if (provider >= 0) p = p.slice(provider + 'registry::'.length);
  p = p.replace(/\//g, '\\').replace(/\\{2,}/g, '\\').replace(/\\+$/, '');
  const head = p.slice(0, 20).toLowerCase();
  if (!/^(hkey_local_machine|hkey_current_user|hkey_users|hkey_classes_root|hkey_current_config|hklm|hkcu|hku|hkcr|hkcc|\\registry\\)(:|\\|$)/.test(head)) return undefined;
  return canonicalRegistryPath(p.replace(/^([a-z_]+):(\\|$)/i, '$1$2'));
}

export function registryWrite(w: RegistrySet): CommandLineWrite | undefined {
  const key = registryKeyOf(w.key);
  if (key === undefined) return undefined;
  // a key-level location (every value of Run counts) matches even when the name is unknown; a
  // machine-only one (Winlogon\Notify) does not match under a user's hive
  const found = matchRegistryLocation(key, w.valueName)?.location;
  if (!found) return undefined;
  const out: CommandLineWrite = { kind: 'registry', location: found, registryKey: key, matched: w.matched ?? w.key, via: w.via };
  if (w.valueName !== undefined) out.valueName = w.valueName;
  if (w.data !== undefined) out.data = w.data;
  if (w.appended) out.appended = true;
  return out;
}

const STARTUP_SEGMENT = '\\start menu\\programs\\startup';

/** A path inside (or naming) a Startup folder; else undefined. */
export function startupPath(path: string): string | undefined {
  const p = path.trim().replace(/\//g, '\\');
  // shell:startup is Explorer's name for the folder: copy, Copy-Item and the rest cannot write there
  const lower = p.toLowerCase();
  const i = lower.indexOf(STARTUP_SEGMENT);
  if (i < 0) return undefined;
  const after = lower.charAt(i + STARTUP_SEGMENT.length);
  return after === '' || after === '\\' ? p : undefined;
}

/** Whether a Startup path names the folder itself (Copy-Item x <folder>) rather than a file in it. */
export function isStartupFolder(path: string): boolean {
  return /\\start menu\\programs\\startup\\*$/i.test(path);
}

/**
 * A file written into a Startup folder. `dest` may be the folder (copy x.vbs <Startup>): the file
 * is then the source's name in it, when the source is known.
 */
export function startupFileWrite(dest: string, via: string, source?: string, data?: string): CommandLineWrite | undefined {
  const p = startupPath(dest);
  if (p === undefined) return undefined;
  let target = p;
  if (isStartupFolder(p) && source !== undefined) {
    const base = source.replace(/[\\/]+$/, '').split(/[\\/]/).pop() ?? '';
    if (base && !base.includes('*')) target = p.replace(/\\*$/, '') + '\\' + base;
  }
  const out: CommandLineWrite = { kind: 'startup-file', targetFile: target, matched: dest, via };
  if (data !== undefined) out.data = data;
  return out;
}
