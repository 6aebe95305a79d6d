// Process starts kept column-wise. Most records of a Sysmon log are process starts and the case
// must hold every one of them until the case stage (any of them may turn out to be a writer, an
// ancestor of one, or an execution of a payload), so the case keeps them as numbers and ids into
// one string table rather than one 17-field object (+ evidence ref + event key) per start:
//  - numbers in typed columns: times, record ids and offsets as Float64, pids and chunks as
//    Uint32 (a value that does not fit is kept aside);
//  - strings that repeat (images, command lines, users, hashes) as ids into one interned string
//    table;
//  - what a whole log shares (host, file, source, format, event id) as one id of that combination
//    (a context), checked against the row before's and otherwise looked up;
//  - process GUIDs, unique per start, as four 32-bit words each (no string per start);
//  - the time string, when it is the ISO form of the epoch ms (with or without 7 fraction digits),
//    as a small number.
// The case stage reads the columns it searches by (host, guid, pid, image, time) and turns a row into
// an IndexedProcess only when correlation links it. A worker fills a table of its own and posts it
// as a ProcessBatch (typed arrays, transferable, plus the batch's distinct strings); the main
// process appends batches, interning each distinct string once per batch rather than per start.

import { eventKey, isEventKey, type EvidenceFormat, type EvidenceRef } from '../model/raw-event';
import type { EventSource, FileEvent, ProcessEvent } from '../model/events';
import type { IndexedProcess } from './types';
import { StringCache } from './collections';
import { isoTicks, parseEventTime } from '../normalize/event-time';

/** Row access to process starts: an array of IndexedProcess or a ProcessTable. */
export interface ProcessRows extends Iterable<IndexedProcess> {
  readonly length: number;
  /** Row i as an IndexedProcess (a new object for a table: callers that need identity cache it). */
  row(i: number): IndexedProcess;
  host(i: number): string;
  guid(i: number): string | undefined;
  pid(i: number): number | undefined;
  image(i: number): string | undefined;
  commandLine(i: number): string | undefined;
  source(i: number): EventSource | undefined;
  timeMs(i: number): number;
  parentGuid(i: number): string | undefined;
  hasGuid(i: number): boolean;
  /**
   * Rows per guid (by guidKey) for these guids only, in row order: one pass over the starts, so the
   * case stage indexes the few guids it asks for instead of every start's.
   */
  guidRows(guids: ReadonlySet<string>): Map<string, number[]>;
  /**
   * Ids of row i's host, image and source strings: equal strings have equal ids (0: absent), so
   * work per distinct string is done once per id. text(id) is the string.
   */
  hostId(i: number): number;
  imageId(i: number): number;
  sourceId(i: number): number;
  commandLineId(i: number): number;
  text(id: number): string | undefined;
  /** Ids run from 0 to below this: arrays by id can be made at their size. */
  textCount(): number;
}

/** A guid's case-free key: lower case (normalize's canonical form), without a copy for the usual canonical guid. */
export function guidKey(guid: string): string {
  return /[A-Z]/.test(guid) ? guid.toLowerCase() : guid;
}

/** ProcessRows over a plain array. */
export function arrayRows(list: readonly IndexedProcess[]): ProcessRows {
  const texts: (string | undefined)[] = [undefined];
  const ids = new Map<string, number>();
  const idOf = (s: string | undefined): number => {
    if (s === undefined) return 0;
    let n = ids.get(s);
    if (n === undefined) ids.set(s, (n = texts.push(s) - 1));
    return n;
  };
  // every id is made up front, so textCount() is known before any is asked for
  const idCols = list.map((p) => [idOf(p.host), idOf(p.image), idOf(p.source), idOf(p.commandLine)]);
  return {
    hostId: (i) => idCols[i][0],
    imageId: (i) => idCols[i][1],
    sourceId: (i) => idCols[i][2],
    commandLineId: (i) => idCols[i][3],
    text: (id) => texts[id],
    textCount: () => texts.length,
    guidRows(guids) {
      const out = new Map<string, number[]>();
      for (let i = 0; i < list.length; i++) {
        const g = list[i].guid;
        if (!g) continue;
        const k = guidKey(g);
        if (!guids.has(k)) continue;
        const rows = out.get(k);
        if (rows) rows.push(i);
        else out.set(k, [i]);
      }
      return out;
    },
    length: list.length,
    row: (i) => list[i],
    host: (i) => list[i].host,
    guid: (i) => list[i].guid,
    parentGuid: (i) => list[i].parentGuid,
    hasGuid: (i) => !!list[i].guid,
    pid: (i) => list[i].pid,
    image: (i) => list[i].image,
    commandLine: (i) => list[i].commandLine,
    source: (i) => list[i].source,
    timeMs: (i) => list[i].timeMs,
    [Symbol.iterator]: () => list[Symbol.iterator](),
  };
}

/** Rare parts of a row (archive members, line-based refs, hand-made keys). */
export interface RowExtra {
  member?: string;
  line?: number;
  /** Position in a JSON array (EvidenceRef.index). */
  index?: number;
  key?: string;
  /** EvidenceRef.recovered: a start carved from EVTX slack (rare, so kept here rather than in a column). */
  recovered?: true;
}

/**
 * A table's rows as plain data for postMessage: the typed arrays transfer, `strings` is the
 * batch's own string table (id 0 is "absent"), `times` and `extra` are sparse [row, value] lists.
 */
export interface ProcessBatch {
  length: number;
  nums: Float64Array;
  smalls: Uint32Array;
  sids: Uint32Array;
  guids: Uint32Array;
  strings: string[];
  times: [number, string][];
  extra: [number, RowExtra][];
  /** Small numbers that did not fit their Uint32 column, by row * SMALLS + column. */
  odd: [number, number][];
  /** The contexts rows name (see ProcessTable.contexts): host, file, source and format string ids, CONTEXT at a time. */
  contexts: number[];
  /** Each context's event id. */
  contextEvents: (number | undefined)[];
}

const NONE = 0;
/** In a guid string-id column: the guid is in the numeric guid columns. */
const NUMERIC = 0xffffffff;
/** Wide numbers per row (Float64, NaN = absent): timeMs, recordId, offset, headerRecordId. */
const NUMS = 4;
const N_TIME = 0;
const N_RECORD = 1;
const N_OFFSET = 2;
const N_HEADER_RECORD = 3;
/** Small numbers per row (Uint32, ABSENT = absent): pid, parentPid, chunk, time form. */
const SMALLS = 4;
const M_PID = 0;
const M_PPID = 1;
const M_CHUNK = 2;
const M_TIME_FORM = 3;
const ABSENT = 0xffffffff;
/** A small number that does not fit a Uint32 below ODD: the value is in the table's `odd` map. */
const ODD = 0xfffffffe;
/** time form: the time string is new Date(timeMs).toISOString(). 0..9999: that with 4 more fraction digits. */
const TIME_ISO_MS = -1;
/** Ids per row: context (not a string id), guid, image, cmd, hashes, user, pguid, pimage, pcmd. */
const SIDS = 9;
const S_CONTEXT = 0;
const S_GUID = 1;
const S_PGUID = 6;
/** String ids per context: host, file, source, format. */
const CONTEXT = 4;
const C_HOST = 0;
const C_FILE = 1;
const C_SOURCE = 2;
const C_FORMAT = 3;
/** Guid words per row: the process guid (0..3), the parent's (4..7). */
const GUIDW = 8;
/** Strings cached per image and kind (see byImage), and guids per ring (see guidId). */
const WAYS = 4;
/** Kinds of string cached per image. */
const KINDS = 5;
/** Rows per block: columns grow block by block (no doubling, no copy of what is there). */
const BLOCK_BITS = 14;
const BLOCK = 1 << BLOCK_BITS;
const BLOCK_MASK = BLOCK - 1;

/** Hex digit values of lower-case ASCII (-1: not one). */
const HEX = new Int8Array(128).fill(-1);
for (let c = 0; c < 10; c++) HEX[48 + c] = c;
for (let c = 0; c < 6; c++) HEX[97 + c] = 10 + c;

/** The 16-bit value of the 4 lower-case hex digits at s[i..i+4), negative when one is not such a digit. */
function hex4(s: string, i: number): number {
  // a char code of 128 or more makes its term negative, as HEX's -1 does: one test for all four
  const a = s.charCodeAt(i);
  const b = s.charCodeAt(i + 1);
  const c = s.charCodeAt(i + 2);
  const d = s.charCodeAt(i + 3);
  return (((HEX[a & 127] | -(a >> 7)) << 12) | ((HEX[b & 127] | -(b >> 7)) << 8) | ((HEX[c & 127] | -(c >> 7)) << 4) | (HEX[d & 127] | -(d >> 7)));
}

/** A lower-case braced guid "{xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx}" as four words, or false. */
function parseGuid(s: string, out: Uint32Array, o: number): boolean {
  if (s.length !== 38 || s.charCodeAt(0) !== 123 || s.charCodeAt(37) !== 125) return false;
  if (s.charCodeAt(9) !== 45 || s.charCodeAt(14) !== 45 || s.charCodeAt(19) !== 45 || s.charCodeAt(24) !== 45) return false;
  const a = hex4(s, 1);
  const b = hex4(s, 5);
  const c = hex4(s, 10);
  const d = hex4(s, 15);
  const e = hex4(s, 20);
  const f = hex4(s, 25);
  const g = hex4(s, 29);
  const h = hex4(s, 33);
  if ((a | b | c | d | e | f | g | h) < 0) return false;
  // int32 words; the Uint32Array keeps their bits
  out[o] = (a << 16) | b;
  out[o + 1] = (c << 16) | d;
  out[o + 2] = (e << 16) | f;
  out[o + 3] = (g << 16) | h;
  return true;
}

/** A hash of a guid's four words (Sysmon guids differ in a few of them). */
function guidHash(g: Uint32Array, o: number): number {
  const h = Math.imul(g[o] ^ Math.imul(g[o + 1], 0x9e3779b1) ^ Math.imul(g[o + 2], 0x85ebca6b) ^ Math.imul(g[o + 3], 0xc2b2ae35), 0x27d4eb2d);
  return (h ^ (h >>> 15)) >>> 0;
}

/** Guids parsed lately and their words (see ProcessTable.guidId). */
interface GuidRing {
  strs: (string | undefined)[];
  words: Uint32Array;
  next: number;
}

function newGuidRing(): GuidRing {
  return { strs: new Array<string | undefined>(WAYS).fill(undefined), words: new Uint32Array(4 * WAYS), next: 0 };
}

interface LastStart {
  cmd: string | undefined;
  hashes: string | undefined;
  user: string | undefined;
  pimage: string | undefined;
  pcmd: string | undefined;
  ids: Uint32Array;
}

/** See ProcessTable.guidIndex. */
interface GuidIndex {
  length: number;
  mask: number;
  heads: Int32Array;
  next: Int32Array;
  texts: Map<string, number[]>;
}

const hex8 = (w: number) => w.toString(16).padStart(8, '0');

function guidText(g: Uint32Array, o: number): string {
  const a = hex8(g[o]);
  const b = hex8(g[o + 1]);
  const c = hex8(g[o + 2]);
  return `{${a}-${b.slice(0, 4)}-${b.slice(4)}-${c.slice(0, 4)}-${c.slice(4)}${hex8(g[o + 3])}}`;
}

/**
 * The time form of a time string (see TIME_ISO_MS), or NaN when it must be kept as a string, so
 * the string the row gives back is the one it was given. normalize's time parser knows it for the
 * time it read last (isoTicks: TIME_ISO_MS is its -1), which is the event being indexed when the
 * evidence streams in; any other time is read by that parser first.
 */
function timeForm(time: string, timeMs: number): number {
  const known = isoTicks(time, timeMs);
  if (known !== undefined) return known;
  if (parseEventTime(time)?.ms !== timeMs) return NaN;
  return isoTicks(time, timeMs) ?? NaN;
}

function timeText(form: number, timeMs: number): string {
  const iso = new Date(timeMs).toISOString();
  return form === TIME_ISO_MS ? iso : `${iso.slice(0, 23)}${String(form).padStart(4, '0')}Z`;
}

/** Process starts as columns; append with add() / addEvent() / appendBatch(), read through ProcessRows. */
export class ProcessTable implements ProcessRows {
  length = 0;
  private readonly strs: string[] = [''];
  private ids: Map<string, number> | undefined = new Map();
  private readonly nums: Float64Array[] = [];
  private readonly smalls: Uint32Array[] = [];
  private readonly sids: Uint32Array[] = [];
  private readonly guids: Uint32Array[] = [];
  /** Time strings that are not the ISO form of their epoch ms, by row. */
  private readonly times = new Map<number, string>();
  private readonly extra = new Map<number, RowExtra>();
  /** Small numbers that do not fit a Uint32 (negative, fractional, huge), by row * SMALLS + column. */
  private readonly odd = new Map<number, number>();
  /** The last image interned and its id: runs of one image skip the lookup. */
  private lastImage: string | undefined = undefined;
  private lastImageId = NONE;

  /** Contexts (see CONTEXT): string ids, CONTEXT per context, and each one's event id. */
  private readonly contexts: number[] = [];
  private readonly contextEvents: (number | undefined)[] = [];
  private readonly contextIds = new Map<string, number>();
  /** The last context's parts and id: a log's rows share one. */
  private lastHost: string | undefined = undefined;
  private lastFile: string | undefined = undefined;
  private lastSource: string | undefined = undefined;
  private lastFormat: string | undefined = undefined;
  private lastEvent: number | undefined = undefined;
  private lastContext = -1;

  /** The context of these strings and event id: the last one's when they are its. */
  private contextOf(host: string, file: string, source: string | undefined, format: string, eventId: number | undefined): number {
    if (host === this.lastHost && file === this.lastFile && source === this.lastSource && format === this.lastFormat && eventId === this.lastEvent && this.lastContext >= 0) return this.lastContext;
    const n = this.contextOfIds(this.id(host), this.id(file), this.id(source), this.id(format), eventId);
    this.lastHost = host;
    this.lastFile = file;
    this.lastSource = source;
    this.lastFormat = format;
    this.lastEvent = eventId;
    this.lastContext = n;
    return n;
  }

  private contextOfIds(host: number, file: number, source: number, format: number, eventId: number | undefined): number {
    const key = `${host},${file},${source},${format},${eventId}`;
    let n = this.contextIds.get(key);
    if (n === undefined) {
      n = this.contextEvents.push(eventId) - 1;
      this.contexts.push(host, file, source, format);
      this.contextIds.set(key, n);
    }
    return n;
  }

  private context(i: number): number {
    return this.sids[i >>> BLOCK_BITS][(i & BLOCK_MASK) * SIDS + S_CONTEXT];
  }

  /** id() of an image, through the last image's. */
  private imageIdOf(s: string | undefined): number {
    if (s === undefined) return NONE;
    if (s === this.lastImage) return this.lastImageId;
    const n = this.id(s);
    this.lastImage = s;
    this.lastImageId = n;
    return n;
  }

  /**
   * Per image id and kind, the last WAYS strings interned and their ids: command line (0), hashes
   * (1), command line as a parent (2), user (3), parent image (4). A program mostly runs with the
   * same hashes, user and parent and a few command lines, and comparing with those costs less than
   * hashing a fresh string for the map.
   */
  private readonly perImage: (string | number | undefined)[][] = [];

  private byImage(image: number, k: number, s: string | undefined): number {
    if (s === undefined) return NONE;
    let slot = this.perImage[image];
    if (!slot) slot = this.perImage[image] = new Array<string | number | undefined>(KINDS * (2 * WAYS + 1)).fill(0);
    // a kind's ways: [string, id] × WAYS, then the way to replace next
    const o = k * (2 * WAYS + 1);
    for (let w = 0; w < WAYS; w++) if (slot[o + 2 * w] === s) return slot[o + 2 * w + 1] as number;
    const n = this.id(s);
    const w = slot[o + 2 * WAYS] as number;
    slot[o + 2 * w] = s;
    slot[o + 2 * w + 1] = n;
    slot[o + 2 * WAYS] = (w + 1) % WAYS;
    return n;
  }

  /** The last parent guids parsed and their words: a parent starts many children in a row. */
  private readonly parentRing = newGuidRing();
  /** The same for the guid column of a FileTable: a process creates many files in a row. */
  private readonly ownRing?: GuidRing;

  /**
   * `repeatedGuids`: the guid column repeats (a FileTable's creating processes). `loosePaths`: file
   * paths are kept without the map (see addFile).
   */
  constructor(opts: { repeatedGuids?: boolean; loosePaths?: boolean } = {}) {
    if (opts.repeatedGuids) this.ownRing = newGuidRing();
    this.loosePaths = !!opts.loosePaths;
  }

  private readonly loosePaths: boolean;

  /** Ids of strings seen lately, found without hashing the string (see StringCache). */
  private readonly recent = new StringCache<number>();
  private readonly intern = (s: string): number => this.mapId(s);
  /** Ids of file paths seen lately; a path not among them gets a new id, unhashed (see addFile). */
  private readonly recentPaths = new StringCache<number>();
  private readonly appendLoose = (s: string): number => this.strs.push(s) - 1;

  private id(s: string | undefined): number {
    if (s === undefined) return NONE;
    return this.recent.get(s, this.intern);
  }

  private mapId(s: string): number {
    let ids = this.ids;
    if (!ids) {
      ids = this.ids = new Map();
      for (let i = 1; i < this.strs.length; i++) ids.set(this.strs[i], i);
    }
    let n = ids.get(s);
    if (n === undefined) {
      n = this.strs.length;
      this.strs.push(s);
      ids.set(s, n);
    }
    return n;
  }

  private str(n: number): string | undefined {
    return n === NONE ? undefined : this.strs[n];
  }

  /** A new row: its number, with the blocks of its columns grown when needed. */
  private next(): number {
    const i = this.length++;
    if (i / BLOCK >= this.nums.length) {
      this.nums.push(new Float64Array(BLOCK * NUMS));
      this.smalls.push(new Uint32Array(BLOCK * SMALLS));
      this.sids.push(new Uint32Array(BLOCK * SIDS));
      this.guids.push(new Uint32Array(BLOCK * GUIDW));
    }
    return i;
  }

  private setSmall(i: number, k: number, v: number | undefined): void {
    const small = this.smalls[(i >>> BLOCK_BITS)];
    const o = (i & BLOCK_MASK) * SMALLS + k;
    if (v === undefined) small[o] = ABSENT;
    else if (v >>> 0 === v && v < ODD) small[o] = v;
    else {
      small[o] = ODD;
      this.odd.set(i * SMALLS + k, v);
    }
  }

  private small(i: number, k: number): number | undefined {
    const v = this.smalls[(i >>> BLOCK_BITS)][(i & BLOCK_MASK) * SMALLS + k];
    return v === ABSENT ? undefined : v === ODD ? this.odd.get(i * SMALLS + k) : v;
  }

  /** The guid column (word 0: the process's, 4: the parent's) of row i: words, or a string id. */
  private guidId(i: number, s: string | undefined, word: number, ring: GuidRing | undefined): number {
    if (s === undefined) return NONE;
    const g = this.guids[i >>> BLOCK_BITS];
    const o = (i & BLOCK_MASK) * GUIDW + word;
    if (!ring) return parseGuid(s, g, o) ? NUMERIC : this.id(s);
    const words = ring.words;
    for (let w = 0; w < WAYS; w++) {
      if (ring.strs[w] === s) {
        g[o] = words[4 * w];
        g[o + 1] = words[4 * w + 1];
        g[o + 2] = words[4 * w + 2];
        g[o + 3] = words[4 * w + 3];
        return NUMERIC;
      }
    }
    if (!parseGuid(s, g, o)) return this.id(s);
    const w = ring.next;
    ring.next = (w + 1) % WAYS;
    ring.strs[w] = s;
    words.set(g.subarray(o, o + 4), 4 * w);
    return NUMERIC;
  }

  private setTime(i: number, time: string, timeMs: number): void {
    const form = timeForm(time, timeMs);
    // stored as form + 1 (TIME_ISO_MS is 0); a time that is not an ISO form of its ms is kept whole
    this.setSmall(i, M_TIME_FORM, Number.isNaN(form) ? undefined : form + 1);
    if (Number.isNaN(form)) this.times.set(i, time);
  }

  /** Everything but the process fields: when, where in the evidence, and the event's key. */
  private setCommon(i: number, e: { key: string; ref: EvidenceRef; host: string; time: string; timeMs: number; eventId?: number; source?: string }): void {
    const b = (i >>> BLOCK_BITS);
    const num = this.nums[b];
    const o = (i & BLOCK_MASK) * NUMS;
    const r = e.ref;
    num[o + N_TIME] = e.timeMs;
    num[o + N_RECORD] = r.recordId ?? NaN;
    num[o + N_OFFSET] = r.offset ?? NaN;
    num[o + N_HEADER_RECORD] = r.headerRecordId ?? NaN;
    this.setSmall(i, M_CHUNK, r.chunk);
    this.setTime(i, e.time, e.timeMs);
    this.sids[b][(i & BLOCK_MASK) * SIDS + S_CONTEXT] = this.contextOf(e.host, r.file, e.source, r.format, e.eventId);
    if (r.member !== undefined || r.line !== undefined || r.index !== undefined || r.recovered) {
      const x: RowExtra = {};
      if (r.member !== undefined) x.member = r.member;
      if (r.line !== undefined) x.line = r.line;
      if (r.index !== undefined) x.index = r.index;
      if (r.recovered) x.recovered = true;
      this.extra.set(i, x);
    }
    // the key normalize gives is eventKey(ref); keep it only when it is not (hand-made events)
    if (!isEventKey(e.key, r)) {
      const x = this.extra.get(i) ?? {};
      x.key = e.key;
      this.extra.set(i, x);
    }
  }

  /** The process fields: pids, guids and the strings. */
  private setProcess(i: number, p: { pid?: number; guid?: string; image?: string; commandLine?: string; hashes?: string; user?: string }, q: { pid?: number; guid?: string; image?: string; commandLine?: string }): void {
    this.setSmall(i, M_PID, p.pid);
    this.setSmall(i, M_PPID, q.pid);
    const sid = this.sids[(i >>> BLOCK_BITS)];
    const s = (i & BLOCK_MASK) * SIDS;
    sid[s + S_GUID] = this.guidId(i, p.guid, 0, this.ownRing);
    const image = this.imageIdOf(p.image);
    sid[s + 2] = image;
    sid[s + S_PGUID] = this.guidId(i, q.guid, 4, this.parentRing);
    // the image's last start: a program mostly starts again the same way (same command line,
    // hashes, user and parent), and equal values are one string when the EVTX reader gives them
    const t = this.lastStart[image];
    if (t !== undefined && t.cmd === p.commandLine && t.hashes === p.hashes && t.user === p.user && t.pimage === q.image && t.pcmd === q.commandLine) {
      sid[s + 3] = t.ids[0];
      sid[s + 4] = t.ids[1];
      sid[s + 5] = t.ids[2];
      sid[s + 7] = t.ids[3];
      sid[s + 8] = t.ids[4];
      return;
    }
    const cmd = (sid[s + 3] = this.byImage(image, 0, p.commandLine));
    const hashes = (sid[s + 4] = this.byImage(image, 1, p.hashes));
    const user = (sid[s + 5] = this.byImage(image, 3, p.user));
    const parentImage = this.byImage(image, 4, q.image);
    sid[s + 7] = parentImage;
    const pcmd = (sid[s + 8] = this.byImage(parentImage, 2, q.commandLine));
    if (t === undefined) {
      this.lastStart[image] = { cmd: p.commandLine, hashes: p.hashes, user: p.user, pimage: q.image, pcmd: q.commandLine, ids: new Uint32Array([cmd, hashes, user, parentImage, pcmd]) };
    } else {
      t.cmd = p.commandLine;
      t.hashes = p.hashes;
      t.user = p.user;
      t.pimage = q.image;
      t.pcmd = q.commandLine;
      t.ids[0] = cmd;
      t.ids[1] = hashes;
      t.ids[2] = user;
      t.ids[3] = parentImage;
      t.ids[4] = pcmd;
    }
  }

  /** Per image id, the strings of its last start and their ids (see setProcess). */
  private readonly lastStart: (LastStart | undefined)[] = [];

  add(p: IndexedProcess): void {
    const i = this.next();
    this.setCommon(i, p);
    this.setProcess(i, p, { pid: p.parentPid, guid: p.parentGuid, image: p.parentImage, commandLine: p.parentCommandLine });
  }

  /** A process start event, straight into the columns (what indexEvent does for a table). */
  addEvent(ev: ProcessEvent): void {
    const i = this.next();
    const p = ev.process;
    const q = ev.parent;
    this.setCommon(i, ev);
    this.setProcess(i, { pid: p.pid, guid: p.processGuid, image: p.image, commandLine: p.commandLine, hashes: p.hashes, user: ev.user ?? p.user }, { pid: q.pid, guid: q.processGuid, image: q.image, commandLine: q.commandLine });
  }

  /**
   * A file creation, as a FileTable keeps it: the path in the command line column, the creating
   * process's image and guid in theirs.
   */
  addFile(ev: FileEvent): void {
    const i = this.next();
    this.setCommon(i, ev);
    const small = this.smalls[i >>> BLOCK_BITS];
    const m = (i & BLOCK_MASK) * SMALLS;
    small[m + M_PID] = ABSENT;
    small[m + M_PPID] = ABSENT;
    const sid = this.sids[i >>> BLOCK_BITS];
    const s = (i & BLOCK_MASK) * SIDS;
    sid[s + S_GUID] = this.guidId(i, ev.process.processGuid, 0, this.ownRing);
    const image = this.imageIdOf(ev.process.image);
    sid[s + 2] = image;
    // Most paths a log creates are new (temp files, caches): hashing each into the map cost more
    // than keeping the few that come back after leaving the recent cache twice. Ids stay what
    // they are for (a row's path; equal ids, equal paths), two ids may now hold one path.
    const path = ev.targetFilename;
    sid[s + 3] = path === undefined ? NONE : this.loosePaths ? this.recentPaths.get(path, this.appendLoose) : this.id(path);
  }

  /** Every row as plain data for postMessage (transfer the typed arrays' buffers). */
  toBatch(): ProcessBatch {
    const n = this.length;
    const nums = new Float64Array(n * NUMS);
    const smalls = new Uint32Array(n * SMALLS);
    const sids = new Uint32Array(n * SIDS);
    const guids = new Uint32Array(n * GUIDW);
    for (let b = 0; b * BLOCK < n; b++) {
      const rows = Math.min(BLOCK, n - b * BLOCK);
      nums.set(this.nums[b].subarray(0, rows * NUMS), b * BLOCK * NUMS);
      smalls.set(this.smalls[b].subarray(0, rows * SMALLS), b * BLOCK * SMALLS);
      sids.set(this.sids[b].subarray(0, rows * SIDS), b * BLOCK * SIDS);
      guids.set(this.guids[b].subarray(0, rows * GUIDW), b * BLOCK * GUIDW);
    }
    return {
      length: n, nums, smalls, sids, guids, strings: this.strs.slice(), times: [...this.times], extra: [...this.extra], odd: [...this.odd],
      contexts: this.contexts.slice(), contextEvents: this.contextEvents.slice(),
    };
  }

  /** Appends a batch (from toBatch(), usually another thread's table): one intern per distinct string. */
  appendBatch(batch: ProcessBatch): void {
    const remap = new Uint32Array(batch.strings.length);
    for (let k = 1; k < batch.strings.length; k++) remap[k] = this.id(batch.strings[k]);
    const contexts = new Uint32Array(batch.contextEvents.length);
    for (let k = 0; k < contexts.length; k++) {
      const c = batch.contexts;
      contexts[k] = this.contextOfIds(remap[c[k * CONTEXT + C_HOST]], remap[c[k * CONTEXT + C_FILE]], remap[c[k * CONTEXT + C_SOURCE]], remap[c[k * CONTEXT + C_FORMAT]], batch.contextEvents[k]);
    }
    const base = this.length;
    // rows land in runs that fill a block: copy each run's columns at once
    for (let r = 0; r < batch.length; ) {
      const i = this.next();
      const blk = (i >>> BLOCK_BITS);
      const at = i & BLOCK_MASK;
      const n = Math.min(batch.length - r, BLOCK - at);
      this.length += n - 1;
      this.nums[blk].set(batch.nums.subarray(r * NUMS, (r + n) * NUMS), at * NUMS);
      this.smalls[blk].set(batch.smalls.subarray(r * SMALLS, (r + n) * SMALLS), at * SMALLS);
      this.guids[blk].set(batch.guids.subarray(r * GUIDW, (r + n) * GUIDW), at * GUIDW);
      const sid = this.sids[blk];
      const from = batch.sids;
      for (let k = r * SIDS, o = at * SIDS, end = (r + n) * SIDS; k < end; k += SIDS, o += SIDS) {
        sid[o + S_CONTEXT] = contexts[from[k + S_CONTEXT]];
        for (let c = 1; c < SIDS; c++) {
          const v = from[k + c];
          sid[o + c] = v === NUMERIC ? NUMERIC : remap[v];
        }
      }
      r += n;
    }
    for (const [r, t] of batch.times) this.times.set(base + r, t);
    for (const [r, x] of batch.extra) this.extra.set(base + r, x);
    for (const [k, v] of batch.odd) this.odd.set(base * SMALLS + k, v);
  }

  guidRows(guids: ReadonlySet<string>): Map<string, number[]> {
    const out = new Map<string, number[]>();
    if (!guids.size) return out;
    const ix = this.guidIndex();
    const words = new Uint32Array(4);
    for (const g of guids) {
      const rows: number[] = [];
      if (parseGuid(g, words, 0)) {
        // the chain runs from the last row to the first
        for (let i = ix.heads[guidHash(words, 0) & ix.mask]; i >= 0; i = ix.next[i]) {
          const gw = this.guids[(i >>> BLOCK_BITS)];
          const o = (i & BLOCK_MASK) * GUIDW;
          if (gw[o] === words[0] && gw[o + 1] === words[1] && gw[o + 2] === words[2] && gw[o + 3] === words[3]) rows.push(i);
        }
        rows.reverse();
      }
      const spelled = ix.texts.get(g);
      if (spelled) {
        rows.push(...spelled);
        if (rows.length > spelled.length) rows.sort((a, b) => a - b);
      }
      if (rows.length) out.set(g, rows);
    }
    return out;
  }

  /**
   * Rows by guid, built in one pass when first asked for (and again once rows were added): a
   * chained hash over the numeric guids (heads by hash, next row by row), a map for guids kept as
   * strings (by guidKey, in row order).
   */
  private guidIndex(): GuidIndex {
    if (this.guidIx?.length === this.length) return this.guidIx;
    const n = this.length;
    let size = 1024;
    while (size < 2 * n) size *= 2;
    const ix: GuidIndex = { length: n, mask: size - 1, heads: new Int32Array(size).fill(-1), next: new Int32Array(n), texts: new Map() };
    for (let i = 0; i < n; i++) {
      const b = (i >>> BLOCK_BITS);
      const r = i & BLOCK_MASK;
      const v = this.sids[b][r * SIDS + S_GUID];
      if (v === NONE) continue;
      if (v === NUMERIC) {
        const h = guidHash(this.guids[b], r * GUIDW) & ix.mask;
        ix.next[i] = ix.heads[h];
        ix.heads[h] = i;
      } else {
        const k = guidKey(this.strs[v]);
        const rows = ix.texts.get(k);
        if (rows) rows.push(i);
        else ix.texts.set(k, [i]);
      }
    }
    this.guidIx = ix;
    return ix;
  }

  private guidIx?: GuidIndex;

  /** Appending is over for now: drop the string → id map (rebuilt if rows are added later). */
  seal(): void {
    this.ids = undefined;
  }

  private n(i: number, k: number): number | undefined {
    const v = this.nums[(i >>> BLOCK_BITS)][(i & BLOCK_MASK) * NUMS + k];
    return Number.isNaN(v) ? undefined : v;
  }

  private s(i: number, k: number): string | undefined {
    return this.str(this.sids[(i >>> BLOCK_BITS)][(i & BLOCK_MASK) * SIDS + k]);
  }

  private g(i: number, k: number, word: number): string | undefined {
    const b = (i >>> BLOCK_BITS);
    const v = this.sids[b][(i & BLOCK_MASK) * SIDS + k];
    return v === NUMERIC ? guidText(this.guids[b], (i & BLOCK_MASK) * GUIDW + word) : this.str(v);
  }

  host(i: number): string {
    return this.str(this.hostId(i)) ?? '';
  }
  private sidAt(i: number, k: number): number {
    return this.sids[(i >>> BLOCK_BITS)][(i & BLOCK_MASK) * SIDS + k];
  }
  hostId(i: number): number {
    return this.contexts[this.context(i) * CONTEXT + C_HOST];
  }
  imageId(i: number): number {
    return this.sidAt(i, 2);
  }
  sourceId(i: number): number {
    return this.contexts[this.context(i) * CONTEXT + C_SOURCE];
  }
  commandLineId(i: number): number {
    return this.sidAt(i, 3);
  }
  text(id: number): string | undefined {
    return this.str(id);
  }
  textCount(): number {
    return this.strs.length;
  }
  guid(i: number): string | undefined {
    return this.g(i, S_GUID, 0);
  }
  parentGuid(i: number): string | undefined {
    return this.g(i, S_PGUID, 4);
  }
  hasGuid(i: number): boolean {
    return this.sids[(i >>> BLOCK_BITS)][(i & BLOCK_MASK) * SIDS + S_GUID] !== NONE;
  }
  pid(i: number): number | undefined {
    return this.small(i, M_PID);
  }
  image(i: number): string | undefined {
    return this.s(i, 2);
  }
  commandLine(i: number): string | undefined {
    return this.s(i, 3);
  }
  source(i: number): EventSource | undefined {
    return this.str(this.sourceId(i)) as EventSource | undefined;
  }
  timeMs(i: number): number {
    return this.nums[(i >>> BLOCK_BITS)][(i & BLOCK_MASK) * NUMS + N_TIME];
  }

  time(i: number): string {
    const form = this.small(i, M_TIME_FORM);
    return form === undefined ? this.times.get(i) ?? '' : timeText(form - 1, this.timeMs(i));
  }

  ref(i: number): EvidenceRef {
    const c = this.context(i) * CONTEXT;
    const r: EvidenceRef = { file: this.str(this.contexts[c + C_FILE]) ?? '', format: this.str(this.contexts[c + C_FORMAT]) as EvidenceFormat };
    const x = this.extra.get(i);
    if (x?.member !== undefined) r.member = x.member;
    const recordId = this.n(i, N_RECORD);
    if (recordId !== undefined) r.recordId = recordId;
    const headerRecordId = this.n(i, N_HEADER_RECORD);
    if (headerRecordId !== undefined) r.headerRecordId = headerRecordId;
    if (x?.line !== undefined) r.line = x.line;
    const offset = this.n(i, N_OFFSET);
    if (offset !== undefined) r.offset = offset;
    const chunk = this.small(i, M_CHUNK);
    if (chunk !== undefined) r.chunk = chunk;
    if (x?.index !== undefined) r.index = x.index;
    if (x?.recovered) r.recovered = true;
    return r;
  }

  row(i: number): IndexedProcess {
    const ref = this.ref(i);
    // one literal, one shape for every row (absent fields are undefined)
    return {
      key: this.extra.get(i)?.key ?? eventKey(ref), ref, host: this.host(i), time: this.time(i), timeMs: this.timeMs(i),
      source: this.source(i), eventId: this.contextEvents[this.context(i)], guid: this.guid(i), pid: this.pid(i), image: this.image(i),
      commandLine: this.commandLine(i), hashes: this.s(i, 4), user: this.s(i, 5), parentGuid: this.parentGuid(i),
      parentPid: this.small(i, M_PPID), parentImage: this.s(i, 7), parentCommandLine: this.s(i, 8),
    };
  }

  *[Symbol.iterator](): Iterator<IndexedProcess> {
    for (let i = 0; i < this.length; i++) yield this.row(i);
  }
}
