// One write, one finding: a host with Sysmon and Security auditing logs a Run-key write as Sysmon 13
// AND as 4657, and a Defender export of the same host adds a DeviceRegistryEvents row. Those are
// sightings of one write, not two writes. They are merged when host (case-insensitive, short name
// and FQDN alike), basis, action, key (SIDs compared only when both sides name one), value name and
// data agree, the times are within a small window, and the writers do not contradict each other
// (different pid or image name means a different write). The primary is the richest source
// (Sysmon, which has ProcessGuid for correlation, over Security over Defender); the others become
// its corroborating evidence. Two records of the same source are two writes, unless they are the
// same record read from two copies of the log (same source, event id and record id).
// Missing fields never merge more: a candidate without a time merges only with its own copies;
// Sysmon's "Binary Data" (it never logs binary contents) agrees with any data.

import type { Reason } from '../model/finding';
import { parseRegistryPath } from '../model/registry-path';
import { locationKeyForm } from './catalog';
import { addUnique, pushTo } from './collections';
import { imageName } from './paths';
import { dataForm } from './registry-data';
import type { Candidate } from './types';

const SOURCE_RANK: Record<string, number> = { sysmon: 0, security: 1, defender: 2 };
const SOURCE_TITLE: Record<string, string> = { sysmon: 'Sysmon', security: 'Security auditing', defender: 'Microsoft Defender' };

function rank(c: Candidate): number {
  return SOURCE_RANK[c.evidence.source] ?? 3;
}

/** Host names agree: equal, or one is the short (NetBIOS) name of the other's FQDN. */
export function sameHost(a: string, b: string): boolean {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  if (x === y) return true;
  if (x.includes('.') && y.includes('.')) return false;
  return x.split('.', 1)[0] === y.split('.', 1)[0];
}

function groupKey(c: Candidate): string {
  const host = c.host.toLowerCase().split('.', 1)[0];
  let key = '';
  if (c.registryKey !== undefined) {
    const f = locationKeyForm(c.registryKey);
    key = `${f.hive}|${f.wow64 ? 'wow' : ''}|${f.key}`;
  }
  // a community rule's hits merge per rule: two rules on one write stay two findings
  return [host, c.basis, c.action ?? '', c.location, c.sigmaRule?.id ?? '', key, (c.valueName ?? '').toLowerCase()].join('\u0000');
}

/** What pairwise checks compare, computed once per candidate. */
interface Facts {
  sid?: string;
  /** undefined = unknown data (agrees with any). */
  data?: string;
}

function factsOf(c: Candidate): Facts {
  return { sid: c.registryKey === undefined ? undefined : parseRegistryPath(c.registryKey).sid?.toLowerCase(), data: dataForm(c.value) };
}

/** Two sources' view of one process agrees: same pid and image name where both say. */
export function sameActor(a: { pid?: number; image?: string }, b: { pid?: number; image?: string }): boolean {
  if (a.pid !== undefined && b.pid !== undefined && a.pid !== b.pid) return false;
  return !(a.image && b.image && imageName(a.image) !== imageName(b.image));
}

/** The same record read from two files (an EVTX and its XML export, or two copies of a log). */
function sameRecordCopy(a: Candidate, b: Candidate): boolean {
  const x = a.evidence;
  const y = b.evidence;
  return x.source === y.source && x.ref.recordId !== undefined && x.ref.recordId === y.ref.recordId && x.eventId === y.eventId
    && (x.ref.file !== y.ref.file || x.ref.member !== y.ref.member);
}

/** `c` is one more sighting of the write `members` saw: it agrees with every one of them. */
function fits(members: readonly Candidate[], c: Candidate, windowMs: number, facts: (c: Candidate) => Facts): boolean {
  const fc = facts(c);
  return members.every((m) => {
    const copy = sameRecordCopy(m, c);
    if (!copy && (m.evidence.source === c.evidence.source || !(Math.abs(m.timeMs - c.timeMs) <= windowMs))) return false; // NaN never merges
    const fm = facts(m);
    if (fm.data !== undefined && fc.data !== undefined && fm.data !== fc.data) return false;
    if (fm.sid && fc.sid && fm.sid !== fc.sid) return false;
    return sameHost(m.host, c.host) && sameActor(m.writer, c.writer);
  });
}

const byRichness = (a: Candidate, b: Candidate): number => rank(a) - rank(b) || a.timeMs - b.timeMs || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** Work done by the case stage's inner loops, for complexity tests (see caseWork in analyze-case). */
export const mergeWork = { steps: 0 };

/**
 * Sightings of one write, in time order: a candidate joins the first open cluster (started within
 * the window) it fits, else starts one. Untimed candidates only join exact copies of themselves.
 * A cluster can only take a candidate whose source it lacks, or a copy of its records read from
 * another file; so open clusters are indexed by the sources they lack and by record (source, event
 * id, record id, file), and a candidate looks only at those. Repeated records of one source (a
 * log whose chunks repeat) then cost a map look-up each, not a scan of every earlier cluster.
 */
function clusterGroup(g: readonly Candidate[], windowMs: number): Candidate[][] {
  // facts are read only when two sightings are compared, which one source in one file never needs
  const factsMade = new Map<Candidate, Facts>();
  const facts = (c: Candidate): Facts => {
    let f = factsMade.get(c);
    if (!f) factsMade.set(c, (f = factsOf(c)));
    return f;
  };
  const timed = g.filter((c) => Number.isFinite(c.timeMs)).sort((a, b) => a.timeMs - b.timeMs || byRichness(a, b));
  interface Cl { n: number; members: Candidate[]; sources: Set<string> }
  const clusters: Cl[] = [];
  // per source: open clusters lacking it, in creation (= first-time) order, with a head for expiry
  const lacking = new Map<string, { list: Cl[]; head: number }>();
  // per record (source|event id|record id): per file, clusters holding that record
  const byRecord = new Map<string, Map<string, Cl[]>>();
  const recKey = (c: Candidate) => (c.evidence.ref.recordId === undefined ? undefined : `${c.evidence.source}|${c.evidence.eventId}|${c.evidence.ref.recordId}`);
  const fileKey = (c: Candidate) => `${c.evidence.ref.file}\u0000${c.evidence.ref.member ?? ''}`;
  const sources = [...new Set(timed.map((c) => c.evidence.source))];
  const register = (cl: Cl, c: Candidate) => {
    cl.sources.add(c.evidence.source);
    const rk = recKey(c);
    if (rk !== undefined) {
      const files = byRecord.get(rk) ?? new Map<string, Cl[]>();
      byRecord.set(rk, files);
      const list = files.get(fileKey(c));
      if (!list) files.set(fileKey(c), [cl]);
      else if (list[list.length - 1] !== cl) list.push(cl);
    }
  };
  const expired = (cl: Cl, c: Candidate) => c.timeMs - cl.members[0].timeMs > windowMs;
  for (const c of timed) {
    let best: Cl | undefined;
    const q = lacking.get(c.evidence.source);
    if (q) {
      while (q.head < q.list.length && (expired(q.list[q.head], c) || q.list[q.head].sources.has(c.evidence.source))) q.head++;
      for (let i = q.head; i < q.list.length; i++) {
        const cl = q.list[i];
        mergeWork.steps++;
        if (cl.sources.has(c.evidence.source) || expired(cl, c)) continue;
        if (fits(cl.members, c, windowMs, facts)) {
          best = cl;
          break;
        }
      }
    }
    const rk = recKey(c);
    const files = rk === undefined ? undefined : byRecord.get(rk);
    if (files) {
      for (const [f, list] of files) {
        if (f === fileKey(c)) continue;
        for (const cl of list) {
          mergeWork.steps++;
          if (best && cl.n >= best.n) break;
          if (!expired(cl, c) && fits(cl.members, c, windowMs, facts)) {
            best = cl;
            break;
          }
        }
      }
    }
    if (best) {
      best.members.push(c);
      register(best, c);
      continue;
    }
    const fresh: Cl = { n: clusters.length, members: [c], sources: new Set() };
    clusters.push(fresh);
    register(fresh, c);
    for (const s of sources) {
      if (s === c.evidence.source) continue;
      const l = lacking.get(s) ?? { list: [], head: 0 };
      lacking.set(s, l);
      l.list.push(fresh);
    }
  }
  const out = clusters.map((cl) => cl.members);
  // untimed: only exact copies of one record merge, so clusters are keyed by record
  const untimed = new Map<string, Candidate[][]>();
  for (const c of g.filter((x) => !Number.isFinite(x.timeMs))) {
    const k = recKey(c);
    const cands = k === undefined ? [] : (untimed.get(k) ?? []);
    mergeWork.steps += cands.length;
    const cl = cands.find((m) => fits(m, c, windowMs, facts));
    if (cl) cl.push(c);
    else {
      const fresh = [c];
      out.push(fresh);
      if (k !== undefined) pushTo(untimed, k, fresh);
    }
  }
  return out;
}

/** The primary, filled in from the other sightings where it says nothing, with a reason naming every source. */
function mergeInto(primary: Candidate, others: readonly Candidate[]): Candidate {
  const writer = { ...primary.writer };
  const reasons: Reason[] = [...primary.reasons];
  const attack = [...primary.attack];
  let { user, payloadPath, decodedPowerShell } = primary;
  for (const o of others) {
    writer.pid ??= o.writer.pid;
    writer.image ??= o.writer.image;
    writer.user ??= o.writer.user;
    writer.commandLine ??= o.writer.commandLine;
    writer.processGuid ??= o.writer.processGuid;
    writer.hashes ??= o.writer.hashes;
    user ??= o.user;
    payloadPath ??= o.payloadPath;
    decodedPowerShell ??= o.decodedPowerShell;
    // an indicator one source could see (the other lacked the field) still counts, once
    for (const r of o.reasons) if (!reasons.some((x) => x.id === r.id)) reasons.push(r);
    addUnique(attack, o.attack);
  }
  const sources = [primary, ...others].map((c) => SOURCE_TITLE[c.evidence.source] ?? c.evidence.source);
  const distinct = [...new Set(sources)];
  reasons.push({
    id: 'evidence.corroborated', title: 'Seen by more than one source', weight: 0, attack: [],
    explanation: distinct.length > 1
      ? `The same write is logged by ${distinct.join(' and ')} (${others.length + 1} records), merged into this finding.`
      : `The same record appears in ${others.length + 1} evidence files (copies of one log), merged into this finding.`,
  });
  return { ...primary, writer, user, payloadPath, decodedPowerShell, reasons, attack, alsoSeenIn: others.map((o) => o.evidence) };
}

/**
 * Merge candidates that are sightings of one write by several sources (or copies of one log): one
 * candidate per write, the primaries enriched with their alsoSeenIn, the rest as they were, in input order.
 */
export function mergeSightings(cands: readonly Candidate[], windowMs: number): Candidate[] {
  const groups = new Map<string, Candidate[]>();
  for (const c of cands) pushTo(groups, groupKey(c), c);
  const replaced = new Map<string, Candidate | null>(); // id → enriched primary, or null when merged away
  for (const g of groups.values()) {
    if (g.length < 2) continue;
    for (const cl of clusterGroup(g, windowMs)) {
      if (cl.length < 2) continue;
      // the richest source leads (then the earliest): a primary is never a poorer source than its sightings
      const [primary, ...members] = [...cl].sort(byRichness);
      replaced.set(primary.id, mergeInto(primary, members));
      for (const m of members) replaced.set(m.id, null);
    }
  }
  if (!replaced.size) return [...cands];
  const kept: Candidate[] = [];
  for (const c of cands) {
    const r = replaced.get(c.id);
    if (r === undefined) kept.push(c);
    else if (r) kept.push(r);
  }
  return kept;
}
