// One write, one finding, when PowerShell's logs show it too. A write read off PowerShell's logs
// (basis 'script') is usually seen several times: a 4103 and the classic 800 of the same pipeline,
// a 4104 of the block that ran it, the HostApplication line repeated on every 800 of a session;
// and the process start of the same PowerShell (Sysmon 1 / 4688 / Defender) shows it as a command
// line. Those fold together here, before the case stage's own folding:
//  1. a process start's command-line candidate folds into the script candidate of the same host
//     and location whose PowerShell is that process (same pid, or the start's command line equal
//     to the HostApplication the log names), within SCRIPT_WINDOW_MS;
//  2. script candidates of one write (host, location, key, value name, data) within the window
//     are one, led by the most telling record (4103's bound values, then 4104, 800, 400);
//  3. that script finding folds into a registry or Startup-file event of the same write (same
//     host, location and key + value name, or the same pid) within the window, as corroboration.
// Candidates are never mutated: a lead that gains records is a copy.

import type { EvidenceSighting } from '../model/finding';
import { locationKeyForm } from './catalog';
import { pushTo } from './collections';
import type { Candidate } from './types';

/** How far apart a PowerShell log record and the start or the write it shows may be. */
export const SCRIPT_WINDOW_MS = 10 * 60 * 1000;

const ORIGIN_RANK: Record<number, number> = { 4103: 0, 4104: 1, 800: 2, 400: 3 };

const lc = (s: string | undefined) => (s ?? '').toLowerCase();
const shortHost = (h: string) => lc(h).split('.', 1)[0];
const near = (a: Candidate, b: Candidate) => Number.isFinite(a.timeMs) && Number.isFinite(b.timeMs) && Math.abs(a.timeMs - b.timeMs) <= SCRIPT_WINDOW_MS;
const norm = (s: string | undefined) => lc(s).replace(/\s+/g, ' ').trim();

function writeKey(c: Candidate): string {
  const key = c.registryKey !== undefined ? locationKeyForm(c.registryKey).key : '';
  return `${shortHost(c.host)}|${c.location}|${key}|${lc(c.valueName)}|${norm(c.value)}`;
}

export interface ScriptMerge {
  writes: Candidate[];
  /** Process-start candidates folded into the kept candidate (shown as its command-line sightings). */
  starts: Map<Candidate, Candidate[]>;
}

function sighting(c: Candidate): EvidenceSighting {
  return { key: c.evidence.key, ref: c.evidence.ref, eventId: c.evidence.eventId, source: c.evidence.source };
}

export function mergeScriptSightings(cands: readonly Candidate[]): ScriptMerge {
  const scripts = cands.filter((c) => c.basis === 'script');
  const starts = new Map<Candidate, Candidate[]>();
  if (!scripts.length) return { writes: [...cands], starts };
  const gone = new Set<Candidate>();

  // 1. process starts into the script of their PowerShell
  const byHostLoc = new Map<string, Candidate[]>();
  for (const s of scripts) pushTo(byHostLoc, `${shortHost(s.host)}|${s.location}`, s);
  for (const c of cands) {
    if (c.basis !== 'command-line') continue;
    const list = byHostLoc.get(`${shortHost(c.host)}|${c.location}`);
    if (!list) continue;
    const cmd = norm(c.commandLine ?? c.writer.commandLine);
    const into = list.find((s) => near(s, c) && ((s.writer.pid !== undefined && s.writer.pid === c.writer.pid) || (cmd !== '' && norm(s.writer.commandLine) === cmd)));
    if (!into) continue;
    gone.add(c);
    pushTo(starts, into, c);
  }

  // 2. one write shown by several PowerShell records
  const groups = new Map<string, Candidate[]>();
  for (const s of scripts) pushTo(groups, writeKey(s), s);
  const leads = new Map<Candidate, Candidate>();
  for (const g of groups.values()) {
    g.sort((a, b) => (ORIGIN_RANK[a.evidence.eventId ?? -1] ?? 9) - (ORIGIN_RANK[b.evidence.eventId ?? -1] ?? 9) || a.timeMs - b.timeMs);
    const used = new Set<Candidate>();
    for (const lead of g) {
      if (used.has(lead)) continue;
      used.add(lead);
      const same = g.filter((x) => !used.has(x) && near(lead, x));
      if (!same.length) continue;
      for (const x of same) {
        used.add(x);
        gone.add(x);
        for (const st of starts.get(x) ?? []) pushTo(starts, lead, st);
        starts.delete(x);
      }
      leads.set(lead, { ...lead, alsoSeenIn: [...(lead.alsoSeenIn ?? []), ...same.map(sighting), ...same.flatMap((x) => x.alsoSeenIn ?? [])] });
    }
  }
  const current = (s: Candidate) => leads.get(s) ?? s;

  // 3. a script finding into the registry / file event of the same write
  const direct = new Map<string, Candidate[]>();
  for (const c of cands) if (c.basis === 'registry' || c.basis === 'startup-file') pushTo(direct, `${shortHost(c.host)}|${c.location}`, c);
  const gained = new Map<Candidate, Candidate[]>();
  for (const s of scripts) {
    if (gone.has(s)) continue;
    const list = direct.get(`${shortHost(s.host)}|${s.location}`);
    if (!list) continue;
    const key = s.registryKey !== undefined ? locationKeyForm(s.registryKey).key : undefined;
    const into = list.find((d) => near(d, s) && (
      (s.writer.pid !== undefined && d.writer.pid === s.writer.pid)
      || (key !== undefined && d.registryKey !== undefined && locationKeyForm(d.registryKey).key === key && lc(d.valueName) === lc(s.valueName))
      || (s.basis === 'script' && d.basis === 'startup-file' && s.payloadPath !== undefined && lc(s.payloadPath) === lc(d.value))));
    if (!into) continue;
    gone.add(s);
    pushTo(gained, into, current(s));
    for (const st of starts.get(s) ?? []) pushTo(starts, into, st);
    starts.delete(s);
  }

  const writes: Candidate[] = [];
  const renamed = new Map<Candidate, Candidate>();
  for (const c of cands) {
    if (gone.has(c)) continue;
    let out = current(c);
    const more = gained.get(c);
    if (more) out = { ...out, alsoSeenIn: [...(out.alsoSeenIn ?? []), ...more.flatMap((m) => [sighting(m), ...(m.alsoSeenIn ?? [])])] };
    if (out !== c) renamed.set(c, out);
    writes.push(out);
  }
  // the start lists follow their lead into its copy
  for (const [from, to] of renamed) {
    const st = starts.get(from);
    if (st) {
      starts.delete(from);
      starts.set(to, st);
    }
  }
  return { writes, starts };
}
