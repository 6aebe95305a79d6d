// Field extraction straight from substitution values, without rendering XML. Each template is
// compiled once per chunk and context into a shape (shapes.ts); per record only the value table
// is read and only the needed values are decoded: with wantedFields, an EventData value whose
// name is not wanted is never decoded.
// A substitution standing where elements belong (e.g. EventData given as an embedded BinXML value)
// becomes a 'nest' emitter, expanded at record time with the same rules.
// Hot path: a record (or nested BinXML value) that is one template instance, the usual case, is
// read by extractFragment without building nodes, its value table in arrays reused per chunk.
// Every shape applied, value descriptor read and character of text made is charged to the
// record's budget (budget.ts): nested substitutions cannot expand a record past it, on the full
// decode or the wanted-fields path alike.

import type { RawSystem, RawValue } from '../../model/raw-event';
import { fail } from '../../bytes/byte-reader';
import type { ExtractContext, InstanceNode, Node, Part, SubRef, Template, Values } from './nodes';
import { MAX_DEPTH, parseFragment, readInstance, type InstanceSlot } from './parse';
import { DATA, INST, NEST, NUM, STR, compileShape, shapeOf, type Emitter, type NumField, type StrField } from './shapes';
import type { ChunkContext } from './template-cache';
import { TOK } from './tokens';
import { VT, arrayItems, scalarText } from './value-types';
import { renderNodesXml } from '../render-xml';

export interface Sink {
  system: RawSystem;
  data: Record<string, RawValue>;
  unnamed: number;
  wanted: ReadonlySet<string> | undefined;
  /** Names whose value addData has made an array of (it appends to those in place). */
  grown?: Set<string>;
}

/** Characters of a decoded value (and one per array item, for the separator it gets when joined). */
function valueChars(x: RawValue): number {
  if (typeof x === 'string') return x.length;
  if (!Array.isArray(x)) return 8;
  let n = x.length;
  for (const it of x) n += valueChars(it);
  return n;
}

/** Value of one substitution as RawValue; undefined when an optional substitution is empty. */
function subValue(c: ChunkContext, ref: SubRef, v: Values, depth: number): RawValue | undefined {
  const i = ref.sub;
  if (i >= v.count) return ref.optional ? undefined : '';
  const type = v.types[i];
  if (type === VT.Null) return ref.optional ? undefined : '';
  const off = v.offs[i];
  const size = v.sizes[i];
  if (type === VT.BinXml) {
    // charged as it is parsed and rendered
    const { nodes } = parseFragment(c, off, off + size, false, depth + 1);
    return renderNodesXml(c, nodes, null, depth + 1, '');
  }
  const x = type & VT.ArrayFlag ? arrayItems(c.buf, off, size, type) : scalarText(c.buf, off, size, type);
  c.budget.spendChars(valueChars(x), off);
  return x;
}

function evalParts(c: ChunkContext, parts: Part[], v: Values, depth: number): RawValue | undefined {
  if (parts.length === 1) {
    const p = parts[0];
    if (typeof p !== 'string') return subValue(c, p, v, depth);
    c.budget.spendChars(p.length, -1);
    return p;
  }
  if (parts.length === 0) return '';
  let s = '';
  let any = false;
  for (const p of parts) {
    if (typeof p === 'string') {
      c.budget.spendChars(p.length, -1);
      s += p;
      any = true;
      continue;
    }
    const x = subValue(c, p, v, depth);
    if (x === undefined) continue;
    any = true;
    s += Array.isArray(x) ? x.join(',') : String(x);
  }
  return any ? s : undefined;
}

/**
 * An integer value read straight from the buffer, equal to Number(scalarText(...)); NaN when the
 * type is not a plain integer, the value is short or past the buffer, or it is a u64 beyond 2^53
 * (the caller then takes the text route, which also reports damage).
 */
function intValue(buf: Uint8Array, off: number, size: number, type: number): number {
  switch (type) {
    case VT.UInt8: return size >= 1 && off + 1 <= buf.length ? buf[off] : Number.NaN;
    case VT.Int8: return size >= 1 && off + 1 <= buf.length ? (buf[off] << 24) >> 24 : Number.NaN;
    case VT.UInt16: return size >= 2 && off + 2 <= buf.length ? buf[off] | (buf[off + 1] << 8) : Number.NaN;
    case VT.Int16: return size >= 2 && off + 2 <= buf.length ? ((buf[off] | (buf[off + 1] << 8)) << 16) >> 16 : Number.NaN;
    case VT.UInt32:
    case VT.Int32: {
      if (size < 4 || off + 4 > buf.length) return Number.NaN;
      const x = buf[off] | (buf[off + 1] << 8) | (buf[off + 2] << 16) | (buf[off + 3] << 24);
      return type === VT.Int32 ? x : x >>> 0;
    }
    case VT.UInt64:
    case VT.Int64: {
      if (size < 8 || off + 8 > buf.length) return Number.NaN;
      const hi = (buf[off + 4] | (buf[off + 5] << 8) | (buf[off + 6] << 16) | (buf[off + 7] << 24)) >>> 0;
      if (hi >= 0x200000) return Number.NaN;
      return hi * 4294967296 + ((buf[off] | (buf[off + 1] << 8) | (buf[off + 2] << 16) | (buf[off + 3] << 24)) >>> 0);
    }
    default:
      return Number.NaN;
  }
}

/**
 * scalarText of a non-null, non-array, non-BinXML value, remembering the last one per emitter.
 * A shape belongs to one chunk, so the remembered value is in the same buffer: when the new value
 * has the same type, size and bytes (Provider, Channel, Keywords, UserID, an Image repeated ...),
 * its text is the same, since scalarText reads nothing outside [off, off + size).
 */
function memoText(e: Emitter, buf: Uint8Array, off: number, size: number, type: number): string {
  if (size === e.memoSize && type === e.memoType) {
    const m = e.memoOff;
    let i = 0;
    while (i < size && buf[off + i] === buf[m + i]) i++;
    if (i === size) return e.memoText;
  }
  const t = scalarText(buf, off, size, type);
  e.memoOff = off;
  e.memoSize = size;
  e.memoType = type;
  e.memoText = t;
  return t;
}

/** Forwarded events carry TimeCreated as text with 9 fractional digits; FILETIME has 7. */
const LONG_FRACTION = /^(\S+\.\d{7})\d+Z$/;

/** A name seen twice in one event (some templates repeat a Data name) keeps both values, in order. */
function addData(sink: Sink, name: string, x: RawValue): void {
  const prev = sink.data[name];
  if (prev === undefined) sink.data[name] = x;
  else addRepeated(sink, name, prev, x);
}

/**
 * The array made at a name's second value is appended to in place: nested EventData can repeat
 * a name thousands of times, and copying it each time would cost the square of that. (Apart from
 * addData, so that the common case stays small enough to inline.)
 */
function addRepeated(sink: Sink, name: string, prev: RawValue, x: RawValue): void {
  const grown = (sink.grown ??= new Set());
  if (grown.has(name)) (prev as RawValue[]).push(x);
  else {
    sink.data[name] = Array.isArray(prev) ? [...prev, x] : [prev, x];
    grown.add(name);
  }
}

/** A value subValue would give as scalarText: not Null (empty / omitted), not an array, not embedded BinXML. */
function isPlainScalar(type: number): boolean {
  return type !== VT.Null && type !== VT.BinXml && (type & VT.ArrayFlag) === 0;
}

function applyShape(c: ChunkContext, shape: Emitter[], v: Values, sink: Sink, depth: number): void {
  const budget = c.budget;
  budget.spendNodes(shape.length + 1, -1);
  for (let i = 0; i < shape.length; i++) {
    const e = shape[i];
    const r = e.single;
    switch (e.k) {
      case NUM: {
        if (r !== null && r.sub < v.count) {
          const n = intValue(c.buf, v.offs[r.sub], v.sizes[r.sub], v.types[r.sub]);
          if (n === n) {
            sink.system[e.field as NumField] = n;
            break;
          }
        }
        const x = evalParts(c, e.parts, v, depth);
        if (x === undefined || x === '') break;
        const n = Number(x);
        if (Number.isFinite(n)) sink.system[e.field as NumField] = n;
        break;
      }
      case STR: {
        let t: string;
        let type = -1;
        if (r !== null && r.sub < v.count && isPlainScalar((type = v.types[r.sub]))) {
          t = type === VT.FileTime ? scalarText(c.buf, v.offs[r.sub], v.sizes[r.sub], type) : memoText(e, c.buf, v.offs[r.sub], v.sizes[r.sub], type);
          budget.spendChars(t.length, v.offs[r.sub]);
        } else {
          const x = evalParts(c, e.parts, v, depth);
          if (x === undefined) break;
          t = Array.isArray(x) ? x.join(',') : String(x);
        }
        // a FILETIME is always rendered with 7 digits: no need to look
        sink.system[e.field as StrField] = e.field === 'timeCreated' && type !== VT.FileTime ? t.replace(LONG_FRACTION, '$1Z') : t;
        break;
      }
      case DATA: {
        if (r !== null && r.sub < v.count) {
          const type = v.types[r.sub];
          if (type === VT.BinXml && e.ctx === 'userdata') {
            expandNested(c, r.sub, v, 'userdata', sink, depth);
            break;
          }
          if (type & VT.ArrayFlag) {
            // An array substitution repeats its element once per item (as Windows renders it).
            const items = arrayItems(c.buf, v.offs[r.sub], v.sizes[r.sub], type);
            budget.spendChars(valueChars(items), v.offs[r.sub]);
            if (e.name === null) {
              for (const it of items) {
                const n = `Data${sink.unnamed++}`;
                if (!sink.wanted || sink.wanted.has(n)) sink.data[n] = it;
              }
            } else {
              const n = e.literalName ?? String(evalParts(c, e.name, v, depth) ?? '');
              if (!sink.wanted || sink.wanted.has(n)) addData(sink, n, items.length === 1 ? items[0] : items);
            }
            break;
          }
        }
        let name: string;
        if (e.name === null) name = `Data${sink.unnamed++}`;
        else if (e.literalName !== null) name = e.literalName;
        else {
          const nx = evalParts(c, e.name, v, depth);
          name = nx === undefined ? `Data${sink.unnamed++}` : String(nx);
        }
        if (sink.wanted && !sink.wanted.has(name)) break;
        let x: RawValue | undefined;
        if (r === null) x = evalParts(c, e.parts, v, depth);
        else if (r.sub < v.count && isPlainScalar(v.types[r.sub])) {
          x = memoText(e, c.buf, v.offs[r.sub], v.sizes[r.sub], v.types[r.sub]);
          budget.spendChars(x.length, v.offs[r.sub]);
        } else x = subValue(c, r, v, depth);
        if (x !== undefined) addData(sink, name, x);
        break;
      }
      case NEST:
        expandNested(c, e.sub, v, e.ctx, sink, depth);
        break;
      case INST: {
        const node = e.node as InstanceNode;
        applyInstance(c, node.template, node.values, e.ctx, sink, depth + 1);
        break;
      }
    }
  }
}

function expandNested(c: ChunkContext, sub: number, v: Values, ctx: ExtractContext, sink: Sink, depth: number): void {
  if (sub >= v.count || v.types[sub] !== VT.BinXml) return;
  const off = v.offs[sub];
  extractFragment(c, off, off + v.sizes[sub], ctx, sink, depth + 1);
}

function applyInstance(c: ChunkContext, template: Template, values: Values, ctx: ExtractContext, sink: Sink, depth: number): void {
  if (depth > MAX_DEPTH) fail('LOOP', 0, `template instances nested deeper than ${MAX_DEPTH}`);
  applyShape(c, shapeOf(template, ctx), values, sink, depth);
}

export function extractInstance(c: ChunkContext, inst: InstanceNode, ctx: ExtractContext, sink: Sink, depth: number): void {
  applyInstance(c, inst.template, inst.values, ctx, sink, depth);
}

const NO_VALUES: Values = { count: 0, types: new Uint8Array(0), sizes: new Uint16Array(0), offs: new Uint32Array(0) };

/** Extracts from parsed nodes that are not a template (record-level elements, nested fragments). */
export function extractNodes(c: ChunkContext, nodes: Node[], ctx: ExtractContext, sink: Sink, depth: number): void {
  if (depth > MAX_DEPTH) fail('LOOP', 0, `binary XML nested deeper than ${MAX_DEPTH}`);
  if (nodes.length === 1 && typeof nodes[0] !== 'string' && nodes[0].k === 'inst') {
    extractInstance(c, nodes[0], ctx, sink, depth);
    return;
  }
  applyShape(c, compileShape(nodes, ctx), NO_VALUES, sink, depth);
}

function acquireSlot(c: ChunkContext): InstanceSlot {
  const i = c.slotTop++;
  let s = c.slots[i];
  if (s === undefined) {
    s = { template: null, values: { count: 0, types: new Uint8Array(32), sizes: new Uint16Array(32), offs: new Uint32Array(32) }, end: 0 };
    c.slots.push(s);
  }
  return s;
}

/**
 * Extracts the binary XML fragment [pos, end), as parseFragment + extractNodes would (same
 * results, same errors). When the fragment is [FragmentHeader] TemplateInstance [EOF], the usual
 * form of a record and of an embedded EventData, no nodes are built: the value table is read
 * into arrays reused per chunk and the template's shape applied to it. Anything else takes the
 * general route.
 */
export function extractFragment(c: ChunkContext, pos: number, end: number, ctx: ExtractContext, sink: Sink, depth: number): void {
  if (depth > MAX_DEPTH) fail('LOOP', pos, `binary XML nested deeper than ${MAX_DEPTH}`);
  const buf = c.buf;
  let p = pos;
  if (p < end && (buf[p] & 0xbf) === TOK.FragmentHeader) p += 4;
  if (p < end && (buf[p] & 0xbf) === TOK.TemplateInstance) {
    const slot = acquireSlot(c);
    try {
      readInstance(c, p, end, depth + 1, slot, true);
      c.budget.spendNodes(slot.values.count + 1, p);
      if (slot.end >= end || (buf[slot.end] & 0xbf) === TOK.EOF) {
        applyInstance(c, slot.template as Template, slot.values, ctx, sink, depth);
        return;
      }
    } finally {
      c.slotTop--;
    }
  }
  const { nodes } = parseFragment(c, pos, end, false, depth);
  extractNodes(c, nodes, ctx, sink, depth);
}
