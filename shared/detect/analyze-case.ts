// The case stage: runs after ingestion on every candidate and the merged correlation index. It
// folds duplicate sightings of one write together (a command line and the registry event it caused),
// correlates (writer start, ancestors, payload creation, executions, deletion), stacks values across
// hosts (rarity), applies the baseline and scores. It re-reads nothing, so re-running it when the
// baseline or the options change is cheap.

import type { Correlation, EventLink, EvidenceSighting, Finding, Reason } from '../model/finding';
import { EMPTY_BASELINE, matchBaseline, type Baseline } from './baseline';
import { locationKeyForm } from './catalog';
import { locationById, renamedFrom } from './detect-event';
import { isStrong } from './indicators';
import { baseName, expandEnv, imageName } from './paths';
import { scoreOf, scoreReasons } from './scoring';
import { DEFAULT_OPTIONS, type AnalyzeOptions, type Candidate, type CorrelationIndex, type IndexedEvent, type IndexedFile, type IndexedKeyCreation, type IndexedProcess } from './types';
import { findEncodedCommand } from './encoded-powershell';
import { mergeSightings, sameActor } from './merge-sightings';
import { addUnique, memoized, pushTo } from './collections';
import { canonicalRegistryPath } from '../model/registry-path';

export interface CaseInput {
  candidates: readonly Candidate[];
  index: CorrelationIndex;
  baseline?: Baseline;
  options?: Partial<AnalyzeOptions>;
}

interface Lookups {
  byGuid: Map<string, IndexedProcess>;
  byHostPid: Map<string, IndexedProcess[]>;
  byHostImage: Map<string, IndexedProcess[]>;
  filesByHostPath: Map<string, IndexedFile[]>;
  filesByHostName: Map<string, IndexedFile[]>;
  /** Process starts per host with their lower-cased command line (searched for Startup files). */
  procsByHost: Map<string, { p: IndexedProcess; cmd: string }[]>;
  /** Deletions per host with the catalog form of their key, computed once. */
  deletionsByHost: Map<string, { d: CorrelationIndex['deletions'][number]; key: string }[]>;
  /** Key creations by host + lower-cased key, only when a candidate is a key rename. */
  keyCreations: Map<string, IndexedKeyCreation[]>;
}

const lc = (s: string | undefined) => (s ?? '').toLowerCase();


/**
 * Lookups over the index, limited to what the candidates can ask for: payload files and process
 * images by the payload names candidates mention, command lines only when a Startup-folder
 * candidate needs them. Building maps for every event would cost more than the detection itself.
 */
function buildLookups(index: CorrelationIndex, cands: readonly Candidate[]): Lookups {
  const l: Lookups = { byGuid: new Map(), byHostPid: new Map(), byHostImage: new Map(), filesByHostPath: new Map(), filesByHostName: new Map(), procsByHost: new Map(), deletionsByHost: new Map(), keyCreations: new Map() };
  const wanted = new Set<string>();
  for (const c of cands) {
    const n = payloadCandidates(c).name;
    if (n) wanted.add(n);
  }
  const needCmd = cands.some((c) => c.basis === 'startup-file');
  const h = memoized((host) => host.toLowerCase());
  for (const d of index.deletions) pushTo(l.deletionsByHost, h(d.host), { d, key: locationKeyForm(d.registryKey).key });
  if (cands.some((c) => c.action === 'rename-key')) {
    for (const k of index.keyCreations ?? []) pushTo(l.keyCreations, `${h(k.host)}|${lc(k.registryKey)}`, k);
  }
  for (const p of index.processes) {
    const host = h(p.host);
    if (needCmd) pushTo(l.procsByHost, host, { p, cmd: lc(p.commandLine) });
    if (p.guid) l.byGuid.set(`${host}|${p.guid.toLowerCase()}`, p);
    if (p.pid !== undefined) pushTo(l.byHostPid, `${host}|${p.pid}`, p);
    if (p.image) {
      const name = imageName(p.image);
      if (wanted.has(name)) pushTo(l.byHostImage, `${host}|${name}`, p);
    }
  }
  for (const f of index.files) {
    const name = baseName(f.path).toLowerCase();
    if (!wanted.has(name)) continue;
    const host = h(f.host);
    pushTo(l.filesByHostPath, `${host}|${lc(f.path)}`, f);
    pushTo(l.filesByHostName, `${host}|${name}`, f);
  }
  for (const arr of l.byHostPid.values()) arr.sort((a, b) => a.timeMs - b.timeMs);
  return l;
}

function link(e: IndexedEvent, kind: EventLink['kind'], summary: string): EventLink {
  return { key: e.key, kind, time: e.time, ref: e.ref, summary };
}

/** "reg.exe created C:\...": the acting image's name, or '?' when the source does not say. */
function byImage(image: string | undefined, what: string): string {
  return `${image ? baseName(image) : '?'} ${what}`;
}

/**
 * The same process start logged by other sources (the 4688 beside a Sysmon 1, a Defender row):
 * same host and pid, same image name, within the sighting window.
 */
function processTwins(p: IndexedProcess, l: Lookups, o: AnalyzeOptions): EvidenceSighting[] {
  if (p.pid === undefined || !p.source) return [];
  const out: EvidenceSighting[] = [];
  const starts = l.byHostPid.get(`${lc(p.host)}|${p.pid}`) ?? [];
  // sorted by time: binary-search the window's start (a busy host reuses pids thousands of times)
  let lo = 0;
  let hi = starts.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (starts[mid].timeMs < p.timeMs - o.sightingWindowMs) lo = mid + 1;
    else hi = mid;
  }
  for (let i = lo; i < starts.length && starts[i].timeMs <= p.timeMs + o.sightingWindowMs; i++) {
    const q = starts[i];
    if (q === p || !q.source || q.source === p.source || !sameActor(p, q)) continue;
    out.push({ key: q.key, ref: q.ref, eventId: q.eventId, source: q.source });
  }
  return out;
}

function procLink(p: IndexedProcess, l: Lookups, o: AnalyzeOptions): EventLink {
  const parent = p.parentImage ? `${baseName(p.parentImage)} → ` : '';
  const out = link(p, 'process', `${parent}${p.commandLine ?? p.image ?? '(unknown process)'}`);
  const twins = processTwins(p, l, o);
  return twins.length ? { ...out, alsoSeenIn: twins } : out;
}

function findWriter(c: Candidate, l: Lookups, o: AnalyzeOptions): IndexedProcess | undefined {
  if (c.writer.processGuid) {
    const p = l.byGuid.get(`${lc(c.host)}|${lc(c.writer.processGuid)}`);
    if (p) return p;
  }
  return findByPid(c.host, c.writer.pid, c.writer.image, c.timeMs, l, o);
}

/** The latest start of `pid` on `host` before `timeMs` (within the window), same image if known. */
function findByPid(host: string, pid: number | undefined, image: string | undefined, timeMs: number, l: Lookups, o: AnalyzeOptions): IndexedProcess | undefined {
  if (pid === undefined) return undefined;
  const starts = l.byHostPid.get(`${lc(host)}|${pid}`) ?? [];
  let best: IndexedProcess | undefined;
  for (const p of starts) {
    if (p.timeMs > timeMs) break;
    if (timeMs - p.timeMs > o.pidWindowMs) continue;
    if (image && p.image && imageName(p.image) !== imageName(image)) continue;
    best = p;
  }
  return best;
}

function ancestors(p: IndexedProcess, l: Lookups, o: AnalyzeOptions): IndexedProcess[] {
  const out: IndexedProcess[] = [];
  let cur: IndexedProcess | undefined = p;
  const seen = new Set<string>([p.key]);
  while (cur && out.length < 8) {
    let parent: IndexedProcess | undefined;
    if (cur.parentGuid) parent = l.byGuid.get(`${lc(cur.host)}|${lc(cur.parentGuid)}`);
    if (!parent) parent = findByPid(cur.host, cur.parentPid, cur.parentImage, cur.timeMs, l, o);
    if (!parent || seen.has(parent.key)) break;
    seen.add(parent.key);
    out.push(parent);
    cur = parent;
  }
  return out;
}

function payloadCandidates(c: Candidate): { full?: string; name?: string } {
  if (!c.payloadPath) return {};
  const user = (c.user ?? '').replace(/^.*\\/, '') || undefined;
  const full = expandEnv(c.payloadPath.replace(/^"|"$/g, ''), user);
  return { full: full.includes('<user>') ? undefined : full, name: baseName(full) };
}

function correlate(c: Candidate, l: Lookups, index: CorrelationIndex, o: AnalyzeOptions, writer: IndexedProcess | undefined): { correlation: Correlation; reasons: Reason[] } {
  const reasons: Reason[] = [];
  const corr: Correlation = { writerAncestors: [], payloadCreated: [], executions: [], deletions: [] };
  const host = lc(c.host);
  if (writer) {
    corr.writerProcess = procLink(writer, l, o);
    corr.writerAncestors = ancestors(writer, l, o).map((p) => procLink(p, l, o));
    const parentName = imageName(writer.parentImage);
    if (/^(winword|excel|powerpnt|outlook|msaccess|mspub|onenote|wscript|cscript|mshta|wmiprvse)\.exe$/.test(parentName)) {
      reasons.push({ id: 'correlation.suspicious-parent', title: 'Writer started by an Office app, script host or WMI', weight: 15, attack: ['T1204'], explanation: `The writer was started by ${parentName}, a common first stage of an intrusion.`, matched: writer.parentImage });
    }
    if (c.basis !== 'command-line' && writer.commandLine && findEncodedCommand(writer.commandLine)) {
      reasons.push({ id: 'correlation.writer-encoded', title: 'Writer ran an encoded PowerShell command', weight: 25, attack: ['T1059.001', 'T1027'], explanation: 'The process that wrote the entry was itself running an encoded PowerShell command.', matched: writer.commandLine.slice(0, 200) });
    }
  }
  // payload file created before the write
  const { full, name } = payloadCandidates(c);
  if (name && c.basis !== 'startup-file') {
    const files = full ? l.filesByHostPath.get(`${host}|${full}`) ?? [] : (l.filesByHostName.get(`${host}|${name}`) ?? []);
    const before = files.filter((f) => f.timeMs <= c.timeMs && c.timeMs - f.timeMs <= o.payloadWindowMs);
    corr.payloadCreated = before.map((f) => link(f, 'file', byImage(f.image, `created ${f.path}`)));
    if (before.length) {
      const secs = Math.round((c.timeMs - before[before.length - 1].timeMs) / 1000);
      reasons.push({ id: 'correlation.payload-dropped', title: 'Payload dropped just before the write', weight: 15, attack: ['T1105'], explanation: `The payload file was created ${secs} s before the autostart entry was written: drop-then-persist.`, matched: before[0].path });
    }
  }
  // later executions of the payload (the persistence firing)
  if (name) {
    const procs = l.byHostImage.get(`${host}|${name}`) ?? [];
    let execs = procs.filter((p) => p.timeMs >= c.timeMs && (!full || lc(p.image) === full));
    if (c.basis === 'startup-file') {
      const target = lc(c.value);
      const viaHost = (l.procsByHost.get(host) ?? []).filter((x) => x.p.timeMs >= c.timeMs && x.cmd.includes(target)).map((x) => x.p);
      execs = [...execs, ...viaHost.filter((p) => !execs.includes(p))];
    }
    corr.executions = execs.slice(0, 50).map((p) => procLink(p, l, o));
    if (execs.length) {
      reasons.push({ id: 'correlation.executed', title: 'Persistence fired', weight: 10, attack: [], explanation: `The payload ran ${execs.length} time(s) after the write (first at ${execs[0].time}): the persistence fired.`, matched: execs[0].commandLine ?? execs[0].image });
    }
  }
  // a key renamed into the location: its creation under the first name (regedit's "New Key #1")
  const from = renamedFrom(c);
  if (from) {
    const made = (l.keyCreations.get(`${host}|${lc(canonicalRegistryPath(from))}`) ?? []).filter((k) => k.timeMs <= c.timeMs);
    const last = made.reduce<IndexedKeyCreation | undefined>((a, k) => (!a || k.timeMs >= a.timeMs ? k : a), undefined);
    if (last) {
      corr.keyCreated = [link(last, 'registry', byImage(last.image, `created ${last.registryKey}`))];
      const secs = Math.round((c.timeMs - last.timeMs) / 1000);
      reasons.push({ id: 'correlation.key-created', title: 'Key created under another name first', weight: 0, attack: [], explanation: `The key was created as ${baseName(last.registryKey)} ${secs} s before it was renamed into the autostart location.`, matched: last.registryKey });
    }
  }
  // deletion of the value afterwards
  if (c.registryKey) {
    const k = locationKeyForm(c.registryKey).key;
    const dels = (l.deletionsByHost.get(host) ?? []).filter(({ d, key }) => d.timeMs >= c.timeMs && (
      (d.valueName !== undefined && key === k && lc(d.valueName) === lc(c.valueName))
      || (d.valueName === undefined && (key === k || k.startsWith(key + '/'))))).map((x) => x.d);
    corr.deletions = dels.map((d) => link(d, 'registry', byImage(d.image, `deleted ${d.registryKey}${d.valueName !== undefined ? '\\' + d.valueName : ''}`)));
    if (dels.length) {
      const secs = Math.round((dels[0].timeMs - c.timeMs) / 1000);
      const runOnce = c.location === 'runonce' || c.location === 'runonceex';
      reasons.push({ id: 'correlation.deleted', title: runOnce ? 'RunOnce entry consumed' : 'Entry deleted afterwards', weight: 0, attack: [], explanation: runOnce ? `The value was deleted ${secs} s later, as Windows does when a RunOnce entry runs (or as a clean-up).` : `The value was deleted ${secs} s later: clean-up after a test, or an attacker covering tracks.`, matched: dels[0].image });
    }
  }
  return { correlation: corr, reasons };
}

/** Fold command-line sightings into the registry / file event they caused, and cmd.exe /c into its child. */
function dropDuplicates(cands: readonly Candidate[], l: Lookups): { kept: Candidate[]; folded: Map<string, Candidate[]> } {
  const folded = new Map<string, Candidate[]>();
  const fold = (into: Candidate, c: Candidate) => folded.set(into.id, [...(folded.get(into.id) ?? []), c]);
  const direct = cands.filter((c) => c.basis !== 'command-line');
  const cmd = cands.filter((c) => c.basis === 'command-line');
  const covered = new Set<string>();
  const keyOf = memoized((k) => locationKeyForm(k).key);
  const near = (a: Candidate, b: Candidate) => lc(a.host) === lc(b.host) && Math.abs(a.timeMs - b.timeMs) <= 120_000;
  const guidsOf = (c: Candidate): string[] => {
    const out: string[] = [];
    if (c.writer.processGuid) {
      out.push(lc(c.writer.processGuid));
      const p = l.byGuid.get(`${lc(c.host)}|${lc(c.writer.processGuid)}`);
      if (p?.parentGuid) out.push(lc(p.parentGuid));
    }
    return out;
  };
  for (const d of direct) {
    const gs = guidsOf(d);
    for (const c of cmd) {
      if (!near(c, d) || c.location !== d.location) continue;
      const g = lc(c.writer.processGuid);
      const samePid = c.writer.pid !== undefined && c.writer.pid === d.writer.pid;
      const sameTarget = () => d.registryKey !== undefined && c.registryKey !== undefined && keyOf(c.registryKey) === keyOf(d.registryKey);
      if ((g && gs.includes(g)) || samePid || (!g && sameTarget())) {
        covered.add(c.id);
        fold(d, c);
      }
    }
  }
  // cmd.exe /c "reg add ..." and its reg.exe child: keep the child (the real writer)
  for (const c of cmd) {
    const parentGuid = lc(c.writer.processGuid ? l.byGuid.get(`${lc(c.host)}|${lc(c.writer.processGuid)}`)?.parentGuid : undefined);
    for (const p of cmd) {
      if (p === c || !near(p, c) || p.location !== c.location) continue;
      if ((parentGuid && lc(p.writer.processGuid) === parentGuid) || (c.writer.parentImage && p.writer.pid !== undefined && imageName(c.writer.parentImage) === imageName(p.writer.image) && lc(c.writer.parentCommandLine) === lc(p.writer.commandLine))) {
        covered.add(p.id);
        fold(c, p);
      }
    }
  }
  // a sighting folded into one that is itself folded ends up on the finding that is kept
  const kept = cands.filter((c) => !covered.has(c.id));
  for (const k of kept) {
    const queue = [...(folded.get(k.id) ?? [])];
    const all: Candidate[] = [];
    while (queue.length) {
      const x = queue.shift() as Candidate;
      if (all.includes(x)) continue;
      all.push(x);
      queue.push(...(folded.get(x.id) ?? []));
    }
    folded.set(k.id, all);
  }
  return { kept, folded };
}

/** Findings for a case: correlation, rarity, baseline and scoring over every candidate. */
export function analyzeCase(input: CaseInput): Finding[] {
  const o: AnalyzeOptions = { ...DEFAULT_OPTIONS, ...input.options, rarity: { ...DEFAULT_OPTIONS.rarity, ...input.options?.rarity } };
  const baseline = input.baseline ?? EMPTY_BASELINE;
  const l = buildLookups(input.index, input.candidates);
  // the same write logged by several sources is one finding with corroborating evidence; this
  // comes first so rarity counts a write once and command lines fold into the merged finding
  const writes = mergeSightings(input.candidates, o.sightingWindowMs);
  const { kept: cands, folded } = dropDuplicates(writes, l);

  // rarity: stack by location + normalized value across hosts
  const stacks = new Map<string, { hosts: Set<string>; count: number }>();
  for (const c of cands) {
    const k = `${c.location}|${c.normalizedValue}`;
    const s = stacks.get(k) ?? { hosts: new Set<string>(), count: 0 };
    s.hosts.add(lc(c.host));
    s.count++;
    stacks.set(k, s);
  }
  const allHosts = new Set(Object.keys(input.index.hosts).map(lc));
  for (const c of cands) allHosts.add(lc(c.host));
  const totalHosts = allHosts.size;

  const findings: Finding[] = [];
  for (const c of cands) {
    const writerStart = findWriter(c, l, o);
    const writer = { ...c.writer };
    if (writerStart) {
      writer.commandLine ??= writerStart.commandLine;
      writer.hashes ??= writerStart.hashes;
      writer.processGuid ??= writerStart.guid;
      writer.parentImage ??= writerStart.parentImage;
      writer.parentCommandLine ??= writerStart.parentCommandLine;
      writer.user ??= writerStart.user;
    }
    const { correlation, reasons: corrReasons } = correlate(c, l, input.index, o, writerStart);
    const sightings = folded.get(c.id) ?? [];
    if (sightings.length) {
      correlation.commandLineSightings = sightings.map((s) => {
        const l: EventLink = { key: s.evidence.key, kind: 'process', time: s.time, ref: s.evidence.ref, summary: s.commandLine ?? s.value };
        return s.alsoSeenIn ? { ...l, alsoSeenIn: s.alsoSeenIn } : l;
      });
    }
    const reasons: Reason[] = [...c.reasons, ...corrReasons];

    const st = stacks.get(`${c.location}|${c.normalizedValue}`) ?? { hosts: new Set<string>(), count: 1 };
    const speaks = totalHosts >= o.rarity.minHostsInCase;
    const rare = speaks && st.hosts.size <= o.rarity.maxHosts && st.count < o.rarity.maxCount;
    if (speaks) {
      reasons.push(rare
        ? { id: 'rarity.rare', title: 'Rare in this case', weight: 15, attack: [], explanation: `Seen on ${st.hosts.size} of ${totalHosts} hosts (${st.count} time(s)).` }
        : { id: 'rarity.common', title: 'Common in this case', weight: st.hosts.size > o.rarity.maxHosts ? -10 : 0, attack: [], explanation: `Seen on ${st.hosts.size} of ${totalHosts} hosts (${st.count} times): widespread values are usually deployed software.` });
    }

    const bl = matchBaseline({
      host: c.host, location: c.location, registryKey: c.registryKey, valueName: c.valueName, value: c.value,
      normalizedValue: c.normalizedValue, writerImage: c.writer.image,
    }, baseline, o.builtinBaseline);
    let baselineMatch: Finding['baseline'] = { status: 'none' };
    if (bl) {
      const strong = reasons.filter((r) => r.weight > 0 && isStrong(r.id));
      if (strong.length) {
        baselineMatch = { ...bl.match, status: 'baselined-but-suspicious' };
        reasons.push({ id: 'baseline.suspicious', title: 'Baselined, but suspicious', weight: 0, attack: [], explanation: `Matches the baseline (${bl.label}), but strong signs remain (${strong.map((r) => r.title).join('; ')}), so the match does not lower the score.` });
      } else {
        baselineMatch = bl.match;
        const score = scoreOf(reasons);
        reasons.push({ id: 'baseline.match', title: 'Known good (baseline)', weight: -Math.max(0, score), attack: [], explanation: `Matches the baseline: ${bl.label}${bl.match.analyst ? ` (approved by ${bl.match.analyst})` : ''}. Kept for the record.` });
      }
    }
    const loc = locationById(c.location);
    const { score, severity } = scoreReasons(reasons, loc?.maxSeverity);
    const attack = addUnique([...c.attack], reasons.flatMap((r) => r.attack));
    findings.push({
      ...c,
      writer,
      reasons,
      attack,
      score,
      severity,
      rarity: { hosts: st.hosts.size, totalHosts, count: st.count, rare },
      baseline: baselineMatch,
      correlation,
    });
  }
  findings.sort((a, b) => (a.timeMs - b.timeMs) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return findings;
}
