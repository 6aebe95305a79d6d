// Rule prefilter ("gate"): most process_creation rules can only fire when the image's file name is
// one of a few (`Image|endswith: '\certutil.exe'`, `OriginalFileName: 'CertUtil.exe'`). From a
// rule's detection and condition we derive, where we can PROVE it, a set of keys of which the event
// must have at least one: `img:<file name of Image>`, `pimg:<file name of ParentImage>` or
// `ofn:<OriginalFileName>`, lower-cased. The
// rule set indexes rules by these keys, so an event is only tested against the rules its image can
// satisfy plus the rules without a gate. A gate is a necessary condition, never an approximation:
// when in doubt (negation, wildcards, modifiers that change the meaning) there is no gate.

import type { ConditionAst } from './condition';
import { resolvePattern } from './condition';
import type { DetectionItem, FieldEntry } from './loader';

/** undefined: no provable gate (the rule must always be tested). */
export type Gate = ReadonlySet<string> | undefined;

function imageKey(prefix: string, value: string): string | undefined {
  if (/[*?]/.test(value)) return undefined;
  const i = value.lastIndexOf('\\');
  if (i < 0) return undefined;
  const name = value.slice(i + 1);
  return name ? `${prefix}${name.toLowerCase()}` : undefined;
}

/** Gate key prefix per field whose file name can be indexed. */
const IMAGE_FIELDS: Readonly<Record<string, string>> = { Image: 'img:', ParentImage: 'pimg:' };

/** The keys one field entry proves, or undefined. */
function entryGate(e: FieldEntry): Gate {
  const mods = e.modifiers.map((m) => m.toLowerCase()).filter((m) => m !== 'cased');
  if (mods.includes('all') && e.values.length > 1) return undefined;
  const plainMods = mods.filter((m) => m !== 'all');
  const keys = new Set<string>();
  for (const v of e.values) {
    if (typeof v !== 'string') return undefined;
    let k: string | undefined;
    const prefix = IMAGE_FIELDS[e.field];
    if (prefix && (plainMods.length === 0 || (plainMods.length === 1 && plainMods[0] === 'endswith'))) k = imageKey(prefix, v);
    else if (e.field === 'OriginalFileName' && plainMods.length === 0 && !/[*?\\]/.test(v)) k = `ofn:${v.toLowerCase()}`;
    if (!k) return undefined;
    keys.add(k);
  }
  return keys.size ? keys : undefined;
}

const union = (gates: Gate[]): Gate => {
  if (gates.length === 0 || gates.some((g) => g === undefined)) return undefined;
  const out = new Set<string>();
  for (const g of gates) for (const k of g as ReadonlySet<string>) out.add(k);
  return out;
};

/** Of several necessary gates (AND), the one with the fewest keys. */
const narrowest = (gates: Gate[]): Gate => {
  let best: Gate;
  for (const g of gates) if (g && (!best || g.size < best.size)) best = g;
  return best;
};

export function itemGate(item: DetectionItem): Gate {
  if (item.t === 'keywords') return undefined;
  if (item.t === 'any') return union(item.items.map(itemGate));
  return narrowest(item.entries.map(entryGate));
}

export function conditionGate(ast: ConditionAst, ids: ReadonlyMap<string, Gate>, names: readonly string[]): Gate {
  switch (ast.t) {
    case 'id':
      return ids.get(ast.name);
    case 'not':
      return undefined;
    case 'and':
      return narrowest(ast.items.map((i) => conditionGate(i, ids, names)));
    case 'or':
      return union(ast.items.map((i) => conditionGate(i, ids, names)));
    case 'of': {
      const gates = resolvePattern(ast.pattern, names).map((n) => ids.get(n));
      return ast.quantity === 'all' ? narrowest(gates) : union(gates);
    }
  }
}
