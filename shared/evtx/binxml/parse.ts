// Binary XML fragment parser: tokens → nodes. Offsets are chunk-relative (names and templates
// are referenced by chunk offset). Template definitions carry a u16 dependency identifier in
// each OpenStartElement; record-level elements and nested BinXML values do not.
// Damage raises ByteDecodeError with the token's offset: UNKNOWN_TOKEN for a byte that is no
// token, TRUNCATED when a token runs past the fragment, LOOP when nesting is too deep.
// Fragments of a record (not template definitions, which are parsed once per chunk) are charged
// to the record's budget as they are read: a token, a value descriptor or a character each.

import { fail, u16, u32, u8, utf16 } from '../../bytes/byte-reader';
import type { RecordBudget } from './budget';
import { TOK } from './tokens';
import { VT, fixedSize, isKnownType, scalarText } from './value-types';
import type { ElementNode, InstanceNode, Node, Part, Template, Values } from './nodes';
import type { ChunkContext } from './template-cache';

export const MAX_DEPTH = 48;

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

export interface ParsedFragment {
  nodes: Node[];
  end: number;
}

/** Parses tokens from `pos` until EOF or `end`. */
export function parseFragment(c: ChunkContext, pos: number, end: number, hasDepId: boolean, depth: number): ParsedFragment {
  if (depth > MAX_DEPTH) fail('LOOP', pos, `binary XML nested deeper than ${MAX_DEPTH}`);
  const buf = c.buf;
  const root: Node[] = [];
  const stack: ElementNode[] = [];
  let children = root;
  let attrParts: Part[] | null = null; // set while inside a start tag, after an Attribute token
  let inStartTag = false;
  // the same nested value can be parsed many times over (see budget.ts)
  const budget: RecordBudget | null = hasDepId ? null : c.budget;

  while (pos < end) {
    const tokPos = pos;
    const t = u8(buf, pos, 'binxml_token');
    if (budget !== null) budget.spendNodes(1, tokPos);
    switch (t & 0xbf) {
      case TOK.EOF:
        return { nodes: root, end: pos + 1 };
      case TOK.FragmentHeader:
        pos += 4;
        break;
      case TOK.OpenStartElement: {
        if (stack.length > MAX_DEPTH) fail('LOOP', tokPos, `elements nested deeper than ${MAX_DEPTH}`);
        pos += 1;
        if (hasDepId) pos += 2;
        pos += 4; // data size
        const nameOff = u32(buf, pos, 'element_name_offset');
        pos += 4;
        const name = c.names.get(nameOff);
        if (nameOff === pos) pos += c.names.sizeAt(nameOff);
        if (t & 0x40) pos += 4; // attribute list size
        const el: ElementNode = { k: 'el', name, attrs: [], children: [] };
        children.push(el);
        stack.push(el);
        children = el.children;
        inStartTag = true;
        attrParts = null;
        break;
      }
      case TOK.Attribute: {
        if (!inStartTag) fail('UNKNOWN_TOKEN', tokPos, 'attribute outside a start tag');
        pos += 1;
        const nameOff = u32(buf, pos, 'attribute_name_offset');
        pos += 4;
        const name = c.names.get(nameOff);
        if (nameOff === pos) pos += c.names.sizeAt(nameOff);
        attrParts = [];
        stack[stack.length - 1].attrs.push({ name, parts: attrParts });
        break;
      }
      case TOK.CloseStartElement:
        pos += 1;
        inStartTag = false;
        attrParts = null;
        break;
      case TOK.CloseEmptyElement:
      case TOK.EndElement: {
        pos += 1;
        inStartTag = false;
        attrParts = null;
        if (stack.length === 0) fail('UNKNOWN_TOKEN', tokPos, 'end of element without an open element');
        stack.pop();
        children = stack.length ? stack[stack.length - 1].children : root;
        break;
      }
      case TOK.Value: {
        const type = u8(buf, pos + 1, 'value_type');
        pos += 2;
        if (type === VT.String) {
          const n = u16(buf, pos, 'value_string_length');
          if (budget !== null) budget.spendChars(n, tokPos);
          (attrParts ?? children).push(utf16(buf, pos + 2, n, 'value_string'));
          pos += 2 + 2 * n;
        } else {
          const size = fixedSize(type);
          if (size === 0) fail('BAD_VALUE', tokPos, `value token of type 0x${type.toString(16)} has no fixed size`);
          (attrParts ?? children).push(scalarText(buf, pos, size, type));
          pos += size;
        }
        break;
      }
      case TOK.CData: {
        const n = u16(buf, pos + 1, 'cdata_length');
        if (budget !== null) budget.spendChars(n, tokPos);
        (attrParts ?? children).push(utf16(buf, pos + 3, n, 'cdata'));
        pos += 3 + 2 * n;
        break;
      }
      case TOK.CharRef:
        (attrParts ?? children).push(String.fromCharCode(u16(buf, pos + 1, 'char_reference')));
        pos += 3;
        break;
      case TOK.EntityRef: {
        const nameOff = u32(buf, pos + 1, 'entity_name_offset');
        pos += 5;
        const name = c.names.get(nameOff);
        if (nameOff === pos) pos += c.names.sizeAt(nameOff);
        (attrParts ?? children).push(ENTITIES[name] ?? `&${name};`);
        break;
      }
      case TOK.PITarget: {
        const nameOff = u32(buf, pos + 1, 'pi_target_name_offset');
        pos += 5;
        if (nameOff === pos) pos += c.names.sizeAt(nameOff);
        break;
      }
      case TOK.PIData: {
        const n = u16(buf, pos + 1, 'pi_data_length');
        pos += 3 + 2 * n;
        break;
      }
      case TOK.NormalSubstitution:
      case TOK.OptionalSubstitution: {
        const sub = u16(buf, pos + 1, 'substitution_index');
        const declaredType = u8(buf, pos + 3, 'substitution_value_type');
        pos += 4;
        (attrParts ?? children).push({ k: 'sub', sub, declaredType, optional: (t & 0xbf) === TOK.OptionalSubstitution });
        break;
      }
      case TOK.TemplateInstance: {
        const r = parseInstance(c, pos, end, depth + 1);
        if (budget !== null) budget.spendNodes(r.node.values.count, tokPos);
        children.push(r.node);
        pos = r.end;
        break;
      }
      default:
        fail('UNKNOWN_TOKEN', tokPos, `unknown binary XML token 0x${t.toString(16)}`);
    }
  }
  return { nodes: root, end: pos };
}

/** A TemplateInstance token at `pos`: resolves the definition (inline or cached) and reads the value table. */
export function parseInstance(c: ChunkContext, pos: number, end: number, depth: number): { node: InstanceNode; end: number } {
  const slot: InstanceSlot = { template: null, values: { count: 0, types: EMPTY_U8, sizes: EMPTY_U16, offs: EMPTY_U32 }, end: 0 };
  readInstance(c, pos, end, depth, slot, false);
  return { node: { k: 'inst', template: slot.template as Template, values: slot.values }, end: slot.end };
}

const EMPTY_U8 = new Uint8Array(0);
const EMPTY_U16 = new Uint16Array(0);
const EMPTY_U32 = new Uint32Array(0);

/** Where readInstance puts a template instance: its definition, its value table, and the offset after it. */
export interface InstanceSlot {
  template: Template | null;
  values: Values;
  end: number;
}

/**
 * Reads the TemplateInstance at `pos` into `slot`. With `reuse`, the slot's arrays are kept when
 * they are long enough (the record fast path: the values live only while the record is read);
 * otherwise fresh arrays of exactly the value count are made (parsed nodes keep them).
 */
export function readInstance(c: ChunkContext, pos: number, end: number, depth: number, slot: InstanceSlot, reuse: boolean): void {
  const buf = c.buf;
  const defOff = u32(buf, pos + 6, 'template_definition_offset');
  if (c.checkTemplateIds) {
    const id = u32(buf, pos + 2, 'template_id');
    if (defOff + 8 > buf.length || u32(buf, defOff + 4, 'template_guid') !== id) {
      fail('BAD_TEMPLATE', pos, `template 0x${id.toString(16)} referenced at 0x${defOff.toString(16)} is not there (missing or overwritten)`);
    }
  }
  let p = pos + 10;
  if (defOff === p) {
    const dataSize = u32(buf, p + 20, 'template_data_size');
    p += 24 + dataSize;
  }
  slot.template = c.templates.get(defOff, depth);
  const count = u32(buf, p, 'substitution_count');
  p += 4;
  if (count > (end - p) / 4) fail('BAD_TEMPLATE', p - 4, `template instance claims ${count} substitution values`);
  const values = slot.values;
  if (!reuse || values.types.length < count) {
    const cap = reuse ? Math.max(count, 32) : count;
    values.types = new Uint8Array(cap);
    values.sizes = new Uint16Array(cap);
    values.offs = new Uint32Array(cap);
  }
  const { types, sizes, offs } = values;
  values.count = count;
  let v = p + 4 * count;
  for (let i = 0; i < count; i++) {
    const size = u16(buf, p, 'substitution_value_size');
    const type = buf[p + 2];
    if (!isKnownType(type)) fail('BAD_VALUE', p, `substitution ${i} has unknown value type 0x${type.toString(16)}`);
    types[i] = type;
    sizes[i] = size;
    offs[i] = v;
    v += size;
    p += 4;
  }
  if (v > end) fail('TRUNCATED', p, `substitution values run to 0x${v.toString(16)}, past the record end 0x${end.toString(16)}`);
  slot.end = v;
}
