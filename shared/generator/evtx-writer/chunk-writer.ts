// Fills one 64 KiB EVTX chunk: 512-byte header (record ranges, free-space offset, the 64-bucket
// common string table, the 32-bucket template table, both CRC32s), then records. A record's
// binary XML is a template instance: the template definition is written inline the first time
// its shape appears in the chunk and referenced by offset afterwards; element and attribute
// names are written inline on first use and referenced afterwards. A record that does not fit
// leaves the chunk untouched (names and templates it would have added are rolled back).

import { ByteWriter, guidBytes, nameHash, sidBytes } from './byte-writer';
import { filetimeParts } from '../../bytes/filetime';
import { crc32 } from '../../bytes/crc32';
import { buildShape, shapeKey, SYSTEM_SLOTS, VT, type TElement, type TemplateShape, type TValue } from './template';
import type { WinRecord } from '../render/windows-event';

export const CHUNK_SIZE = 0x10000;
const HEADER_SIZE = 512;

const TOKEN = {
  eof: 0x00, openStart: 0x01, closeStart: 0x02, closeEmpty: 0x03, end: 0x04, value: 0x05, attribute: 0x06, templateInstance: 0x0c,
  optionalSubstitution: 0x0e, fragmentHeader: 0x0f, more: 0x40,
} as const;

export class ChunkFullError extends Error {}

export class ChunkWriter {
  readonly buf = new Uint8Array(CHUNK_SIZE);
  // A record ending exactly at 0x10000 is valid, but libevtx drops it; stopping 8 bytes short
  // keeps every reference reader in agreement.
  private readonly w = new ByteWriter(this.buf, CHUNK_SIZE - 8);
  private names = new Map<string, number>();
  private templates = new Map<string, number>();
  private stringBuckets = new Uint32Array(64);
  private templateBuckets = new Uint32Array(32);
  private pendingNames: [string, number][] = [];
  private pendingTemplates: [string, number, number][] = [];
  firstRecordId = -1;
  lastRecordId = -1;
  lastRecordOffset = 0;
  records = 0;

  constructor(private readonly shapes: Map<string, TemplateShape>) {
    this.w.pos = HEADER_SIZE;
  }

  get freeSpaceOffset(): number {
    return this.w.pos;
  }

  /** Append a record; returns its offset in the chunk, or -1 when it does not fit. */
  tryAdd(r: WinRecord): number {
    const start = this.w.pos;
    this.pendingNames = [];
    this.pendingTemplates = [];
    try {
      this.writeRecord(r);
    } catch (e) {
      if (!(e instanceof RangeError)) throw e;
      for (const [n] of this.pendingNames) this.names.delete(n);
      for (const [k] of this.pendingTemplates) this.templates.delete(k);
      this.buf.fill(0, start, CHUNK_SIZE);
      this.w.pos = start;
      return -1;
    }
    // commit: link new names and templates into their hash buckets (newest first)
    for (const [name, off] of this.pendingNames) {
      const b = nameHash(name) % 64;
      this.w.putU32(off, this.stringBuckets[b]);
      this.stringBuckets[b] = off;
    }
    for (const [, off, id] of this.pendingTemplates) {
      const b = id % 32;
      this.w.putU32(off, this.templateBuckets[b]);
      this.templateBuckets[b] = off;
    }
    if (this.firstRecordId < 0) this.firstRecordId = r.recordId;
    this.lastRecordId = r.recordId;
    this.lastRecordOffset = start;
    this.records++;
    return start;
  }

  private writeRecord(r: WinRecord): void {
    const w = this.w;
    const start = w.pos;
    const [lo, hi] = filetimeParts(r.ms, r.sub);
    w.u32(0x00002a2a);
    const sizeAt = w.pos;
    w.u32(0);
    w.u64(r.recordId >>> 0, Math.floor(r.recordId / 4294967296));
    w.u64(lo, hi);
    // binary XML: fragment header, then one template instance
    w.u8(TOKEN.fragmentHeader); w.u8(1); w.u8(1); w.u8(0);
    const key = shapeKey(r);
    let shape = this.shapes.get(key);
    if (!shape) {
      shape = buildShape(r);
      this.shapes.set(key, shape);
    }
    w.u8(TOKEN.templateInstance);
    w.u8(0x01);
    w.u32(shape.id);
    const defined = this.templates.get(key);
    if (defined !== undefined) {
      w.u32(defined);
    } else {
      const defAt = w.pos + 4;
      w.u32(defAt);
      this.templates.set(key, defAt);
      this.pendingTemplates.push([key, defAt, shape.id]);
      w.u32(0); // next template in bucket, set on commit
      w.bytes(guidBytes(shape.guid));
      const sizeField = w.pos;
      w.u32(0);
      const dataStart = w.pos;
      w.u8(TOKEN.fragmentHeader); w.u8(1); w.u8(1); w.u8(0);
      this.writeElement(shape.root);
      w.u8(TOKEN.eof);
      w.putU32(sizeField, w.pos - dataStart);
    }
    this.writeValues(r, shape);
    w.u8(TOKEN.eof);
    while ((w.pos - start + 4) % 8 !== 0) w.u8(0); // Windows keeps records 8-byte aligned
    const size = w.pos - start + 4;
    w.u32(size);
    w.putU32(sizeAt, size);
  }

  private writeName(name: string): void {
    const w = this.w;
    const known = this.names.get(name);
    if (known !== undefined) {
      w.u32(known);
      return;
    }
    const at = w.pos + 4;
    w.u32(at);
    this.names.set(name, at);
    this.pendingNames.push([name, at]);
    w.u32(0); // next name in bucket, set on commit
    w.u16(nameHash(name));
    w.u16(name.length);
    w.utf16(name);
    w.u16(0);
  }

  private writeElement(e: TElement): void {
    const w = this.w;
    w.u8(e.attrs.length ? TOKEN.openStart | TOKEN.more : TOKEN.openStart);
    w.u16(0xffff);
    const sizeAt = w.pos;
    w.u32(0);
    this.writeName(e.name);
    if (e.attrs.length) {
      const listAt = w.pos;
      w.u32(0);
      e.attrs.forEach(([name, v], i) => {
        w.u8(i < e.attrs.length - 1 ? TOKEN.attribute | TOKEN.more : TOKEN.attribute);
        this.writeName(name);
        this.writeValueToken(v);
      });
      w.putU32(listAt, w.pos - listAt - 4);
    }
    if (e.children.length === 0) {
      w.u8(TOKEN.closeEmpty);
    } else {
      w.u8(TOKEN.closeStart);
      for (const c of e.children) {
        if ('name' in c) this.writeElement(c);
        else this.writeValueToken(c);
      }
      w.u8(TOKEN.end);
    }
    w.putU32(sizeAt, w.pos - sizeAt - 4);
  }

  private writeValueToken(v: TValue): void {
    const w = this.w;
    if ('text' in v) {
      w.u8(TOKEN.value);
      w.u8(VT.string);
      w.u16(v.text.length);
      w.utf16(v.text);
    } else {
      w.u8(TOKEN.optionalSubstitution);
      w.u16(v.sub);
      w.u8(v.type);
    }
  }

  private writeValues(r: WinRecord, shape: TemplateShape): void {
    const w = this.w;
    const [lo, hi] = filetimeParts(r.ms, r.sub);
    const n = shape.types.length;
    w.u32(n);
    const descAt = w.pos;
    for (let i = 0; i < n; i++) w.u32(0);
    const put = (i: number, type: number, write: () => void) => {
      const at = w.pos;
      write();
      w.putU16(descAt + i * 4, w.pos - at);
      this.buf[descAt + i * 4 + 2] = type;
    };
    const str = (s: string) => () => w.utf16(s);
    const u32 = (v: number) => () => w.u32(v >>> 0);
    const u64 = (v: number) => () => w.u64(v >>> 0, Math.floor(v / 4294967296));
    put(0, VT.string, str(r.provider));
    put(1, VT.guid, () => w.bytes(guidBytes(r.providerGuid)));
    put(2, VT.uint16, () => w.u16(r.eventId));
    put(3, VT.uint8, () => w.u8(r.version));
    put(4, VT.uint8, () => w.u8(r.level));
    put(5, VT.uint16, () => w.u16(r.task));
    put(6, VT.uint8, () => w.u8(r.opcode));
    put(7, VT.hex64, () => w.u64(parseInt(r.keywordsHex.slice(8), 16), parseInt(r.keywordsHex.slice(0, 8), 16)));
    put(8, VT.filetime, () => w.u64(lo, hi));
    put(9, VT.uint64, u64(r.recordId));
    put(10, VT.uint32, u32(r.processId));
    put(11, VT.uint32, u32(r.threadId));
    put(12, VT.string, str(r.channelName));
    put(13, VT.string, str(r.host.fqdn));
    if (r.userSid) put(14, VT.sid, () => w.bytes(sidBytes(r.userSid as string)));
    else put(14, 0x00, () => undefined);
    r.data.forEach((d, i) => {
      const slot = SYSTEM_SLOTS + i;
      switch (d.type) {
        case 'string': return put(slot, VT.string, str(String(d.value)));
        case 'uint16': return put(slot, VT.uint16, () => w.u16(Number(d.value)));
        case 'uint32': return put(slot, VT.uint32, u32(Number(d.value)));
        case 'hex64': return put(slot, VT.hex64, u64(Number(d.value)));
        case 'guid': return put(slot, VT.guid, () => w.bytes(guidBytes(String(d.value))));
        case 'sid': return put(slot, VT.sid, () => w.bytes(sidBytes(String(d.value))));
      }
    });
  }

  /** Finish the header: record ranges, offsets, tables and both checksums. */
  seal(): Uint8Array {
    const w = new ByteWriter(this.buf);
    this.buf.set([0x45, 0x6c, 0x66, 0x43, 0x68, 0x6e, 0x6b, 0x00], 0); // "ElfChnk\0"
    const first = Math.max(0, this.firstRecordId);
    const last = Math.max(0, this.lastRecordId);
    w.pos = 8;
    for (const v of [first, last, first, last]) w.u64(v >>> 0, Math.floor(v / 4294967296));
    w.u32(128);
    w.u32(this.lastRecordOffset);
    w.u32(this.freeSpaceOffset);
    w.u32(crc32(this.buf, HEADER_SIZE, this.freeSpaceOffset));
    w.pos = 120;
    w.u32(1); // flags, as Windows leaves them on closed chunks
    for (let i = 0; i < 64; i++) w.putU32(128 + i * 4, this.stringBuckets[i]);
    for (let i = 0; i < 32; i++) w.putU32(384 + i * 4, this.templateBuckets[i]);
    const c = crc32(this.buf, 128, 512, crc32(this.buf, 0, 120));
    w.putU32(124, c);
    return this.buf;
  }
}

export { TOKEN as BINXML_TOKEN };
export const RECORD_VALUE_TYPES = VT;
export type { TemplateShape };
