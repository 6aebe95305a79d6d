// State entries as candidates of the case stage: each one is put through the same per-event
// detection as a logged write (detectCandidate on a registry set-value carrying the entry's key,
// value and data), so a Run value of c:\temp\x.exe read from a hive gets exactly the reasons the
// same value written in Sysmon 13 gets; then its basis becomes 'hive', its time the key's
// last-write time and its evidence the hive file at the value's cell. A StartupApproved entry of
// the same name and view is decoded onto the Run / Startup entry it governs (enabled, or disabled
// since its FILETIME). The writer is unknown: a hive keeps no record of who wrote a value.

import { detectCandidate } from '../detect/detect-event';
import { startupApprovedState } from '../detect/registry-data';
import type { Candidate } from '../detect/types';
import type { RegistryEvent } from '../model/events';
import type { Reason } from '../model/finding';
import type { StateEntry } from './read-state';

export interface HostedState {
  entry: StateEntry;
  /** The machine the hive belongs to (SYSTEM's ComputerName, or what the caller knows). */
  host: string;
  /** The profile's user, when ProfileList names it. */
  user?: string;
}

/** The hive's entry under an event key no log can have ("hive:<file>:<cell offset>"). */
export function stateEventKey(e: StateEntry): string {
  return `hive:${e.hiveFile}:${e.offset}`;
}

function approvedFor(all: readonly HostedState[]): Map<string, StateEntry> {
  const m = new Map<string, StateEntry>();
  for (const h of all) {
    if (h.entry.location.id !== 'startup-approved') continue;
    const sub = h.entry.keyPath.split('\\').pop()?.toLowerCase() ?? '';
    m.set(`${h.host.toLowerCase()}|${h.entry.hiveFile}|${sub}|${h.entry.valueName.toLowerCase()}`, h.entry);
  }
  return m;
}

function approvedReason(sa: StateEntry): Reason | undefined {
  const st = startupApprovedState(sa.data);
  if (!st) return undefined;
  return st.enabled
    ? { id: 'state.startup-approved-enabled', title: 'Enabled in StartupApproved', weight: 0, attack: [], explanation: `StartupApproved (${sa.keyPath}) marks this entry enabled: it runs at logon.`, matched: sa.data }
    : { id: 'state.startup-approved-disabled', title: 'Disabled in StartupApproved', weight: -10, attack: [], explanation: `StartupApproved (${sa.keyPath}) marks this entry disabled${st.changed ? ` since ${st.changed}` : ''}: Explorer skips it at logon, though the value is still there.`, matched: sa.data };
}

/** Candidates for the entries (basis 'hive'), in the order given. */
export function stateCandidates(all: readonly HostedState[]): Candidate[] {
  const approved = approvedFor(all);
  const out: Candidate[] = [];
  for (const h of all) {
    const e = h.entry;
    const t = Date.parse(e.keyLastWritten);
    const ev: RegistryEvent = {
      kind: 'registry', source: 'sysmon', key: stateEventKey(e),
      ref: { file: e.hiveFile, format: 'regf', offset: e.offset },
      host: h.host, time: e.keyLastWritten, timeMs: t, user: h.user,
      action: 'set-value', registryKey: e.registryKey, valueName: e.valueName,
      targetObject: `${e.registryKey}\\${e.valueName}`, originalPath: `${e.registryKey}\\${e.valueName}`,
      details: e.data, valueType: e.typeName, process: {},
    };
    const c = detectCandidate(ev);
    if (!c) continue;
    c.basis = 'hive';
    c.evidence = { key: ev.key, ref: ev.ref, source: 'hive' };
    if (e.fromLog) c.reasons.push({ id: 'state.from-log', title: 'Only in the transaction logs', weight: 0, attack: [], explanation: 'The primary hive file does not hold this value yet: it was read from the .LOG1 / .LOG2 replayed over it (the last changes before the copy).' });
    if (e.deleted) c.reasons.push({ id: 'state.deleted-recovered', title: 'Deleted value recovered from the hive', weight: 10, attack: [], explanation: 'The value is no longer in its key: it was read from unallocated cells of the hive, where a deleted value stays until the space is reused.' });
    const sub = e.location.id === 'run' ? (/run32$/i.test(e.keyPath) ? 'run32' : 'run') : undefined;
    const sa = sub && approved.get(`${h.host.toLowerCase()}|${e.hiveFile}|${e.wow64 ? 'run32' : sub}|${e.valueName.toLowerCase()}`);
    const r = sa ? approvedReason(sa) : undefined;
    if (r) c.reasons.push(r);
    out.push(c);
  }
  return out;
}
