// Renders parsed binary XML (with its substitution values) as indented XML text, for the
// raw-event view. Attacker-controlled text is always escaped. An empty optional substitution
// omits its attribute. Nested BinXML values and template instances render in place.

import { fail } from './bytes';
import type { Node, Part, Values } from './binxml/nodes';
import { MAX_DEPTH, parseFragment } from './binxml/parse';
import type { ChunkContext } from './binxml/template-cache';
import { VT, arrayItems, scalarText } from './binxml/value-types';

export function escapeXml(s: string): string {
  return s.replace(/[&<>"]/g, (ch) => (ch === '&' ? '&amp;' : ch === '<' ? '&lt;' : ch === '>' ? '&gt;' : '&quot;'));
}

type Piece = { text: string } | { nodes: Node[]; values: Values | null };

function partPieces(c: ChunkContext, p: Part, v: Values | null, depth: number): Piece | undefined {
  if (typeof p === 'string') return { text: p };
  if (!v || p.sub >= v.count) return p.optional ? undefined : { text: '' };
  const type = v.types[p.sub];
  if (type === VT.Null) return p.optional ? undefined : { text: '' };
  const off = v.offs[p.sub];
  const size = v.sizes[p.sub];
  if (type === VT.BinXml) return { nodes: parseFragment(c, off, off + size, false, depth + 1).nodes, values: null };
  if (type & VT.ArrayFlag) return { text: arrayItems(c.buf, off, size, type).join(',') };
  return { text: scalarText(c.buf, off, size, type) };
}

/** Expands instances and BinXML substitutions into a flat list of element / text items. */
function flatten(c: ChunkContext, nodes: Node[], v: Values | null, depth: number, out: { node: Node; values: Values | null }[]): void {
  if (depth > MAX_DEPTH) fail('LOOP', 0, `binary XML nested deeper than ${MAX_DEPTH}`);
  for (const n of nodes) {
    if (typeof n === 'string') out.push({ node: n, values: v });
    else if (n.k === 'inst') flatten(c, n.template.nodes, n.values, depth + 1, out);
    else if (n.k === 'sub') {
      const p = partPieces(c, n, v, depth);
      if (!p) continue;
      if ('text' in p) out.push({ node: p.text, values: v });
      else flatten(c, p.nodes, p.values, depth + 1, out);
    } else out.push({ node: n, values: v });
  }
}

export function renderNodesXml(c: ChunkContext, nodes: Node[], v: Values | null, depth: number, indent: string): string {
  const items: { node: Node; values: Values | null }[] = [];
  flatten(c, nodes, v, depth, items);
  let s = '';
  for (const { node, values } of items) {
    if (typeof node === 'string') {
      s += escapeXml(node);
      continue;
    }
    if (node.k !== 'el') continue;
    s += (s && !s.endsWith('\n') ? '\n' : '') + indent + '<' + node.name;
    for (const a of node.attrs) {
      let val = '';
      let present = a.parts.length === 0;
      for (const p of a.parts) {
        const piece = partPieces(c, p, values, depth);
        if (!piece) continue;
        present = true;
        val += 'text' in piece ? piece.text : renderNodesXml(c, piece.nodes, piece.values, depth + 1, '');
      }
      if (present) s += ` ${a.name}="${escapeXml(val)}"`;
    }
    const inner: { node: Node; values: Values | null }[] = [];
    flatten(c, node.children, values, depth + 1, inner);
    if (inner.length === 0) {
      s += '/>\n';
      continue;
    }
    const hasElements = inner.some((x) => typeof x.node !== 'string');
    if (!hasElements) {
      s += '>' + escapeXml(inner.map((x) => x.node as string).join('')) + '</' + node.name + '>\n';
      continue;
    }
    s += '>\n' + renderNodesXml(c, node.children, values, depth + 1, indent + '  ');
    if (!s.endsWith('\n')) s += '\n';
    s += indent + '</' + node.name + '>\n';
  }
  return s;
}
