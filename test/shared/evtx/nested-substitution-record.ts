// Generator of the substitution-amplification shape: an EVTX record whose payload substitution is
// a BinXML value (type 0x21) holding an instance of a level template that repeats its own
// substitution k times; that substitution is again BinXML holding the next level, D levels deep,
// and the innermost level instantiates <Payload>%0</Payload> with a string of `payloadChars`.
// ('data': the level template is <Level>%0 ... %0</Level>; 'eventdata': %0 ... %0 alone.)
// Decoded naively the record expands to k^D payloads while its bytes grow only linearly in D.
// Everything is written by hand (the project's writer only writes flat templates), as Windows
// lays it out: every fragment is [FragmentHeader][TemplateInstance][EOF], each template defined
// inline at its first use and referenced by chunk offset afterwards, element sizes filled in.

import { ByteWriter, nameHash } from '../../../shared/generator/evtx-writer/byte-writer';
import { crc32 } from '../../../shared/bytes/crc32';

export interface NestingShape {
  /** Repetitions of the substitution in each level template. */
  k: number;
  /**
   * Templates that repeat it, the record's own included: the payload is expanded k^depth times
   * (depth - 1 nested level instances, then the payload instance).
   */
  depth: number;
  /** Characters of the innermost string; 'fill' makes the record as large as the space allows. */
  payloadChars: number | 'fill';
  /**
   * 'data': the k substitutions are the text of <Data Name=dataName> (rendered to text: the
   * full decode, XML rendering, and the wanted-fields path when dataName is wanted).
   * 'eventdata': they stand where elements go under <EventData> (expanded as nested EventData
   * even when no field is wanted).
   */
  where: 'data' | 'eventdata';
  /** Name of the Data holding the 'data' shape (default CommandLine, which a scan decodes). */
  dataName?: string;
  /** The character the payload repeats (default 'A'). */
  payloadChar?: string;
}

const TOK = { eof: 0x00, open: 0x01, closeStart: 0x02, closeEmpty: 0x03, end: 0x04, value: 0x05, attr: 0x06, inst: 0x0c, sub: 0x0d, frag: 0x0f, more: 0x40 };
const VT = { string: 0x01, uint16: 0x06, uint64: 0x0a, filetime: 0x11, binxml: 0x21 };

/** Element tree of a template: text literal, substitution (index, type) or element. */
type TNode = string | { sub: number; type: number } | TEl;
interface TEl {
  name: string;
  attrs: [string, string | { sub: number; type: number }][];
  children: TNode[];
}
const el = (name: string, attrs: TEl['attrs'] = [], children: TNode[] = []): TEl => ({ name, attrs, children });

class BinXmlWriter {
  private readonly names = new Map<string, number>();
  constructor(readonly w: ByteWriter) {}

  name(n: string): void {
    const w = this.w;
    const known = this.names.get(n);
    if (known !== undefined) return w.u32(known);
    const at = w.pos + 4;
    this.names.set(n, at);
    w.u32(at);
    w.u32(0);
    w.u16(nameHash(n));
    w.u16(n.length);
    w.utf16(n);
    w.u16(0);
  }

  private valueToken(v: string | { sub: number; type: number }): void {
    const w = this.w;
    if (typeof v === 'string') {
      w.u8(TOK.value);
      w.u8(VT.string);
      w.u16(v.length);
      w.utf16(v);
    } else {
      w.u8(TOK.sub);
      w.u16(v.sub);
      w.u8(v.type);
    }
  }

  /** An element of a template definition (with the u16 dependency id template elements carry). */
  element(e: TEl): void {
    const w = this.w;
    w.u8(e.attrs.length ? TOK.open | TOK.more : TOK.open);
    w.u16(0xffff);
    const sizeAt = w.pos;
    w.u32(0);
    this.name(e.name);
    if (e.attrs.length) {
      const listAt = w.pos;
      w.u32(0);
      e.attrs.forEach(([n, v], i) => {
        w.u8(i < e.attrs.length - 1 ? TOK.attr | TOK.more : TOK.attr);
        this.name(n);
        this.valueToken(v);
      });
      w.putU32(listAt, w.pos - listAt - 4);
    }
    if (e.children.length === 0) w.u8(TOK.closeEmpty);
    else {
      w.u8(TOK.closeStart);
      for (const c of e.children) {
        if (typeof c === 'string' || 'sub' in c) this.valueToken(c);
        else this.element(c);
      }
      w.u8(TOK.end);
    }
    w.putU32(sizeAt, w.pos - sizeAt - 4);
  }

  /**
   * A TemplateInstance token. `def` is the chunk offset of an earlier definition, or the template
   * body to define inline here. Returns the definition's chunk offset.
   */
  instance(id: number, def: number | TNode[]): number {
    const w = this.w;
    w.u8(TOK.inst);
    w.u8(0x01);
    w.u32(id);
    if (typeof def === 'number') {
      w.u32(def);
      return def;
    }
    const at = w.pos + 4;
    w.u32(at);
    w.u32(0); // next template in the bucket
    for (let i = 0; i < 16; i++) w.u8(i < 4 ? (id >>> (8 * i)) & 0xff : 0xa0 + i); // GUID: first 4 bytes are the id
    const sizeAt = w.pos;
    w.u32(0);
    const start = w.pos;
    this.fragmentHeader();
    for (const n of def) {
      if (typeof n === 'string' || 'sub' in n) this.valueToken(n);
      else this.element(n);
    }
    w.u8(TOK.eof);
    w.putU32(sizeAt, w.pos - start);
    return at;
  }

  fragmentHeader(): void {
    this.w.u8(TOK.frag);
    this.w.u8(1);
    this.w.u8(1);
    this.w.u8(0);
  }

  /** A value table; each entry writes its bytes and gets its size filled in. */
  values(entries: { type: number; write: () => void }[]): void {
    const w = this.w;
    w.u32(entries.length);
    const desc = w.pos;
    for (let i = 0; i < entries.length; i++) w.u32(0);
    entries.forEach((e, i) => {
      const at = w.pos;
      e.write();
      const size = w.pos - at;
      if (size > 0xffff) throw new RangeError(`value ${i} of ${size} bytes does not fit a u16 size`);
      w.putU16(desc + 4 * i, size);
      w.buf[desc + 4 * i + 2] = e.type;
    });
  }
}

const RECORD_TEMPLATE_ID = 0x5eed0001;
const LEVEL_TEMPLATE_ID = 0x5eed0002;
const PAYLOAD_TEMPLATE_ID = 0x5eed0003;
const EVENT_NS = 'http://schemas.microsoft.com/win/2004/08/events/event';
export const NESTED_EVENT_ID = 4242;

/** Bytes after the payload string: one EOF per nested fragment, the record's, padding and the size copy. */
function tailBytes(depth: number): number {
  return depth + 1 + 7 + 4;
}

/**
 * Writes the record into `buf` at `at` (a chunk offset, which inline names and templates refer
 * to), not past `limit`. Returns its size; throws RangeError when it does not fit.
 */
export function writeNestedRecord(buf: Uint8Array, at: number, limit: number, recordId: number, shape: NestingShape): number {
  const w = new ByteWriter(buf, limit);
  const x = new BinXmlWriter(w);
  w.pos = at;
  w.u32(0x00002a2a);
  const sizeAt = w.pos;
  w.u32(0);
  w.u64(recordId >>> 0, Math.floor(recordId / 4294967296));
  w.u64(0xd53e8000, 0x01d9a1b2); // 2023-06 FILETIME
  const payloadSub = 6;
  const subs = (n: number, sub: number) => Array.from({ length: n }, () => ({ sub, type: VT.binxml }));
  const body: TNode[] = shape.where === 'data' ? [el('Data', [['Name', shape.dataName ?? 'CommandLine']], subs(shape.k, payloadSub))] : subs(shape.k, payloadSub);
  const recordTemplate: TNode[] = [
    el('Event', [['xmlns', EVENT_NS]], [
      el('System', [], [
        el('Provider', [['Name', { sub: 0, type: VT.string }]]),
        el('EventID', [], [{ sub: 1, type: VT.uint16 }]),
        el('TimeCreated', [['SystemTime', { sub: 2, type: VT.filetime }]]),
        el('EventRecordID', [], [{ sub: 3, type: VT.uint64 }]),
        el('Channel', [], [{ sub: 4, type: VT.string }]),
        el('Computer', [], [{ sub: 5, type: VT.string }]),
      ]),
      el('EventData', [], body),
    ]),
  ];
  x.fragmentHeader();
  x.instance(RECORD_TEMPLATE_ID, recordTemplate);
  // libfwevt (evtxexport) wants an element at a template's root; a substitution standing there
  // (as the 'eventdata' shape needs, to be expanded as EventData) is read by python-evtx and us
  const levelTemplate: TNode[] = shape.where === 'data' ? [el('Level', [], subs(shape.k, 0))] : subs(shape.k, 0);
  let levelDef = -1;
  // level i (1-based) is the value the level i template repeats; the last one holds the payload
  const level = (i: number): void => {
    x.fragmentHeader();
    if (i === shape.depth) {
      x.instance(PAYLOAD_TEMPLATE_ID, [el('Payload', [], [{ sub: 0, type: VT.string }])]);
      x.values([{ type: VT.string, write: () => w.utf16((shape.payloadChar ?? 'A').repeat(payloadChars(w.pos))) }]);
    } else {
      levelDef = x.instance(LEVEL_TEMPLATE_ID, levelDef >= 0 ? levelDef : levelTemplate);
      x.values([{ type: VT.binxml, write: () => level(i + 1) }]);
    }
    w.u8(TOK.eof);
  };
  const payloadChars = (valueAt: number): number =>
    shape.payloadChars === 'fill' ? Math.max(1, Math.floor((limit - valueAt - tailBytes(shape.depth)) / 2)) : shape.payloadChars;
  x.values([
    { type: VT.string, write: () => w.utf16('Hostile-Nesting') },
    { type: VT.uint16, write: () => w.u16(NESTED_EVENT_ID) },
    { type: VT.filetime, write: () => w.u64(0xd53e8000, 0x01d9a1b2) },
    { type: VT.uint64, write: () => w.u64(recordId >>> 0, Math.floor(recordId / 4294967296)) },
    { type: VT.string, write: () => w.utf16('Application') },
    { type: VT.string, write: () => w.utf16('nesting.example') },
    { type: VT.binxml, write: () => level(1) },
  ]);
  w.u8(TOK.eof);
  while ((w.pos - at + 4) % 8 !== 0) w.u8(0);
  const size = w.pos - at + 4;
  w.u32(size);
  w.putU32(sizeAt, size);
  return size;
}

const u32At = (b: Uint8Array, o: number) => (b[o] | (b[o + 1] << 8) | (b[o + 2] << 16) | (b[o + 3] << 24)) >>> 0;
function putU32(b: Uint8Array, o: number, v: number): void {
  b[o] = v & 0xff;
  b[o + 1] = (v >>> 8) & 0xff;
  b[o + 2] = (v >>> 16) & 0xff;
  b[o + 3] = (v >>> 24) & 0xff;
}
function putU64(b: Uint8Array, o: number, v: number): void {
  putU32(b, o, v >>> 0);
  putU32(b, o + 4, Math.floor(v / 4294967296));
}

export interface SplicedRecord {
  /** Header record id, file offset and size. */
  recordId: number;
  offset: number;
  size: number;
}

export interface SplicedFile {
  bytes: Uint8Array;
  /** The records written, in order (consecutive ids after the kept records). */
  records: SplicedRecord[];
  /** Records of the file other than those written: the kept ones and the other chunks'. */
  otherRecords: number;
}

/** Room left for each record written after a 'fill' one. */
const RESERVE_PER_RECORD = 1536;

/**
 * A copy of `evtx` (a valid file, e.g. from the project's generator) whose chunk `chunk` keeps
 * its first `keep` records, then one record per shape (next ids; a 'fill' one as large as the
 * space left allows, keeping room for those after it), then zero fill. The chunk header (last
 * record, free space, both CRC32s) is rewritten so the chunk is valid; the other chunks are
 * untouched.
 */
export function spliceNestedRecords(evtx: Uint8Array, chunk: number, keep: number, shapes: NestingShape[]): SplicedFile {
  const bytes = new Uint8Array(evtx);
  const base = 4096 + chunk * 0x10000;
  const c = bytes.subarray(base, base + 0x10000);
  let total = 0;
  for (let i = 0; 4096 + i * 0x10000 < bytes.length; i++) {
    const h = bytes.subarray(4096 + i * 0x10000);
    if (i !== chunk) total += u32At(h, 32) - u32At(h, 24) + 1;
  }
  let pos = 512;
  let lastId = u32At(c, 24) - 1;
  for (let i = 0; i < keep; i++) {
    lastId = u32At(c, pos + 8);
    pos += u32At(c, pos + 4);
  }
  c.fill(0, pos);
  const records: SplicedRecord[] = [];
  shapes.forEach((shape, i) => {
    const recordId = lastId + 1 + i;
    const size = writeNestedRecord(c, pos, 0x10000 - 8 - RESERVE_PER_RECORD * (shapes.length - 1 - i), recordId, shape);
    records.push({ recordId, offset: base + pos, size });
    pos += size;
  });
  const last = records[records.length - 1];
  putU64(c, 16, u32At(c, 8) + keep + shapes.length - 1); // last record number
  putU64(c, 32, last.recordId);
  putU32(c, 44, last.offset - base);
  putU32(c, 48, pos);
  putU32(c, 52, crc32(c, 512, pos));
  const head = new Uint8Array(c.subarray(0, 512));
  putU32(c, 124, crc32(head, 128, 512, crc32(head, 0, 120)));
  return { bytes, records, otherRecords: total + keep };
}
