// wmic ... path|class StdRegProv call <SetXxxValue> name=value, ...: the write it makes. Only named
// in-parameters are read (the positional order of wmic's CALL is not the documented signature's,
// so positional arguments are not guessed at).

import type { CommandLineWrite } from './types';
import { stdRegProvWrite, type StdRegProvArgs } from './stdregprov';

export function wmicWrites(args: readonly string[], matched: string): CommandLineWrite[] {
  const lower = args.map((a) => a.toLowerCase());
  const prov = lower.findIndex((a) => a === 'stdregprov' || a.endsWith(':stdregprov'));
  if (prov < 0) return [];
  const call = lower.indexOf('call', prov);
  if (call < 0 || call + 1 >= args.length) return [];
  const method = args[call + 1];
  const named = new Map<string, string>();
  for (const raw of args.slice(call + 2)) {
    for (const part of raw.split(',')) {
      const eq = part.indexOf('=');
      if (eq <= 0) continue;
      named.set(part.slice(0, eq).trim().toLowerCase(), part.slice(eq + 1).trim().replace(/^"(.*)"$/s, '$1'));
    }
  }
  if (named.size === 0) return [];
  const a: StdRegProvArgs = {
    hDefKey: named.get('hdefkey'),
    sSubKeyName: named.get('ssubkeyname'),
    sValueName: named.get('svaluename'),
    value: named.get('svalue') ?? named.get('uvalue'),
  };
  const w = stdRegProvWrite(method, a, matched);
  return w ? [w] : [];
}
