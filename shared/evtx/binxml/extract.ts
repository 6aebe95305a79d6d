// Field extraction straight from substitution values, without rendering XML. Each template is
// compiled once per chunk and context into a "shape": a list of emitters saying which parts
// (literal text / substitution index) feed which System field, EventData name or UserData leaf.
// Per record only the value table is read and only the needed values are decoded.
// A substitution standing where elements belong (e.g. EventData given as an embedded BinXML value)
// becomes a 'nest' emitter, expanded at record time with the same rules.

import type { RawSystem, RawValue } from '../../model/raw-event';
import { fail } from '../bytes';
import type { ExtractContext, InstanceNode, Node, Part, SubRef, Template, Values } from './nodes';
import { MAX_DEPTH, parseFragment } from './parse';
import type { ChunkContext } from './template-cache';
import { VT, arrayItems, scalarText } from './value-types';
import { renderNodesXml } from '../render-xml';

type NumField = 'eventId' | 'version' | 'level' | 'task' | 'opcode' | 'recordId' | 'processId' | 'threadId' | 'qualifiers';
type StrField = Exclude<keyof RawSystem, NumField>;

type Emitter =
  | { k: 'num'; field: NumField; parts: Part[] }
  | { k: 'str'; field: StrField; parts: Part[] }
  | { k: 'data'; name: Part[] | null; literalName: string | null; parts: Part[]; ctx: ExtractContext }
  | { k: 'nest'; sub: number; ctx: ExtractContext }
  | { k: 'inst'; node: InstanceNode; ctx: ExtractContext };

const SYSTEM_TEXT: Record<string, { field: keyof RawSystem; num: boolean }> = {
  EventID: { field: 'eventId', num: true },
  Version: { field: 'version', num: true },
  Level: { field: 'level', num: true },
  Task: { field: 'task', num: true },
  Opcode: { field: 'opcode', num: true },
  Keywords: { field: 'keywords', num: false },
  EventRecordID: { field: 'recordId', num: true },
  Channel: { field: 'channel', num: false },
  Computer: { field: 'computer', num: false },
};

const SYSTEM_ATTR: Record<string, { field: keyof RawSystem; num: boolean }> = {
  'Provider/Name': { field: 'provider', num: false },
  'Provider/Guid': { field: 'providerGuid', num: false },
  'TimeCreated/SystemTime': { field: 'timeCreated', num: false },
  'Correlation/ActivityID': { field: 'correlationActivityId', num: false },
  'Execution/ProcessID': { field: 'processId', num: true },
  'Execution/ThreadID': { field: 'threadId', num: true },
  'Security/UserID': { field: 'userSid', num: false },
};

const NUM_FIELDS = new Set<string>(['eventId', 'version', 'level', 'task', 'opcode', 'recordId', 'processId', 'threadId']);

function sysEmitter(field: keyof RawSystem, parts: Part[]): Emitter {
  return NUM_FIELDS.has(field) ? { k: 'num', field: field as NumField, parts } : { k: 'str', field: field as StrField, parts };
}

function textParts(children: Node[]): Part[] {
  const out: Part[] = [];
  for (const n of children) if (typeof n === 'string' || n.k === 'sub') out.push(n);
  return out;
}

function hasElementChild(children: Node[]): boolean {
  for (const n of children) if (typeof n !== 'string' && n.k !== 'sub') return true;
  return false;
}

/** Compiles nodes seen in `ctx` into emitters. */
export function compileShape(nodes: Node[], ctx: ExtractContext, out: Emitter[] = []): Emitter[] {
  for (const n of nodes) {
    if (typeof n === 'string') continue;
    if (n.k === 'sub') {
      if (ctx !== 'system') out.push({ k: 'nest', sub: n.sub, ctx });
      continue;
    }
    if (n.k === 'inst') {
      out.push({ k: 'inst', node: n, ctx });
      continue;
    }
    switch (ctx) {
      case 'root':
      case 'event':
        if (n.name === 'Event') compileShape(n.children, 'event', out);
        else if (n.name === 'System') compileShape(n.children, 'system', out);
        else if (n.name === 'EventData') compileShape(n.children, 'eventdata', out);
        else if (n.name === 'RenderingInfo') continue;
        else compileShape(n.children, 'userdata', out); // UserData and other payload elements
        break;
      case 'system': {
        const t = SYSTEM_TEXT[n.name];
        if (t) out.push(sysEmitter(t.field, textParts(n.children)));
        for (const a of n.attrs) {
          const m = SYSTEM_ATTR[`${n.name}/${a.name}`];
          if (m) out.push(sysEmitter(m.field, a.parts));
        }
        break;
      }
      case 'eventdata': {
        if (n.name === 'Data') {
          const nameAttr = n.attrs.find((a) => a.name === 'Name');
          const literal = nameAttr && nameAttr.parts.every((p) => typeof p === 'string') ? (nameAttr.parts as string[]).join('') : null;
          out.push({ k: 'data', name: nameAttr ? nameAttr.parts : null, literalName: literal, parts: textParts(n.children), ctx });
        } else if (hasElementChild(n.children)) {
          compileShape(n.children, 'userdata', out);
        } else {
          out.push({ k: 'data', name: [n.name], literalName: n.name, parts: textParts(n.children), ctx });
        }
        break;
      }
      case 'userdata':
        if (hasElementChild(n.children)) compileShape(n.children, 'userdata', out);
        else out.push({ k: 'data', name: [n.name], literalName: n.name, parts: textParts(n.children), ctx });
        break;
    }
  }
  return out;
}

export interface Sink {
  system: RawSystem;
  data: Record<string, RawValue>;
  unnamed: number;
  wanted: ReadonlySet<string> | undefined;
}

function shapeOf(t: Template, ctx: ExtractContext): Emitter[] {
  let s = t.shapes.get(ctx) as Emitter[] | undefined;
  if (!s) {
    s = compileShape(t.nodes, ctx);
    t.shapes.set(ctx, s);
  }
  return s;
}

/** Value of one substitution as RawValue; undefined when an optional substitution is empty. */
function subValue(c: ChunkContext, ref: SubRef, v: Values, depth: number): RawValue | undefined {
  const i = ref.sub;
  if (i >= v.types.length) return ref.optional ? undefined : '';
  const type = v.types[i];
  if (type === VT.Null) return ref.optional ? undefined : '';
  const off = v.offs[i];
  const size = v.sizes[i];
  if (type & VT.ArrayFlag) return arrayItems(c.buf, off, size, type);
  if (type === VT.BinXml) {
    const { nodes } = parseFragment(c, off, off + size, false, depth + 1);
    return renderNodesXml(c, nodes, null, depth + 1, '');
  }
  return scalarText(c.buf, off, size, type);
}

function evalParts(c: ChunkContext, parts: Part[], v: Values, depth: number): RawValue | undefined {
  if (parts.length === 1) {
    const p = parts[0];
    return typeof p === 'string' ? p : subValue(c, p, v, depth);
  }
  if (parts.length === 0) return '';
  let s = '';
  let any = false;
  for (const p of parts) {
    if (typeof p === 'string') {
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

function isBinXmlSub(parts: Part[], v: Values): SubRef | undefined {
  if (parts.length !== 1 || typeof parts[0] === 'string') return undefined;
  const i = parts[0].sub;
  return i < v.types.length && v.types[i] === VT.BinXml ? parts[0] : undefined;
}

/** A name seen twice in one event (some templates repeat a Data name) keeps both values, in order. */
function addData(sink: Sink, name: string, x: RawValue): void {
  const prev = sink.data[name];
  if (prev === undefined) sink.data[name] = x;
  else sink.data[name] = Array.isArray(prev) ? [...prev, x] : [prev, x];
}

function arraySub(parts: Part[], v: Values): SubRef | undefined {
  if (parts.length !== 1 || typeof parts[0] === 'string') return undefined;
  const i = parts[0].sub;
  return i < v.types.length && v.types[i] & VT.ArrayFlag ? parts[0] : undefined;
}

function applyShape(c: ChunkContext, shape: Emitter[], v: Values, sink: Sink, depth: number): void {
  for (const e of shape) {
    switch (e.k) {
      case 'num': {
        const x = evalParts(c, e.parts, v, depth);
        if (x === undefined || x === '') break;
        const n = Number(x);
        if (Number.isFinite(n)) sink.system[e.field] = n;
        break;
      }
      case 'str': {
        const x = evalParts(c, e.parts, v, depth);
        if (x === undefined) break;
        const t = Array.isArray(x) ? x.join(',') : String(x);
        // forwarded events carry TimeCreated as text with 9 fractional digits; FILETIME has 7
        sink.system[e.field] = e.field === 'timeCreated' ? t.replace(/^(\S+\.\d{7})\d+Z$/, '$1Z') : t;
        break;
      }
      case 'data': {
        const nested = isBinXmlSub(e.parts, v);
        if (nested && e.ctx === 'userdata') {
          expandNested(c, nested.sub, v, 'userdata', sink, depth);
          break;
        }
        const arr = arraySub(e.parts, v);
        if (arr) {
          // An array substitution repeats its element once per item (as Windows renders it).
          const items = arrayItems(c.buf, v.offs[arr.sub], v.sizes[arr.sub], v.types[arr.sub]);
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
        let name: string;
        if (e.name === null) name = `Data${sink.unnamed++}`;
        else if (e.literalName !== null) name = e.literalName;
        else {
          const nx = evalParts(c, e.name, v, depth);
          name = nx === undefined ? `Data${sink.unnamed++}` : String(nx);
        }
        if (sink.wanted && !sink.wanted.has(name)) break;
        const x = evalParts(c, e.parts, v, depth);
        if (x !== undefined) addData(sink, name, x);
        break;
      }
      case 'nest':
        expandNested(c, e.sub, v, e.ctx, sink, depth);
        break;
      case 'inst':
        extractInstance(c, e.node, e.ctx, sink, depth + 1);
        break;
    }
  }
}

function expandNested(c: ChunkContext, sub: number, v: Values, ctx: ExtractContext, sink: Sink, depth: number): void {
  if (sub >= v.types.length || v.types[sub] !== VT.BinXml) return;
  const off = v.offs[sub];
  const { nodes } = parseFragment(c, off, off + v.sizes[sub], false, depth + 1);
  extractNodes(c, nodes, ctx, sink, depth + 1);
}

export function extractInstance(c: ChunkContext, inst: InstanceNode, ctx: ExtractContext, sink: Sink, depth: number): void {
  if (depth > MAX_DEPTH) fail('LOOP', 0, `template instances nested deeper than ${MAX_DEPTH}`);
  applyShape(c, shapeOf(inst.template, ctx), inst.values, sink, depth);
}

const NO_VALUES: Values = { types: new Uint8Array(0), sizes: new Uint16Array(0), offs: new Uint32Array(0) };

/** Extracts from parsed nodes that are not a template (record-level elements, nested fragments). */
export function extractNodes(c: ChunkContext, nodes: Node[], ctx: ExtractContext, sink: Sink, depth: number): void {
  if (depth > MAX_DEPTH) fail('LOOP', 0, `binary XML nested deeper than ${MAX_DEPTH}`);
  if (nodes.length === 1 && typeof nodes[0] !== 'string' && nodes[0].k === 'inst') {
    extractInstance(c, nodes[0], ctx, sink, depth);
    return;
  }
  applyShape(c, compileShape(nodes, ctx), NO_VALUES, sink, depth);
}
