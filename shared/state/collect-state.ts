// The autostart state of a set of hives, each put on its machine and, for user hives, its user:
// a hive belongs to the SYSTEM hive nearest to it in the collection (the longest shared folder
// prefix: a KAPE batch keeps one folder per host), whose ComputerName names the host; the SOFTWARE
// hive nearest to it gives the ProfileList that turns NTUSER.DAT into HKU\<SID>. With no SYSTEM
// hive the caller's fallback host is used (the only host the logs name, or "unknown host").

import type { Hive } from '../regf/hive';
import type { LogOrigin } from '../regf/log-origin';
import type { HiveCoverage, StateInput } from '../detect/case/state-vs-history';
import { hiveKind, type HiveKind } from './hive-kind';
import { computerName, profileList, profileOfHive, type Profile } from './host-identity';
import { readHiveState, type StateEntry } from './read-state';
import { stateCandidates, type HostedState } from './state-candidates';

export interface HiveSource {
  file: string;
  hive: Hive;
  origin?: LogOrigin;
}

export interface CollectedState {
  input: StateInput;
  entries: HostedState[];
  hives: Array<{ file: string; kind: HiveKind; host: string; sid?: string; entries: number }>;
}

const dirParts = (f: string) => f.split(/[\\/]+/).slice(0, -1).map((s) => s.toLowerCase());

function shared(a: readonly string[], b: readonly string[]): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
}

function nearest<T extends { file: string }>(file: string, of: readonly T[]): T | undefined {
  let best: T | undefined;
  let score = -1;
  const d = dirParts(file);
  for (const x of of) {
    const s = shared(d, dirParts(x.file));
    if (s > score) [best, score] = [x, s];
  }
  return best;
}

export function collectState(sources: readonly HiveSource[], fallbackHost: string): CollectedState {
  const kinds = sources.map((s) => ({ ...s, kind: hiveKind(s.hive) }));
  const systems = kinds.filter((k) => k.kind === 'SYSTEM').map((k) => ({ file: k.file, name: computerName(k.hive) }));
  const softwares = kinds.filter((k) => k.kind === 'SOFTWARE').map((k) => ({ file: k.file, profiles: profileList(k.hive) }));
  const entries: HostedState[] = [];
  const hives: CollectedState['hives'] = [];
  const coverage: HiveCoverage[] = [];
  for (const k of kinds) {
    const host = nearest(k.file, systems)?.name ?? fallbackHost;
    const profiles: readonly Profile[] = nearest(k.file, softwares)?.profiles ?? [];
    const profile = k.kind === 'NTUSER' || k.kind === 'USRCLASS' ? profileOfHive(k.file, profiles) : undefined;
    const st = readHiveState(k.hive, k.file, { origin: k.origin, userRoot: profile ? `HKU\\${profile.sid}` : undefined });
    const user = profile?.path.split(/[\\/]/).pop();
    for (const entry of st.entries) entries.push({ entry, host, user });
    hives.push({ file: k.file, kind: st.kind, host, sid: profile?.sid, entries: st.entries.length });
    coverage.push({ host, kind: st.kind, sid: profile?.sid });
  }
  return { input: { candidates: stateCandidates(entries), hives: coverage }, entries, hives };
}

export type { StateEntry };
