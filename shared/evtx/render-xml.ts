// Renders parsed binary XML (with its substitution values) as indented XML text, for the
// raw-event view. Attacker-controlled text is always escaped. An empty optional substitution
// omits its attribute. Nested BinXML values and template instances render in place.
// Every node visited and character made is charged to the record's budget (binxml/budget.ts), so
// nested substitutions that repeat fail the record as BAD_RECORD instead of growing the text
// without bound. Output goes into one list of pieces per rendering (joined once at the end), so
// the time is linear in the text made.

import { fail } from '../bytes/byte-reader';
import type { Node, Part, Values } from './binxml/nodes';
import { MAX_DEPTH, parseFragment } from './binxml/parse';
import type { ChunkContext } from './binxml/template-cache';
import { VT, arrayItems, scalarText } from './binxml/value-types';

export function escapeXml(s: string): string {
  return s.replace(/[&<>"]/g, (ch) => (ch === '&' ? '&amp;' : ch === '<' ? '&lt;' : ch === '>' ? '&gt;' : '&quot;'));
}

type Piece = { text: string } | { nodes: Node[]; values: Values | null };
type Item = { node: Node; values: Values | null };

function partPieces(c: ChunkContext, p: Part, v: Values | null, depth: number): Piece | undefined {
  if (typeof p === 'string') {
    c.budget.spendChars(p.length, -1);
    return { text: p };
  }
  if (!v || p.sub >= v.count) return p.optional ? undefined : { text: '' };
  const type = v.types[p.sub];
  if (type === VT.Null) return p.optional ? undefined : { text: '' };
  const off = v.offs[p.sub];
  const size = v.sizes[p.sub];
  if (type === VT.BinXml) return { nodes: parseFragment(c, off, off + size, false, depth + 1).nodes, values: null };
  const text = type & VT.ArrayFlag ? arrayItems(c.buf, off, size, type).join(',') : scalarText(c.buf, off, size, type);
  c.budget.spendChars(text.length, off);
  return { text };
}

/** Expands instances and BinXML substitutions into a flat list of element / text items. */
function flatten(c: ChunkContext, nodes: Node[], v: Values | null, depth: number, out: Item[]): void {
  if (depth > MAX_DEPTH) fail('LOOP', 0, `binary XML nested deeper than ${MAX_DEPTH}`);
  const budget = c.budget;
  for (const n of nodes) {
    budget.spendNodes(1, -1);
    if (typeof n === 'string') {
      budget.spendChars(n.length, -1);
      out.push({ node: n, values: v });
    } else if (n.k === 'inst') flatten(c, n.template.nodes, n.values, depth + 1, out);
    else if (n.k === 'sub') {
      const p = partPieces(c, n, v, depth);
      if (!p) continue;
      if ('text' in p) out.push({ node: p.text, values: v });
      else flatten(c, p.nodes, p.values, depth + 1, out);
    } else out.push({ node: n, values: v });
  }
}

/** The text rendered so far, and its last character code (-1 while empty). */
interface Out {
  pieces: string[];
  last: number;
}

const NL = 10;

function put(c: ChunkContext, out: Out, s: string): void {
  if (s.length === 0) return;
  c.budget.spendChars(s.length, -1);
  out.pieces.push(s);
  out.last = s.charCodeAt(s.length - 1);
}

export function renderNodesXml(c: ChunkContext, nodes: Node[], v: Values | null, depth: number, indent: string): string {
  const items: Item[] = [];
  flatten(c, nodes, v, depth, items);
  const out: Out = { pieces: [], last: -1 };
  renderItems(c, items, depth, indent, out);
  return out.pieces.join('');
}

function renderItems(c: ChunkContext, items: Item[], depth: number, indent: string, out: Out): void {
  for (const { node, values } of items) {
    if (typeof node === 'string') {
      put(c, out, escapeXml(node));
      continue;
    }
    if (node.k !== 'el') continue;
    put(c, out, (out.last !== -1 && out.last !== NL ? '\n' : '') + indent + '<' + node.name);
    for (const a of node.attrs) {
      let val = '';
      let present = a.parts.length === 0;
      for (const p of a.parts) {
        const piece = partPieces(c, p, values, depth);
        if (!piece) continue;
        present = true;
        val += 'text' in piece ? piece.text : renderNodesXml(c, piece.nodes, piece.values, depth + 1, '');
      }
      if (present) put(c, out, ` ${a.name}="${escapeXml(val)}"`);
    }
    const inner: Item[] = [];
    flatten(c, node.children, values, depth + 1, inner);
    if (inner.length === 0) {
      put(c, out, '/>\n');
      continue;
    }
    const hasElements = inner.some((x) => typeof x.node !== 'string');
    if (!hasElements) {
      put(c, out, '>' + escapeXml(inner.map((x) => x.node as string).join('')) + '</' + node.name + '>\n');
      continue;
    }
    put(c, out, '>\n');
    renderItems(c, inner, depth + 1, indent + '  ', out);
    if (out.last !== NL) put(c, out, '\n');
    put(c, out, indent + '</' + node.name + '>\n');
  }
}
