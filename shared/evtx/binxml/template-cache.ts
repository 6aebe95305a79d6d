// Per-chunk template cache. A template definition is parsed once per chunk (keyed by its chunk
// offset) and reused by every record that instantiates it; a failed definition is remembered so
// each record reports it without re-parsing. A template that (directly or through nesting)
// instantiates itself raises LOOP instead of recursing. The context also carries the budget of
// the record being decoded (budget.ts), refilled per record by its caller.

import { ByteDecodeError, fail, u32, hexUpper } from '../../bytes/byte-reader';
import { RecordBudget } from './budget';
import { NameTable } from './names';
import { parseFragment, type InstanceSlot } from './parse';
import type { Template } from './nodes';

export interface ChunkContext {
  buf: Uint8Array;
  names: NameTable;
  templates: TemplateCache;
  /** Value tables reused by the record fast path (extract.ts), one per nesting level in use. */
  slots: InstanceSlot[];
  slotTop: number;
  /**
   * Check each TemplateInstance's template id against the definition it points at (the first four
   * bytes of the definition's GUID). Set when a damaged chunk is salvaged: a reference into bytes
   * that no longer hold the template then fails as BAD_TEMPLATE instead of decoding garbage
   * (and the name table checks each name's hash, see names.ts).
   */
  checkTemplateIds: boolean;
  /** What the record being decoded may still produce; refill it before each record. */
  budget: RecordBudget;
}

export function newChunkContext(buf: Uint8Array, salvage = false): ChunkContext {
  const c = { buf, names: new NameTable(buf, salvage), templates: undefined, slots: [], slotTop: 0, checkTemplateIds: salvage, budget: new RecordBudget() } as unknown as ChunkContext;
  c.templates = new TemplateCache(c);
  return c;
}

export class TemplateCache {
  private readonly ok = new Map<number, Template>();
  private readonly bad = new Map<number, ByteDecodeError>();
  private readonly building = new Set<number>();
  constructor(private readonly c: ChunkContext) {}

  get(defOff: number, depth: number): Template {
    const hit = this.ok.get(defOff);
    if (hit) return hit;
    const err = this.bad.get(defOff);
    if (err) throw err;
    if (this.building.has(defOff)) fail('LOOP', defOff, `template at 0x${defOff.toString(16)} instantiates itself`);
    this.building.add(defOff);
    try {
      const t = this.build(defOff, depth);
      this.ok.set(defOff, t);
      return t;
    } catch (e) {
      if (!(e instanceof ByteDecodeError)) throw e;
      // a record's spent budget is that record's failure, not the template's (builds are not
      // charged, see budget.ts; this keeps it so should that change)
      if (e.code === 'BAD_RECORD') throw e;
      const code = e.code === 'TRUNCATED' ? 'BAD_TEMPLATE' : e.code;
      const wrapped = new ByteDecodeError(code, e.offset, `template at 0x${defOff.toString(16)}: ${e.message}`);
      if (code !== 'LOOP') this.bad.set(defOff, wrapped);
      throw wrapped;
    } finally {
      this.building.delete(defOff);
    }
  }

  private build(defOff: number, depth: number): Template {
    const buf = this.c.buf;
    if (defOff < 512 || defOff + 24 > buf.length) fail('BAD_TEMPLATE', defOff, `template offset 0x${defOff.toString(16)} is outside the chunk's data`);
    const dataSize = u32(buf, defOff + 20, 'template_data_size');
    const start = defOff + 24;
    if (start + dataSize > buf.length) fail('BAD_TEMPLATE', defOff, `template data of ${dataSize} bytes runs past the chunk`);
    const g = (i: number, n: number) => hexUpper(buf, defOff + 4 + i, n, 'template_guid');
    const guid = `{${g(3, 1)}${g(2, 1)}${g(1, 1)}${g(0, 1)}-${g(5, 1)}${g(4, 1)}-${g(7, 1)}${g(6, 1)}-${g(8, 2)}-${g(10, 6)}}`;
    const { nodes } = parseFragment(this.c, start, start + dataSize, true, depth);
    return { offset: defOff, guid, nodes, shapes: new Map() };
  }
}
