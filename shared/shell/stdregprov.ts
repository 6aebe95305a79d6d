// WMI's StdRegProv write methods (SetStringValue, SetExpandedStringValue, SetMultiStringValue,
// SetDWORDValue, SetQWORDValue, SetBinaryValue) as a registry write: the hive is hDefKey (a number,
// 0x8000000n or VBScript's &H8000000n; HKLM when it is left out, as WMI documents), the key
// sSubKeyName, the name sValueName, the data sValue / uValue. An hDefKey given but unreadable makes
// no write: the hive is not guessed.

import type { CommandLineWrite } from './types';
import { registryWrite } from './locate';

const HIVES: Record<string, string> = { '2147483648': 'HKCR', '2147483649': 'HKCU', '2147483650': 'HKLM', '2147483651': 'HKU', '2147483653': 'HKCC' };

export const STDREGPROV_SET_METHODS = new Set(['setstringvalue', 'setexpandedstringvalue', 'setmultistringvalue', 'setdwordvalue', 'setqwordvalue', 'setbinaryvalue']);

/** The hive an hDefKey names, or undefined. */
export function hiveOfDefKey(v: string): string | undefined {
  let t = v.trim().toLowerCase();
  if (t.startsWith('&h')) t = String(parseInt(t.slice(2), 16));
  else if (t.startsWith('0x')) t = String(parseInt(t.slice(2), 16));
  else if (/^hkey_|^hk[a-z]{1,2}$/.test(t)) return t.toUpperCase();
  return HIVES[t];
}

export interface StdRegProvArgs {
  /** undefined: not given (HKLM); null: given but unknown. */
  hDefKey: string | undefined | null;
  sSubKeyName: string | undefined;
  sValueName: string | undefined;
  value: string | undefined;
}

export function stdRegProvWrite(method: string, a: StdRegProvArgs, matched: string): CommandLineWrite | undefined {
  const m = method.toLowerCase();
  if (!STDREGPROV_SET_METHODS.has(m) || a.sSubKeyName === undefined || a.hDefKey === null) return undefined;
  const hive = a.hDefKey === undefined ? 'HKLM' : hiveOfDefKey(a.hDefKey);
  if (hive === undefined) return undefined;
  // an empty or absent sValueName is the key's default value
  const valueName = a.sValueName === undefined || a.sValueName === '' ? '(Default)' : a.sValueName;
  return registryWrite({ key: `${hive}\\${a.sSubKeyName.replace(/^\\+/, '')}`, valueName, data: a.value, via: `StdRegProv.${method}`, matched });
}
