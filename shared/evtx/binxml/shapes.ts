// Shapes: a template compiled, once per chunk and extraction context, into the list of emitters
// that say which parts (literal text / substitution index) feed which System field, EventData
// name or UserData leaf. extract.ts applies a shape to each record's value table. A shape
// belongs to one chunk (templates are cached per chunk), which the per-emitter memo relies on.

import type { RawSystem } from '../../model/raw-event';
import type { ExtractContext, InstanceNode, Node, Part, SubRef, Template } from './nodes';

export type NumField = 'eventId' | 'version' | 'level' | 'task' | 'opcode' | 'recordId' | 'processId' | 'threadId' | 'qualifiers';
export type StrField = Exclude<keyof RawSystem, NumField>;

export const NUM = 0;
export const STR = 1;
export const DATA = 2;
export const NEST = 3;
export const INST = 4;

/** One step of a shape. A single class (not a union of object literals) keeps applyShape's property loads monomorphic. */
export class Emitter {
  /** The one substitution when `parts` is exactly one (most fields), else null. */
  readonly single: SubRef | null;
  // The last scalar decoded for `single` (see memoText): its chunk offset, size, type and text.
  memoOff = 0;
  memoSize = -1;
  memoType = -1;
  memoText = '';
  constructor(
    readonly k: number,
    /** NUM / STR: the System field. */
    readonly field: keyof RawSystem | null,
    readonly parts: Part[],
    /** DATA: the Name attribute's parts (null: an unnamed Data, numbered Data0, Data1 ...). */
    readonly name: Part[] | null,
    readonly literalName: string | null,
    readonly ctx: ExtractContext,
    /** NEST: the substitution holding the embedded BinXML. */
    readonly sub: number,
    /** INST: a template instance inside the template. */
    readonly node: InstanceNode | null,
  ) {
    const p = parts.length === 1 ? parts[0] : undefined;
    this.single = p !== undefined && typeof p !== 'string' ? p : null;
  }
}

function dataEmitter(name: Part[] | null, literalName: string | null, parts: Part[], ctx: ExtractContext): Emitter {
  return new Emitter(DATA, null, parts, name, literalName, ctx, 0, null);
}

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
  return new Emitter(NUM_FIELDS.has(field) ? NUM : STR, field, parts, null, null, 'system', 0, null);
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
      if (ctx !== 'system') out.push(new Emitter(NEST, null, [], null, null, ctx, n.sub, null));
      continue;
    }
    if (n.k === 'inst') {
      out.push(new Emitter(INST, null, [], null, null, ctx, 0, n));
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
          out.push(dataEmitter(nameAttr ? nameAttr.parts : null, literal, textParts(n.children), ctx));
        } else if (hasElementChild(n.children)) {
          compileShape(n.children, 'userdata', out);
        } else {
          out.push(dataEmitter([n.name], n.name, textParts(n.children), ctx));
        }
        break;
      }
      case 'userdata':
        if (hasElementChild(n.children)) compileShape(n.children, 'userdata', out);
        else out.push(dataEmitter([n.name], n.name, textParts(n.children), ctx));
        break;
    }
  }
  return out;
}

/** The shape of template `t` in `ctx`, compiled on first use. */
export function shapeOf(t: Template, ctx: ExtractContext): Emitter[] {
  let s = t.shapes.get(ctx) as Emitter[] | undefined;
  if (!s) {
    s = compileShape(t.nodes, ctx);
    t.shapes.set(ctx, s);
  }
  return s;
}
