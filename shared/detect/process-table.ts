// Process starts kept column-wise. Most records of a Sysmon log are process starts and the case
// must hold every one of them until the case stage (any of them may turn out to be a writer, an
// ancestor of one, or an execution of a payload), so the case keeps them as numbers and ids into
// one string table rather than one 17-field object (+ evidence ref + event key) per start. The
// case stage reads the columns it searches by (host, guid, pid, image, time) and turns a row into
// an IndexedProcess only when correlation links it.

import { eventKey, type EvidenceFormat, type EvidenceRef } from '../model/raw-event';
import type { EventSource } from '../model/events';
import type { IndexedProcess } from './types';

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
}

/** ProcessRows over a plain array. */
export function arrayRows(list: readonly IndexedProcess[]): ProcessRows {
  return {
    length: list.length,
    row: (i) => list[i],
    host: (i) => list[i].host,
    guid: (i) => list[i].guid,
    pid: (i) => list[i].pid,
    image: (i) => list[i].image,
    commandLine: (i) => list[i].commandLine,
    source: (i) => list[i].source,
    timeMs: (i) => list[i].timeMs,
    [Symbol.iterator]: () => list[Symbol.iterator](),
  };
}

/** Rare parts of a row (archive members, line-based refs, hand-made keys). */
interface RowExtra {
  member?: string;
  line?: number;
  key?: string;
}

const NONE = 0;
/** Numbers per row: timeMs, pid, parentPid, recordId, offset, eventId, headerRecordId, chunk (NaN = absent). */
const NUMS = 8;
/** String ids per row: host, guid, image, cmd, hashes, user, pguid, pimage, pcmd, file, source, format. */
const SIDS = 12;
/** Rows per block: columns grow block by block (no doubling, no copy of what is there). */
const BLOCK = 16384;

/** Process starts as columns; append with add(), read through ProcessRows. */
export class ProcessTable implements ProcessRows {
  length = 0;
  private readonly strs: string[] = [''];
  private ids: Map<string, number> | undefined = new Map();
  private readonly nums: Float64Array[] = [];
  private readonly sids: Uint32Array[] = [];
  private readonly times: string[] = [];
  private readonly extra = new Map<number, RowExtra>();

  private id(s: string | undefined): number {
    if (s === undefined) return NONE;
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

  add(p: IndexedProcess): void {
    const i = this.length++;
    const b = Math.floor(i / BLOCK);
    if (b === this.nums.length) {
      this.nums.push(new Float64Array(BLOCK * NUMS));
      this.sids.push(new Uint32Array(BLOCK * SIDS));
    }
    const num = this.nums[b];
    const o = (i % BLOCK) * NUMS;
    const r = p.ref;
    num[o] = p.timeMs;
    num[o + 1] = p.pid ?? NaN;
    num[o + 2] = p.parentPid ?? NaN;
    num[o + 3] = r.recordId ?? NaN;
    num[o + 4] = r.offset ?? NaN;
    num[o + 5] = p.eventId ?? NaN;
    num[o + 6] = r.headerRecordId ?? NaN;
    num[o + 7] = r.chunk ?? NaN;
    const sid = this.sids[b];
    const s = (i % BLOCK) * SIDS;
    sid[s] = this.id(p.host);
    sid[s + 1] = this.id(p.guid);
    sid[s + 2] = this.id(p.image);
    sid[s + 3] = this.id(p.commandLine);
    sid[s + 4] = this.id(p.hashes);
    sid[s + 5] = this.id(p.user);
    sid[s + 6] = this.id(p.parentGuid);
    sid[s + 7] = this.id(p.parentImage);
    sid[s + 8] = this.id(p.parentCommandLine);
    sid[s + 9] = this.id(r.file);
    sid[s + 10] = this.id(p.source);
    sid[s + 11] = this.id(r.format);
    this.times.push(p.time);
    const x: RowExtra = {};
    if (r.member !== undefined) x.member = r.member;
    if (r.line !== undefined) x.line = r.line;
    if (x.member !== undefined || x.line !== undefined) this.extra.set(i, x);
    // the key normalize gave is eventKey(ref); keep it only when it is not (hand-made events)
    if (p.key !== eventKey(r)) {
      const e = this.extra.get(i) ?? {};
      e.key = p.key;
      this.extra.set(i, e);
    }
  }

  /** Appending is over for now: drop the string → id map (rebuilt if rows are added later). */
  seal(): void {
    this.ids = undefined;
  }

  private n(i: number, k: number): number | undefined {
    const v = this.nums[Math.floor(i / BLOCK)][(i % BLOCK) * NUMS + k];
    return Number.isNaN(v) ? undefined : v;
  }

  private s(i: number, k: number): string | undefined {
    return this.str(this.sids[Math.floor(i / BLOCK)][(i % BLOCK) * SIDS + k]);
  }

  host(i: number): string {
    return this.s(i, 0) ?? '';
  }
  guid(i: number): string | undefined {
    return this.s(i, 1);
  }
  pid(i: number): number | undefined {
    return this.n(i, 1);
  }
  image(i: number): string | undefined {
    return this.s(i, 2);
  }
  commandLine(i: number): string | undefined {
    return this.s(i, 3);
  }
  source(i: number): EventSource | undefined {
    return this.s(i, 10) as EventSource | undefined;
  }
  timeMs(i: number): number {
    return this.nums[Math.floor(i / BLOCK)][(i % BLOCK) * NUMS];
  }

  ref(i: number): EvidenceRef {
    const r: EvidenceRef = { file: this.s(i, 9) ?? '', format: this.s(i, 11) as EvidenceFormat };
    const x = this.extra.get(i);
    if (x?.member !== undefined) r.member = x.member;
    const recordId = this.n(i, 3);
    if (recordId !== undefined) r.recordId = recordId;
    const headerRecordId = this.n(i, 6);
    if (headerRecordId !== undefined) r.headerRecordId = headerRecordId;
    if (x?.line !== undefined) r.line = x.line;
    const offset = this.n(i, 4);
    if (offset !== undefined) r.offset = offset;
    const chunk = this.n(i, 7);
    if (chunk !== undefined) r.chunk = chunk;
    return r;
  }

  row(i: number): IndexedProcess {
    const ref = this.ref(i);
    const p: IndexedProcess = { key: this.extra.get(i)?.key ?? eventKey(ref), ref, host: this.host(i), time: this.times[i], timeMs: this.timeMs(i) };
    const set = <K extends keyof IndexedProcess>(k: K, v: IndexedProcess[K] | undefined) => {
      if (v !== undefined) p[k] = v;
    };
    set('source', this.source(i));
    set('eventId', this.n(i, 5));
    set('guid', this.guid(i));
    set('pid', this.pid(i));
    set('image', this.image(i));
    set('commandLine', this.commandLine(i));
    set('hashes', this.s(i, 4));
    set('user', this.s(i, 5));
    set('parentGuid', this.s(i, 6));
    set('parentPid', this.n(i, 2));
    set('parentImage', this.s(i, 7));
    set('parentCommandLine', this.s(i, 8));
    return p;
  }

  *[Symbol.iterator](): Iterator<IndexedProcess> {
    for (let i = 0; i < this.length; i++) yield this.row(i);
  }
}
