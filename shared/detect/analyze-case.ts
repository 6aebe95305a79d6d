// The case stage: runs after ingestion on every candidate and the merged correlation index. It
// folds duplicate sightings of one write together (a command line and the registry event it caused),
// correlates (writer start, ancestors, payload creation, executions, deletion), stacks values across
// hosts (rarity), applies the baseline and scores. It re-reads nothing, so re-running it when the
// baseline or the options change is cheap.

import { type StateInput, stateVsHistory } from './case/state-vs-history';
import type { Correlation, EventLink, EvidenceSighting, Finding, Reason } from '../model/finding';
import { EMPTY_BASELINE, matchBaseline, type Baseline } from './baseline';
import { locationKeyForm } from './catalog';
import { locationById, renamedFrom } from './detect-event';
import { isStrong } from './indicators';
import { baseName, baseNameKey, baseNameLength, expandEnv, imageName } from './paths';
import { scoreOf, scoreReasons } from './scoring';
import { DEFAULT_OPTIONS, type AnalyzeOptions, type Candidate, type CorrelationIndex, type IndexedEvent, type IndexedFile, type IndexedKeyCreation, type IndexedProcess, type IndexedDeletion } from './types';
import { findEncodedCommand } from './encoded-powershell';
import { mergeSightings, mergeWork, sameActor } from './merge-sightings';
import { addUnique, memoized, pushTo } from './collections';
import { canonicalRegistryPath } from '../model/registry-path';
import { arrayRows, guidKey, type ProcessRows } from './process-table';
import type { EventSource } from '../model/events';
import { joinedScriptCandidates } from './script-parts';
import { mergeScriptSightings } from './script-merge';
import { LogonLookup, writerContext } from './writer-context';

const SOURCES: readonly EventSource[] = ['sysmon', 'security', 'defender'];

export interface CaseInput {
  candidates: readonly Candidate[];
  index: CorrelationIndex;
  baseline?: Baseline;
  options?: Partial<AnalyzeOptions>;
  /**
   * Community Sigma hits as findings (shared/sigma sigmaHitToFinding, basis 'sigma'). A hit on an
   * event a candidate came from (or that a merged write saw as alsoSeenIn) adds its reasons and
   * ATT&CK ids to that finding and is scored with it; a hit on any other event becomes a finding
   * of its own that goes through correlation, rarity and the baseline like the others.
   */
  sigmaFindings?: readonly Finding[];
  /** Autostart state read from hives (shared/state), joined with the writes (case/state-vs-history). */
  state?: StateInput;
}

/**
 * Process starts of one host (lower-cased name), as rows of the index's ProcessRows, with maps built
 * on first use only: most hosts' starts are never asked for by guid, pid or command line, and
 * building keyed maps for every start cost more than detection itself. Keys are the guid / pid
 * alone (no per-start string concatenation).
 */
class HostProcesses {
  /** Rows of this host's starts, in row order (filled to `length`). */
  rows: Int32Array;
  length = 0;
  private pids?: Map<number, number[]>;
  private guidlessPids?: Map<number, number[]>;
  private cmds?: CommandLineGroups;

  /** `lower` gives a command line id's text lower-cased (once per id: most repeat). */
  constructor(private readonly src: ProcessRows, private readonly lower: (id: number) => string, capacity: number) {
    this.rows = new Int32Array(capacity);
  }

  add(row: number): void {
    if (this.length === this.rows.length) {
      const more = new Int32Array(Math.max(16, this.rows.length * 2));
      more.set(this.rows);
      this.rows = more;
    }
    this.rows[this.length++] = row;
  }

  /**
   * Rows of the starts of `pid`, time-sorted (every source). `guidless`: only starts logged without
   * a process guid (a 4688, a Defender row), which are all a start whose guid is known but not in
   * the evidence can match: a start with another guid is another process.
   */
  byPid(pid: number, guidless = false): readonly number[] | undefined {
    let map = guidless ? this.guidlessPids : this.pids;
    if (!map) {
      const src = this.src;
      map = new Map();
      for (let k = 0; k < this.length; k++) {
        const r = this.rows[k];
        if (guidless && src.hasGuid(r)) continue;
        const p = src.pid(r);
        if (p !== undefined) pushTo(map, p, r);
      }
      for (const arr of map.values()) arr.sort((a, b) => src.timeMs(a) - src.timeMs(b));
      if (guidless) this.guidlessPids = map;
      else this.pids = map;
    }
    return map.get(pid);
  }

  /**
   * This host's distinct command lines and the rows of each (in row order): searched for
   * Startup-folder files once per distinct line, not once per start. Grouped in two counting passes
   * over typed arrays, no list per line.
   */
  commandLines(): CommandLineGroups {
    if (!this.cmds) {
      const src = this.src;
      const count = new Int32Array(src.textCount());
      const ids: number[] = [];
      for (let k = 0; k < this.length; k++) {
        const id = src.commandLineId(this.rows[k]);
        if (count[id]++ === 0) ids.push(id);
      }
      // group g's rows are rows[start[g] .. start[g + 1]); count becomes each id's next free place
      const start = new Int32Array(ids.length + 1);
      for (let g = 0; g < ids.length; g++) {
        start[g + 1] = start[g] + count[ids[g]];
        count[ids[g]] = start[g];
      }
      const rows = new Int32Array(this.length);
      for (let k = 0; k < this.length; k++) rows[count[src.commandLineId(this.rows[k])]++] = this.rows[k];
      this.cmds = { ids, start, rows };
    }
    return this.cmds;
  }

  /** A command line id's text, lower-cased (once per id). */
  lowerCommandLine(id: number): string {
    return this.lower(id);
  }
}

/** A host's distinct command line ids and, for the g-th, its rows: rows[start[g] .. start[g + 1]). */
interface CommandLineGroups {
  ids: readonly number[];
  start: Int32Array;
  rows: Int32Array;
}

interface Lookups {
  /** Links to process starts, made once per start. */
  procLinks: Map<IndexedProcess, EventLink>;
  /** Links to file and registry events, made once per event. */
  eventLinks: Map<IndexedEvent, EventLink>;
  /** Every process start of the index, by row. */
  src: ProcessRows;
  /** Rows per guid (guidKey) for the guids indexed so far (see indexGuids). */
  guidRows: Map<string, number[]>;
  guidIndexed: Set<string>;
  /** Lower-cases a host name (memoized). */
  hostKey(host: string): string;
  /** Row → IndexedProcess, one object per row (links compare starts by identity). */
  obj(row: number): IndexedProcess;
  /** Process starts per lower-cased host. */
  procs: Map<string, HostProcesses>;
  /** The sources process starts come from (twins in other sources need more than one). */
  procSources: Set<EventSource>;
  /** Starts per host + image name, and per host + full lower-cased image path, time-sorted. */
  byHostImage: Map<string, number[]>;
  byHostImagePath: Map<string, number[]>;
  /** Startup-file executions per host + target, computed once per distinct target. */
  startupExecs: Map<string, number[]>;
  filesByHostPath: Map<string, IndexedFile[]>;
  filesByHostName: Map<string, IndexedFile[]>;
  /** Deletions per host + catalog form of their key (+ value name for value deletions), time-sorted. */
  deletionsByHostKey: Map<string, CorrelationIndex['deletions']>;
  /** parentOf() by start (null: none in the evidence). */
  parents: Map<IndexedProcess, IndexedProcess | null>;
  /** keyDeletions() by host + key. */
  keyDeletions: Map<string, IndexedDeletion[][]>;
  /** Hosts (lower case) with any deletion: the others need no look-ups. */
  hostsWithDeletions: Set<string>;
  /** Key creations by host + lower-cased key, only when a candidate is a key rename. */
  keyCreations: Map<string, IndexedKeyCreation[]>;
}

const lc = (s: string | undefined) => (s ?? '').toLowerCase();

/** Ancestors of a writer followed. */
const ANCESTOR_DEPTH = 8;
/** Links kept per correlation list (executions, payload drops, deletions, twins); the count stays exact where shown. */
const MAX_LINKS = 50;
const MAX_TWINS = 8;
/** A command line folds into at most this many writes it could have caused (the nearest in time). */
const MAX_FOLDS = 8;

/** Inner-loop steps of the case stage, for complexity tests: read it before and after analyzeCase. */
export function caseWork(): number {
  return work.steps + mergeWork.steps;
}
const work = { steps: 0 };

const byTime = (a: IndexedEvent, b: IndexedEvent) => a.timeMs - b.timeMs;

/** First index in a time-sorted list of rows whose time is >= t. */
function lowerBoundRows(list: readonly number[], src: ProcessRows, t: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (src.timeMs(list[mid]) < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
/** First index in a time-sorted list of rows whose time is > t. */
function upperBoundRows(list: readonly number[], src: ProcessRows, t: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (src.timeMs(list[mid]) <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
/** First index in a time-sorted list whose time is >= t. */
function lowerBound(list: readonly { timeMs: number }[], t: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid].timeMs < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
/** First index in a time-sorted list whose time is > t. */
function upperBound(list: readonly { timeMs: number }[], t: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid].timeMs <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}


/**
 * Lookups over the index, limited to what the candidates can ask for: payload files and process
 * images by the payload names candidates mention, command lines only when a Startup-folder
 * candidate needs them. Building maps for every event would cost more than the detection itself.
 */
function deletionKey(host: string, key: string, valueName: string | undefined): string {
  return valueName === undefined ? `${host}|${key}` : `${host}|${key}|v:${valueName.toLowerCase()}`;
}

/** The index's process starts as rows: the table a case keeps, the array a collector builds, or both. */
function processRows(index: CorrelationIndex): ProcessRows {
  const t = index.processTable;
  if (!t || !t.length) return arrayRows(index.processes);
  if (!index.processes.length) return t;
  return arrayRows([...index.processes, ...t]);
}

function buildLookups(index: CorrelationIndex, cands: readonly Candidate[]): Lookups {
  const src = processRows(index);
  const made = new Map<number, IndexedProcess>();
  const obj = (row: number): IndexedProcess => {
    let p = made.get(row);
    if (!p) made.set(row, (p = src.row(row)));
    return p;
  };
  const h = memoized((host) => host.toLowerCase());
  const l: Lookups = { procLinks: new Map(), eventLinks: new Map(), src, obj, guidRows: new Map(), guidIndexed: new Set(), hostKey: (x) => h(x), procs: new Map(), procSources: new Set(), byHostImage: new Map(), byHostImagePath: new Map(), startupExecs: new Map(), filesByHostPath: new Map(), filesByHostName: new Map(), deletionsByHostKey: new Map(), keyDeletions: new Map(), parents: new Map(), hostsWithDeletions: new Set(), keyCreations: new Map() };
  const wanted = new Set<string>();
  for (const c of cands) {
    const n = payloadCandidates(c).name;
    if (n) wanted.add(n);
  }
  const keyForm = memoized((k) => locationKeyForm(k).key);
  const imgName = memoized(imageName);
  for (const d of index.deletions) {
    pushTo(l.deletionsByHostKey, deletionKey(h(d.host), keyForm(d.registryKey), d.valueName), d);
    l.hostsWithDeletions.add(h(d.host));
  }
  if (cands.some((c) => c.action === 'rename-key')) {
    for (const k of index.keyCreations ?? []) pushTo(l.keyCreations, `${h(k.host)}|${lc(k.registryKey)}`, k);
  }
  // per distinct host, image and source id, not per start: a case holds far more starts than strings
  const ids = src.textCount();
  const hostProcs = new Array<HostProcesses | undefined>(ids).fill(undefined);
  const hostKeys = new Array<string>(ids).fill('');
  /** By image id: 0 not looked at yet, 1 a payload's name, 2 not. */
  const wantedImage = new Uint8Array(ids);
  const seenSource = new Uint8Array(ids);
  const imageKeys = new Map<number, [string, string]>();
  const lowerCmds = new Array<string | undefined>(ids).fill(undefined);
  const lowerCmd = (id: number): string => (lowerCmds[id] ??= (src.text(id) ?? '').toLowerCase());
  // a host's share of the starts, guessed evenly (its row list grows when it has more)
  const capacity = Math.ceil(src.length / Math.max(1, Object.keys(index.hosts).length)) + 16;
  for (let i = 0; i < src.length; i++) {
    const hid = src.hostId(i);
    let hp = hostProcs[hid];
    if (!hp) {
      const host = (hostKeys[hid] = h(src.text(hid) ?? ''));
      // two spellings of one host share its starts
      let same = l.procs.get(host);
      if (!same) l.procs.set(host, (same = new HostProcesses(src, lowerCmd, capacity)));
      hp = hostProcs[hid] = same;
    }
    hp.add(i);
    const sid = src.sourceId(i);
    if (!seenSource[sid]) {
      seenSource[sid] = 1;
      const source = src.text(sid);
      if (source) l.procSources.add(source as EventSource);
    }
    const iid = src.imageId(i);
    let want = wantedImage[iid];
    if (want === 0) {
      const image = src.text(iid);
      want = wantedImage[iid] = image && wanted.has(imgName(image)) ? 1 : 2;
    }
    if (want === 1) {
      // rows, not objects: only the few starts a finding links are turned into objects
      const pair = hid * 0x100000000 + iid;
      let keys = imageKeys.get(pair);
      if (!keys) {
        const image = src.text(iid) as string;
        imageKeys.set(pair, (keys = [`${hostKeys[hid]}|${imgName(image)}`, `${hostKeys[hid]}|${lc(image)}`]));
      }
      pushTo(l.byHostImage, keys[0], i);
      pushTo(l.byHostImagePath, keys[1], i);
    }
  }
  const fileName = memoized((path) => baseName(path).toLowerCase());
  const addFile = (f: IndexedFile, name: string) => {
    const host = h(f.host);
    pushTo(l.filesByHostPath, `${host}|${lc(f.path)}`, f);
    pushTo(l.filesByHostName, `${host}|${name}`, f);
  };
  for (const f of index.files) {
    const name = fileName(f.path);
    if (wanted.has(name)) addFile(f, name);
  }
  // a table's paths are interned: whether a path is wanted is worked out once per distinct path
  const ft = index.fileTable;
  const wantedPath = new Array<string | null | undefined>(ft?.textCount() ?? 0).fill(undefined);
  // a file name of a length no payload name has is not one: most paths end there, uncopied (the
  // lengths are before lower-casing: each U+0130 İ lower-cases to two code units, i + U+0307)
  const wantedLengths = new Set<number>();
  for (const n of wanted) for (let j = n.split('i\u0307').length - 1; j >= 0; j--) wantedLengths.add(n.length - j);
  // and the table keyed each path's name as it came in: a key no payload name has rules the path
  // out unread (a non-ASCII name has key 0, as does a path of unknown key: those are read)
  const wantedKeys = new Set<number>();
  for (const n of wanted) {
    const k = baseNameKey(n);
    if (k !== 0) wantedKeys.add(k);
  }
  for (let i = 0; ft && i < ft.length; i++) {
    const id = ft.pathId(i);
    let name = wantedPath[id];
    if (name === undefined) {
      // once per id already: no memo (most paths are distinct, and each would be hashed into it)
      const key = ft.pathKey(id);
      if (key !== 0 && !wantedKeys.has(key)) {
        name = wantedPath[id] = null;
      } else {
        const path = ft.text(id) ?? '';
        const n = wantedLengths.has(baseNameLength(path)) ? baseName(path).toLowerCase() : undefined;
        name = wantedPath[id] = n !== undefined && wanted.has(n) ? n : null;
      }
    }
    if (name !== null) addFile(ft.row(i), name);
  }
  const rowTime = (a: number, b: number) => src.timeMs(a) - src.timeMs(b);
  for (const m of [l.byHostImage, l.byHostImagePath]) for (const rows of m.values()) rows.sort(rowTime);
  for (const m of [l.filesByHostPath, l.filesByHostName, l.deletionsByHostKey, l.keyCreations]) {
    for (const arr of m.values()) (arr as IndexedEvent[]).sort(byTime);
  }
  return l;
}

/** Indexes the rows of these guids (guidKey'd) that are not indexed yet: one pass over the starts. */
function indexGuids(l: Lookups, guids: Iterable<string>): void {
  const todo = new Set<string>();
  for (const g of guids) if (!l.guidIndexed.has(g)) todo.add(g);
  if (!todo.size) return;
  for (const g of todo) l.guidIndexed.add(g);
  for (const [g, rows] of l.src.guidRows(todo)) l.guidRows.set(g, rows);
}

/** The start with this guid on this host (the last one, should the evidence hold it twice). */
function rowByGuid(l: Lookups, host: string, guid: string): number | undefined {
  const g = guidKey(guid);
  if (!l.guidIndexed.has(g)) indexGuids(l, [g]);
  const rows = l.guidRows.get(g);
  if (!rows) return undefined;
  const want = l.hostKey(host);
  for (let k = rows.length - 1; k >= 0; k--) if (l.hostKey(l.src.host(rows[k])) === want) return rows[k];
  return undefined;
}

/**
 * Indexes up front the guids correlation will ask for: the writers' and, level by level, their
 * ancestors' (ANCESTOR_DEPTH levels), each level one pass over the starts.
 */
function indexWriterGuids(l: Lookups, writers: Iterable<string>): void {
  let level = new Set<string>();
  for (const g of writers) level.add(guidKey(g));
  for (let depth = 0; depth <= ANCESTOR_DEPTH && level.size; depth++) {
    indexGuids(l, level);
    const next = new Set<string>();
    for (const g of level) {
      for (const r of l.guidRows.get(g) ?? []) {
        const parent = l.src.parentGuid(r);
        if (parent && !l.guidIndexed.has(guidKey(parent))) next.add(guidKey(parent));
      }
    }
    level = next;
  }
}

function link(e: IndexedEvent, kind: EventLink['kind'], summary: string): EventLink {
  return { key: e.key, kind, time: e.time, ref: e.ref, summary };
}

/**
 * The link to an indexed file or registry event, made once per event and shared by every finding
 * that links it (one deletion of a value written 20,000 times is a deletion of each write).
 */
function sharedLink<E extends IndexedEvent>(e: E, l: Lookups, make: (e: E) => EventLink): EventLink {
  let made = l.eventLinks.get(e);
  if (!made) l.eventLinks.set(e, (made = make(e)));
  return made;
}

const fileLink = (f: IndexedFile) => link(f, 'file', byImage(f.image, `created ${f.path}`));
const deletionLink = (d: IndexedDeletion) => link(d, 'registry', byImage(d.image, `deleted ${d.registryKey}${d.valueName !== undefined ? '\\' + d.valueName : ''}`));

/** "reg.exe created C:\...": the acting image's name, or '?' when the source does not say. */
function byImage(image: string | undefined, what: string): string {
  return `${image ? baseName(image) : '?'} ${what}`;
}

/**
 * The same process start logged by other sources (the 4688 beside a Sysmon 1, a Defender row):
 * same host and pid, same image name, within the sighting window.
 */
function processTwins(p: IndexedProcess, l: Lookups, o: AnalyzeOptions): EvidenceSighting[] {
  if (p.pid === undefined || !p.source || l.procSources.size < 2) return [];
  const starts = l.procs.get(lc(p.host))?.byPid(p.pid);
  if (!starts) return [];
  const src = l.src;
  const out: EvidenceSighting[] = [];
  // sorted by time: binary-search the window's start (a busy host reuses pids thousands of times)
  const from = lowerBoundRows(starts, src, p.timeMs - o.sightingWindowMs);
  for (const s of SOURCES) {
    if (s === p.source || !l.procSources.has(s)) continue;
    for (let i = from; i < starts.length && src.timeMs(starts[i]) <= p.timeMs + o.sightingWindowMs && out.length < MAX_TWINS; i++) {
      const r = starts[i];
      if (src.source(r) !== s) continue;
      work.steps++;
      if (!sameActor(p, { pid: src.pid(r), image: src.image(r) })) continue;
      const q = l.obj(r);
      out.push({ key: q.key, ref: q.ref, eventId: q.eventId, source: q.source as EventSource });
    }
  }
  return out;
}

/**
 * The link to a process start, made once per start and shared by every finding that links it (a
 * payload run thousands of times is an execution of each of its writes: one link object, not one
 * per finding). Links are plain data that nothing mutates.
 */
function procLink(p: IndexedProcess, l: Lookups, o: AnalyzeOptions): EventLink {
  let made = l.procLinks.get(p);
  if (!made) l.procLinks.set(p, (made = makeProcLink(p, l, o)));
  return made;
}

function makeProcLink(p: IndexedProcess, l: Lookups, o: AnalyzeOptions): EventLink {
  const parent = p.parentImage ? `${baseName(p.parentImage)} → ` : '';
  const out = link(p, 'process', `${parent}${p.commandLine ?? p.image ?? '(unknown process)'}`);
  const twins = processTwins(p, l, o);
  return twins.length ? { ...out, alsoSeenIn: twins } : out;
}

function findWriter(c: Candidate, l: Lookups, o: AnalyzeOptions): IndexedProcess | undefined {
  if (c.writer.processGuid) {
    const r = rowByGuid(l, c.host, c.writer.processGuid);
    if (r !== undefined) return l.obj(r);
  }
  return findByPid(c.host, c.writer.pid, c.writer.image, c.timeMs, l, o, c.writer.processGuid);
}

/** The latest start of `pid` on `host` before `timeMs` (within the window), same image if known. */
function findByPid(host: string, pid: number | undefined, image: string | undefined, timeMs: number, l: Lookups, o: AnalyzeOptions, guid?: string): IndexedProcess | undefined {
  if (pid === undefined) return undefined;
  // a start known by a guid that is not in the evidence can only be one logged without a guid
  const starts = l.procs.get(lc(host))?.byPid(pid, guid !== undefined) ?? [];
  const src = l.src;
  // the latest start at or before timeMs: walk back from the binary-searched end of the window
  const name = image ? imageName(image) : undefined;
  for (let i = upperBoundRows(starts, src, timeMs) - 1; i >= 0; i--) {
    work.steps++;
    const r = starts[i];
    if (timeMs - src.timeMs(r) > o.pidWindowMs) break;
    const pImage = src.image(r);
    if (name && pImage && imageName(pImage) !== name) continue;
    return l.obj(r);
  }
  return undefined;
}

function ancestors(p: IndexedProcess, l: Lookups, o: AnalyzeOptions): IndexedProcess[] {
  const out: IndexedProcess[] = [];
  let cur: IndexedProcess | undefined = p;
  const seen = new Set<string>([p.key]);
  while (cur && out.length < ANCESTOR_DEPTH) {
    const parent = parentOf(cur, l, o);
    if (!parent || seen.has(parent.key)) break;
    seen.add(parent.key);
    out.push(parent);
    cur = parent;
  }
  return out;
}

/**
 * The start of p's parent, looked up once per start: the writers of a case share their ancestors
 * (every write of a session's programs goes back to one explorer.exe).
 */
function parentOf(p: IndexedProcess, l: Lookups, o: AnalyzeOptions): IndexedProcess | undefined {
  const known = l.parents.get(p);
  if (known !== undefined) return known ?? undefined;
  let parent: IndexedProcess | undefined;
  if (p.parentGuid) {
    const r = rowByGuid(l, p.host, p.parentGuid);
    if (r !== undefined) parent = l.obj(r);
  }
  parent ??= findByPid(p.host, p.parentPid, p.parentImage, p.timeMs, l, o, p.parentGuid);
  l.parents.set(p, parent ?? null);
  return parent;
}

function payloadCandidates(c: Candidate): { full?: string; name?: string } {
  if (!c.payloadPath) return {};
  const user = (c.user ?? '').replace(/^.*\\/, '') || undefined;
  const full = expandEnv(c.payloadPath.replace(/^"|"$/g, ''), user);
  return { full: full.includes('<user>') ? undefined : full, name: baseName(full) };
}

/** Process starts on `host` whose command line names a Startup-folder file (time-sorted), once per target. */
function startupExecutions(host: string, target: string, l: Lookups): number[] {
  const k = `${host}|${target}`;
  let out = l.startupExecs.get(k);
  if (!out) {
    const hp = l.procs.get(host);
    out = [];
    if (hp) {
      const { ids, start, rows } = hp.commandLines();
      work.steps += ids.length;
      for (let g = 0; g < ids.length; g++) {
        if (hp.lowerCommandLine(ids[g]).includes(target)) for (let k = start[g]; k < start[g + 1]; k++) out.push(rows[k]);
      }
    }
    const src = l.src;
    // rows of one time keep row order, as they did when the rows were searched in order
    out.sort((a, b) => src.timeMs(a) - src.timeMs(b) || a - b);
    l.startupExecs.set(k, out);
  }
  return out;
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
    const from = lowerBound(files, c.timeMs - o.payloadWindowMs);
    const to = upperBound(files, c.timeMs);
    const before = files.slice(from, to);
    work.steps += Math.min(before.length, MAX_LINKS) + 1;
    // the drops nearest the write are the ones that matter: keep the last MAX_LINKS
    corr.payloadCreated = before.slice(-MAX_LINKS).map((f) => sharedLink(f, l, fileLink));
    if (before.length) {
      const secs = Math.round((c.timeMs - before[before.length - 1].timeMs) / 1000);
      reasons.push({ id: 'correlation.payload-dropped', title: 'Payload dropped just before the write', weight: 15, attack: ['T1105'], explanation: `The payload file was created ${secs} s before the autostart entry was written: drop-then-persist.`, matched: before[0].path });
    }
  }
  // later executions of the payload (the persistence firing)
  if (name) {
    const procs = (full ? l.byHostImagePath.get(`${host}|${full}`) : l.byHostImage.get(`${host}|${name}`)) ?? [];
    const src = l.src;
    const first = lowerBoundRows(procs, src, c.timeMs);
    let rows = procs.slice(first, first + MAX_LINKS);
    let count = procs.length - first;
    if (c.basis === 'startup-file') {
      const viaHost = startupExecutions(host, lc(c.value), l);
      const from = lowerBoundRows(viaHost, src, c.timeMs);
      const seen = new Set(procs.slice(first));
      const extra = viaHost.slice(from).filter((r) => !seen.has(r));
      work.steps += viaHost.length - from;
      count += extra.length;
      rows = [...rows, ...extra.slice(0, MAX_LINKS)].sort((a, b) => src.timeMs(a) - src.timeMs(b)).slice(0, MAX_LINKS);
    }
    work.steps += rows.length + 1;
    const execs = rows.map((r) => l.obj(r));
    corr.executions = execs.map((p) => procLink(p, l, o));
    if (count) {
      reasons.push({ id: 'correlation.executed', title: 'Persistence fired', weight: 10, attack: [], explanation: `The payload ran ${count} time(s) after the write (first at ${execs[0].time}): the persistence fired.`, matched: execs[0].commandLine ?? execs[0].image });
    }
  }
  // a key renamed into the location: its creation under the first name (regedit's "New Key #1")
  const from = renamedFrom(c);
  if (from) {
    const made = l.keyCreations.get(`${host}|${lc(canonicalRegistryPath(from))}`) ?? [];
    const last: IndexedKeyCreation | undefined = made[upperBound(made, c.timeMs) - 1];
    if (last) {
      corr.keyCreated = [link(last, 'registry', byImage(last.image, `created ${last.registryKey}`))];
      const secs = Math.round((c.timeMs - last.timeMs) / 1000);
      reasons.push({ id: 'correlation.key-created', title: 'Key created under another name first', weight: 0, attack: [], explanation: `The key was created as ${baseName(last.registryKey)} ${secs} s before it was renamed into the autostart location.`, matched: last.registryKey });
    }
  }
  // deletion of the value afterwards
  if (c.registryKey && l.hostsWithDeletions.has(host)) {
    const k = locationKeyForm(c.registryKey).key;
    const dels: CorrelationIndex['deletions'] = [];
    const lists = [l.deletionsByHostKey.get(deletionKey(host, k, c.valueName ?? '')), ...keyDeletions(l, host, k)];
    for (const list of lists) {
      if (!list) continue;
      const from = lowerBound(list, c.timeMs);
      // each list is time-sorted: its first MAX_LINKS after the write are all the earliest can need
      for (let i = from; i < list.length && i < from + MAX_LINKS; i++) dels.push(list[i]);
      work.steps += 1 + Math.min(MAX_LINKS, list.length - from);
    }
    dels.sort(byTime).splice(MAX_LINKS);
    corr.deletions = dels.map((d) => sharedLink(d, l, deletionLink));
    if (dels.length) {
      const secs = Math.round((dels[0].timeMs - c.timeMs) / 1000);
      const runOnce = c.location === 'runonce' || c.location === 'runonceex';
      reasons.push({ id: 'correlation.deleted', title: runOnce ? 'RunOnce entry consumed' : 'Entry deleted afterwards', weight: 0, attack: [], explanation: runOnce ? `The value was deleted ${secs} s later, as Windows does when a RunOnce entry runs (or as a clean-up).` : `The value was deleted ${secs} s later: clean-up after a test, or an attacker covering tracks.`, matched: dels[0].image });
    }
  }
  return { correlation: corr, reasons };
}

/**
 * Deletions of a key and of each key above it on a host (a deleted key takes its values with it),
 * worked out once per host and key: a case writes a few keys many times.
 */
function keyDeletions(l: Lookups, host: string, key: string): IndexedDeletion[][] {
  const memo = `${host}|${key}`;
  let out = l.keyDeletions.get(memo);
  if (!out) {
    out = [];
    const parts = key.split('/');
    for (let n = parts.length; n > 0; n--) {
      const list = l.deletionsByHostKey.get(deletionKey(host, parts.slice(0, n).join('/'), undefined));
      if (list) out.push(list);
    }
    l.keyDeletions.set(memo, out);
  }
  return out;
}

/** Time-sorted candidates under a key, searched by a window around a time. */
class TimedIndex {
  private readonly m = new Map<string, Candidate[]>();
  add(k: string, c: Candidate): void {
    pushTo(this.m, k, c);
  }
  seal(): void {
    for (const a of this.m.values()) a.sort((x, y) => x.timeMs - y.timeMs);
  }
  /** Candidates under `k` within `windowMs` of `t`, nearest first, at most `limit` that `ok` accepts. */
  near(k: string, t: number, windowMs: number, limit: number, ok: (c: Candidate) => boolean): Candidate[] {
    const list = this.m.get(k);
    if (!list) return [];
    const out: Candidate[] = [];
    let right = lowerBound(list, t);
    let left = right - 1;
    while (out.length < limit) {
      const r = right < list.length && list[right].timeMs - t <= windowMs ? list[right] : undefined;
      const lft = left >= 0 && t - list[left].timeMs <= windowMs ? list[left] : undefined;
      if (!r && !lft) break;
      work.steps++;
      const takeRight = r !== undefined && (lft === undefined || r.timeMs - t <= t - lft.timeMs);
      const x = (takeRight ? r : lft) as Candidate;
      if (takeRight) right++;
      else left--;
      if (ok(x)) out.push(x);
    }
    return out;
  }
}

const FOLD_WINDOW_MS = 120_000;

/**
 * Fold command-line sightings into the registry / file event they caused, and cmd.exe /c into its
 * child. Candidates are indexed by what a fold requires to be equal (host + location + guid, pid,
 * key or parent command line), so each command line looks only at its possible partners, nearest in
 * time first, and folds into at most MAX_FOLDS of them.
 */
function dropDuplicates(cands: readonly Candidate[], l: Lookups): { kept: Candidate[]; folded: Map<Candidate, Candidate[]> } {
  // keyed by the candidate itself: ids repeat when the same record is read twice
  const folded = new Map<Candidate, Candidate[]>();
  const fold = (into: Candidate, c: Candidate) => pushTo(folded, into, c);
  const direct = cands.filter((c) => c.basis !== 'command-line');
  const cmd = cands.filter((c) => c.basis === 'command-line');
  const covered = new Set<Candidate>();
  if (!cmd.length) return { kept: [...cands], folded };
  const keyOf = memoized((k) => locationKeyForm(k).key);
  const h = memoized((x) => x.toLowerCase());
  const startOf = (c: Candidate) => {
    const r = c.writer.processGuid ? rowByGuid(l, c.host, c.writer.processGuid) : undefined;
    return r === undefined ? undefined : l.obj(r);
  };
  // direct writes by host + location + (writer guid | writer's parent guid | pid | key), for the
  // hosts and locations command lines were seen on only
  const cmdBases = new Set(cmd.map((c) => `${h(c.host)}|${c.location}`));
  const dIdx = new TimedIndex();
  for (const d of direct) {
    const base = `${h(d.host)}|${d.location}`;
    if (!cmdBases.has(base)) continue;
    if (d.writer.processGuid) {
      dIdx.add(`${base}|g|${lc(d.writer.processGuid)}`, d);
      const parent = startOf(d)?.parentGuid;
      if (parent && lc(parent) !== lc(d.writer.processGuid)) dIdx.add(`${base}|g|${lc(parent)}`, d);
    }
    if (d.writer.pid !== undefined) dIdx.add(`${base}|p|${d.writer.pid}`, d);
    if (d.registryKey !== undefined) dIdx.add(`${base}|k|${keyOf(d.registryKey)}`, d);
  }
  dIdx.seal();
  for (const c of cmd) {
    const base = `${h(c.host)}|${c.location}`;
    const g = lc(c.writer.processGuid);
    const into = new Set<Candidate>();
    const add = (k: string) => {
      for (const d of dIdx.near(k, c.timeMs, FOLD_WINDOW_MS, MAX_FOLDS, (x) => !into.has(x))) if (into.size < MAX_FOLDS) into.add(d);
    };
    if (g) add(`${base}|g|${g}`);
    if (c.writer.pid !== undefined) add(`${base}|p|${c.writer.pid}`);
    if (!g && c.registryKey !== undefined) add(`${base}|k|${keyOf(c.registryKey)}`);
    for (const d of into) {
      covered.add(c);
      fold(d, c);
    }
  }
  // cmd.exe /c "reg add ..." and its reg.exe child: keep the child (the real writer)
  const cIdx = new TimedIndex();
  for (const p of cmd) {
    const base = `${h(p.host)}|${p.location}`;
    if (p.writer.processGuid) cIdx.add(`${base}|g|${lc(p.writer.processGuid)}`, p);
    if (p.writer.pid !== undefined && p.writer.image) cIdx.add(`${base}|c|${imageName(p.writer.image)}|${lc(p.writer.commandLine)}`, p);
  }
  cIdx.seal();
  for (const c of cmd) {
    const base = `${h(c.host)}|${c.location}`;
    const parentGuid = lc(startOf(c)?.parentGuid);
    const parents = new Set<Candidate>();
    const add = (k: string) => {
      for (const p of cIdx.near(k, c.timeMs, FOLD_WINDOW_MS, MAX_FOLDS, (x) => x !== c && !parents.has(x))) if (parents.size < MAX_FOLDS) parents.add(p);
    };
    if (parentGuid) add(`${base}|g|${parentGuid}`);
    if (c.writer.parentImage) add(`${base}|c|${imageName(c.writer.parentImage)}|${lc(c.writer.parentCommandLine)}`);
    for (const p of parents) {
      covered.add(p);
      fold(c, p);
    }
  }
  // a sighting folded into one that is itself folded ends up on the finding that is kept
  const kept = cands.filter((c) => !covered.has(c));
  for (const k of kept) {
    const queue = [...(folded.get(k) ?? [])];
    const seen = new Set<Candidate>();
    const all: Candidate[] = [];
    for (let i = 0; i < queue.length; i++) {
      const x = queue[i];
      work.steps++;
      if (seen.has(x)) continue;
      seen.add(x);
      all.push(x);
      for (const y of folded.get(x) ?? []) if (!seen.has(y)) queue.push(y);
    }
    if (all.length) folded.set(k, all);
  }
  return { kept, folded };
}

/**
 * Sigma findings on a candidate's event become reasons of that candidate; the rest become
 * candidates, one per rule and event (a rule's hits on the Sysmon and Security records of one write merge).
 */
function attachSigma(merged: Candidate[], sigma: readonly Finding[], windowMs: number): { writes: Candidate[]; sigmaReasons: Map<Candidate, Reason[]> } {
  const sigmaReasons = new Map<Candidate, Reason[]>();
  if (!sigma.length) return { writes: merged, sigmaReasons };
  const byEvent = new Map<string, Candidate>();
  for (const c of merged) {
    if (c.basis === 'sigma') continue;
    if (!byEvent.has(c.evidence.key)) byEvent.set(c.evidence.key, c);
    for (const s of c.alsoSeenIn ?? []) if (!byEvent.has(s.key)) byEvent.set(s.key, c);
  }
  const hits: Candidate[] = [];
  const own = new Set<string>();
  for (const f of sigma) {
    const c = byEvent.get(f.evidence.key);
    if (c) {
      const list = sigmaReasons.get(c) ?? [];
      sigmaReasons.set(c, list);
      for (const r of f.reasons) if (!list.some((x) => x.id === r.id) && !c.reasons.some((x) => x.id === r.id)) list.push(r);
      continue;
    }
    if (own.has(f.id)) continue; // the same hit reported twice
    own.add(f.id);
    const { score: _s, severity: _v, rarity: _r, baseline: _b, correlation: _c, ...cand } = f;
    hits.push(cand);
  }
  // one rule's hits on the records several sources (or copies of one log) keep of one event are one
  // finding, as the engine's own are
  return { writes: [...merged, ...mergeSightings(hits, windowMs)], sigmaReasons };
}

/** What the case stage adds to a candidate before its baseline and score. */
interface CaseFacts {
  writer: Finding['writer'];
  /** Every reason so far (the candidate's, Sigma's, correlation's, rarity's); baseline reasons are added here. */
  reasons: Reason[];
  correlation: Correlation;
  /** Absent while the case is still being read (rarity needs all of it). */
  rarity?: Finding['rarity'];
}

/** The finding: baseline applied (never silencing strong signs without saying so), then scored. */
function scored(c: Candidate, facts: CaseFacts, baseline: Baseline, o: AnalyzeOptions): Finding {
  const reasons = facts.reasons;
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
  // Every field by name, in one literal: one shape for every finding. Spreading the candidate
  // copied it through the generic path (candidates come in several shapes: merged, Sigma, plain),
  // which was the largest single cost of the case stage. Absent fields are undefined (JSON drops them).
  return {
    id: c.id, basis: c.basis, host: c.host, user: c.user, time: c.time, timeMs: c.timeMs, location: c.location, locationTitle: c.locationTitle,
    registryKey: c.registryKey, valueName: c.valueName, value: c.value, payloadPath: c.payloadPath, wow64: c.wow64, commandLine: c.commandLine,
    action: c.action, normalizedValue: c.normalizedValue, writer: facts.writer, score, severity, reasons, attack, decodedPowerShell: c.decodedPowerShell,
    rarity: facts.rarity, baseline: baselineMatch, correlation: facts.correlation, evidence: c.evidence, alsoSeenIn: c.alsoSeenIn, sigmaRule: c.sigmaRule,
  };
}

/**
 * Findings for candidates on their own, while the evidence is still being read: each candidate's
 * own reasons, baseline and score, without correlation, rarity, merging or folding (analyzeCase
 * gives those once the case is in). Much cheaper than analyzeCase on every batch.
 */
export function scoreCandidates(candidates: readonly Candidate[], baseline?: Baseline, options?: Partial<AnalyzeOptions>): Finding[] {
  const o: AnalyzeOptions = { ...DEFAULT_OPTIONS, ...options, rarity: { ...DEFAULT_OPTIONS.rarity, ...options?.rarity } };
  return candidates.map((c) => scored(c, {
    writer: { ...c.writer },
    reasons: [...c.reasons],
    correlation: { writerAncestors: [], payloadCreated: [], executions: [], deletions: [] },
  }, baseline ?? EMPTY_BASELINE, o));
}

/** Findings for a case: correlation, rarity, baseline and scoring over every candidate. */
export function analyzeCase(input: CaseInput): Finding[] {
  const o: AnalyzeOptions = { ...DEFAULT_OPTIONS, ...input.options, rarity: { ...DEFAULT_OPTIONS.rarity, ...input.options?.rarity } };
  const baseline = input.baseline ?? EMPTY_BASELINE;
  const l = buildLookups(input.index, input.candidates);
  // the same write logged by several sources is one finding with corroborating evidence; this
  // comes first so rarity counts a write once and command lines fold into the merged finding
  // multi-part 4104 blocks are read once all their parts are in; PowerShell's records of a write
  // fold together and into the start or the registry event of the same write (script-merge)
  const scripted = mergeScriptSightings(mergeSightings([...input.candidates, ...joinedScriptCandidates(input.index)], o.sightingWindowMs));
  const { writes, sigmaReasons } = attachSigma(scripted.writes, input.sigmaFindings ?? [], o.sightingWindowMs);
  indexWriterGuids(l, writes.flatMap((c) => (c.writer.processGuid ? [c.writer.processGuid] : [])));
  const { kept, folded } = dropDuplicates(writes, l);
  // hive state meets the logged writes once they are merged, so a write logged twice meets it once
  const cands = input.state ? stateVsHistory(kept, input.state) : kept;

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

  const logons = new LogonLookup(input.index);
  const findings: Finding[] = [];
  for (const c of cands) {
    const writerStart = findWriter(c, l, o);
    const w = c.writer;
    // one literal naming each field (adding them one by one reshaped the object six times; a
    // spread of the candidate's writer took V8's generic copy)
    const writer: Candidate['writer'] = {
      image: w.image,
      pid: w.pid,
      processGuid: w.processGuid ?? writerStart?.guid,
      commandLine: w.commandLine ?? writerStart?.commandLine,
      user: w.user ?? writerStart?.user,
      hashes: w.hashes ?? writerStart?.hashes,
      parentImage: w.parentImage ?? writerStart?.parentImage,
      parentCommandLine: w.parentCommandLine ?? writerStart?.parentCommandLine,
    };
    const { correlation, reasons: corrReasons } = correlate(c, l, input.index, o, writerStart);
    const wc = writerContext(c, writer, writerStart ? [writerStart, ...ancestors(writerStart, l, o)] : [], logons);
    corrReasons.push(...wc.reasons);
    if (wc.networkLogon) correlation.networkLogon = wc.networkLogon;
    const sightings = [...(scripted.starts.get(c) ?? []), ...(folded.get(c) ?? [])];
    if (sightings.length) {
      correlation.commandLineSightings = sightings.map((s) => {
        const l: EventLink = { key: s.evidence.key, kind: 'process', time: s.time, ref: s.evidence.ref, summary: s.commandLine ?? s.value };
        return s.alsoSeenIn ? { ...l, alsoSeenIn: s.alsoSeenIn } : l;
      });
    }
    const reasons: Reason[] = [...c.reasons, ...(sigmaReasons.get(c) ?? []), ...corrReasons];
    // a Sigma hit on a command line folded into this write (reg.exe add …) stays a reason of it
    for (const s of sightings) {
      for (const r of sigmaReasons.get(s) ?? []) if (!reasons.some((x) => x.id === r.id)) reasons.push(r);
    }

    const st = stacks.get(`${c.location}|${c.normalizedValue}`) ?? { hosts: new Set<string>(), count: 1 };
    const speaks = totalHosts >= o.rarity.minHostsInCase;
    const rare = speaks && st.hosts.size <= o.rarity.maxHosts && st.count < o.rarity.maxCount;
    if (speaks) {
      reasons.push(rare
        ? { id: 'rarity.rare', title: 'Rare in this case', weight: 15, attack: [], explanation: `Seen on ${st.hosts.size} of ${totalHosts} hosts (${st.count} time(s)).` }
        : { id: 'rarity.common', title: 'Common in this case', weight: st.hosts.size > o.rarity.maxHosts ? -10 : 0, attack: [], explanation: `Seen on ${st.hosts.size} of ${totalHosts} hosts (${st.count} times): widespread values are usually deployed software.` });
    }

    findings.push(scored(c, { writer, reasons, correlation, rarity: { hosts: st.hosts.size, totalHosts, count: st.count, rare } }, baseline, o));
  }
  findings.sort((a, b) => (a.timeMs - b.timeMs) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return findings;
}
