// Case stage: autostart state read from hives meets the logged writes of the same value on the
// same host. One value is one finding: a logged write keeps its writer, chain and payload and
// learns from the hive whether the value is still there; a hive entry with no logged write is a
// finding of its own. Matching is by host (case-insensitive, NetBIOS name = first label of the FQDN), the catalog's key form (hive side,
// SID-agnostic unless both name a SID, WOW6432Node-aware), and the value name. A write is called
// removed only where a hive of that host covering its key was read (SOFTWARE for machine
// software keys, SYSTEM for control-set keys, the user's NTUSER.DAT, matched by SID when both
// have one): without the hive, absence says nothing.

import { locationKeyForm } from '../catalog';
import { parseRegistryPath } from '../../model/registry-path';
import type { Reason } from '../../model/finding';
import type { Candidate } from '../types';
import type { HiveKind } from '../../state/hive-kind';

export interface HiveCoverage {
  host: string;
  kind: HiveKind;
  /** The user hive's owner (ProfileList), when known. */
  sid?: string;
}

export interface StateInput {
  /** stateCandidates() of every hive read. */
  candidates: readonly Candidate[];
  hives: readonly HiveCoverage[];
}

const lc = (s: string) => s.toLowerCase();
/** SYSTEM names the machine by its NetBIOS name (WS01), the logs by the FQDN (WS01.corp.local): one host. */
const hostKey = (h: string) => lc(h).split('.')[0];

interface Where { host: string; side: string; key: string; wow64: boolean; value: string; sid?: string }

function where(c: Candidate): Where | undefined {
  if (!c.registryKey || c.valueName === undefined) return undefined;
  const f = locationKeyForm(c.registryKey);
  const sid = parseRegistryPath(c.registryKey).sid;
  return { host: hostKey(c.host), side: f.hive, key: f.key, wow64: f.wow64, value: lc(c.valueName), sid: sid ? lc(sid) : undefined };
}

const joinKey = (w: Where) => `${w.host}|${w.side}|${w.key}|${w.wow64 ? 1 : 0}|${w.value === '(default)' ? '' : w.value}`;

function covers(h: HiveCoverage, w: Where): boolean {
  if (hostKey(h.host) !== w.host) return false;
  if (w.side === 'machine') return w.key.startsWith('system/') ? h.kind === 'SYSTEM' : h.kind === 'SOFTWARE';
  if (w.side !== 'user') return false;
  if (h.kind !== 'NTUSER') return false;
  return !(h.sid && w.sid && lc(h.sid) !== w.sid);
}

const sameSid = (a: Where, b: Where) => !(a.sid && b.sid && a.sid !== b.sid);

function reason(id: string, title: string, weight: number, explanation: string): Reason {
  return { id, title, weight, attack: [], explanation };
}

/** Logged writes' time span per host (lower-cased), from the registry writes themselves. */
function logSpans(writes: readonly Candidate[]): Map<string, { from: string; to: string; fromMs: number; toMs: number }> {
  const m = new Map<string, { from: string; to: string; fromMs: number; toMs: number }>();
  for (const c of writes) {
    if (!Number.isFinite(c.timeMs)) continue;
    const s = m.get(hostKey(c.host));
    if (!s) m.set(hostKey(c.host), { from: c.time, to: c.time, fromMs: c.timeMs, toMs: c.timeMs });
    else {
      if (c.timeMs < s.fromMs) Object.assign(s, { from: c.time, fromMs: c.timeMs });
      if (c.timeMs > s.toMs) Object.assign(s, { to: c.time, toMs: c.timeMs });
    }
  }
  return m;
}

/**
 * The candidates with the state joined in: logged value writes gain "still set now", "data changed
 * since the last logged write" or "removed since it was written"; hive entries with a logged write
 * are dropped into it; the others stay, with "set with no logged write".
 */
export function stateVsHistory(candidates: readonly Candidate[], state: StateInput): Candidate[] {
  const writes = candidates.filter((c) => c.action === 'set-value' && c.basis !== 'hive');
  const byKey = new Map<string, Candidate[]>();
  for (const c of writes) {
    const w = where(c);
    if (!w) continue;
    const k = joinKey(w);
    const l = byKey.get(k);
    if (l) l.push(c);
    else byKey.set(k, [c]);
  }
  const spans = logSpans(candidates.filter((c) => c.basis !== 'hive'));
  const met = new Set<Candidate>();
  const out: Candidate[] = [...candidates];
  for (const s of state.candidates) {
    const w = where(s);
    const logged = w ? (byKey.get(joinKey(w)) ?? []).filter((c) => { const cw = where(c); return !!cw && sameSid(cw, w); }) : [];
    if (logged.length === 0) {
      const span = spans.get(hostKey(s.host));
      const s2 = { ...s, reasons: [...s.reasons] };
      // weighed only where logs of the host were read: with no log at all, every entry is unlogged
      s2.reasons.push(reason('state.no-logged-write', 'Set with no logged write', span ? 5 : 0, span
        ? `The hive holds this value but no log of ${s.host} records writing it. Its key was last written ${s.time}; the logged autostart writes of this host span ${span.from} to ${span.to}${s.timeMs < span.fromMs || s.timeMs > span.toMs ? ', so the key changed while no log was kept' : ''}.`
        : `The hive holds this value but no log of ${s.host} was read with a write to it; its key was last written ${s.time}.`));
      out.push(s2);
      continue;
    }
    // the last logged write says what the value should hold now
    let last = logged[0];
    for (const c of logged) if (c.timeMs > last.timeMs) last = c;
    for (const c of logged) met.add(c);
    for (const c of logged) {
      if (c !== last) continue;
      if (c.value === s.value) {
        c.reasons.push(reason('state.still-set', 'Still set now', 5, `The hive read from ${s.evidence.ref.file} still holds this value with the data written (key last written ${s.time}): the entry is live.`));
      } else {
        c.reasons.push(reason('state.data-changed', 'Data changed since the last logged write', 10, `The hive now holds "${s.value}" here (key last written ${s.time}), not the data of the last logged write: something changed it later without a record in the logs read.`));
      }
      for (const r of s.reasons) if (r.id.startsWith('state.') && !c.reasons.some((x) => x.id === r.id)) c.reasons.push(r);
      (c.alsoSeenIn ??= []).push(s.evidence);
    }
  }
  // writes whose value a hive of the host should hold but does not: cleaned-up persistence
  for (const [, list] of byKey) {
    let last = list[0];
    for (const c of list) if (c.timeMs > last.timeMs) last = c;
    if (met.has(last)) continue;
    const w = where(last);
    if (!w || !state.hives.some((h) => covers(h, w))) continue;
    last.reasons.push(reason('state.removed', 'Removed since it was written', 10, 'The logs show this value written, but the hive of this host read with the case no longer holds it: the persistence was removed (or cleaned up) after the write.'));
  }
  return out;
}
