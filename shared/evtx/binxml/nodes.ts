// The in-memory form of parsed binary XML. Templates are parsed once per chunk into these nodes;
// a record then only contributes its substitution values (a Values table pointing into the
// chunk buffer), which are decoded lazily, only for the fields that are asked for.

/** A substitution placeholder in a template: value `sub` of the instance's value table. */
export interface SubRef {
  k: 'sub';
  sub: number;
  /** The type the template declares; the instance's descriptor type is the one decoded. */
  declaredType: number;
  /** Optional substitution (token 0x0e): a Null value omits the attribute / element. */
  optional: boolean;
}

/** Text, or a substitution. */
export type Part = string | SubRef;

export interface Attr {
  name: string;
  parts: Part[];
}

export interface ElementNode {
  k: 'el';
  name: string;
  attrs: Attr[];
  children: Node[];
}

/** A record's (or nested fragment's) use of a template, with its own substitution values. */
export interface InstanceNode {
  k: 'inst';
  template: Template;
  values: Values;
}

export type Node = Part | ElementNode | InstanceNode;

/**
 * Substitution values of one template instance: type, size and chunk offset of each of the first
 * `count` entries. The arrays may be longer than `count` (the record fast path reuses them).
 */
export interface Values {
  count: number;
  types: Uint8Array;
  sizes: Uint16Array;
  offs: Uint32Array;
}

export type ExtractContext = 'root' | 'event' | 'system' | 'eventdata' | 'userdata';

export interface Template {
  /** Chunk offset of the template definition (the cache key). */
  offset: number;
  guid: string;
  nodes: Node[];
  /** Compiled field shapes per context, filled lazily by extract.ts. */
  shapes: Map<ExtractContext, unknown>;
}
