// Rule prefilter ("gate"): most process_creation rules can only fire when the image's file name is
// one of a few (`Image|endswith: '\certutil.exe'`, `OriginalFileName: 'CertUtil.exe'`). From a
// rule's detection and condition we derive, where we can PROVE it, a set of keys of which the event
// must have at least one: `img:<file name of Image>`, `pimg:<file name of ParentImage>` or
// `ofn:<OriginalFileName>`, lower-cased. The
// rule set indexes rules by these keys, so an event is only tested against the rules its image can
// satisfy plus the rules without a gate. A gate is a necessary condition, never an approximation:
// when in doubt (negation, wildcards, modifiers that change the meaning) there is no gate.
// Rules no image key can gate may still be gated by a substring key `sub:<field>\0<needle>`: the
// longest literal piece of a contains / startswith / endswith / equality value must occur in the
// field's lower-cased text. The rule set finds the present needles of an event with one scan per field.

import type { ConditionAst } from './condition';
import { resolvePattern } from './condition';
import type { DetectionItem, FieldEntry } from './loader';
import { parseSigmaString, windash } from './sigma-string';

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

/** The exact image / OriginalFileName keys one field entry proves, or undefined. */
function exactGate(e: FieldEntry, mods: readonly string[]): Gate {
  if (mods.includes('all') && e.values.length > 1) return undefined;
  const plainMods = mods.filter((m) => m !== 'all' && m !== 'cased');
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

/** Modifiers that keep every literal piece of the value in the field's text. */
const LITERAL_PRESERVING = new Set(['contains', 'startswith', 'endswith', 'windash', 'all']);
export const MIN_NEEDLE = 3;

/** `sub:<field>\0<needle>`: the field's lower-cased text must contain the needle. */
export function substringKey(field: string, needle: string): string {
  return `sub:${field}\u0000${needle}`;
}

function longestLiteral(value: string | number, dashes: boolean): string {
  if (typeof value === 'number') return String(value);
  const pieces = dashes ? windash(parseSigmaString(value)) : parseSigmaString(value);
  let best = '';
  for (const p of pieces) if (p.t === 'lit' && p.s.length > best.length) best = p.s;
  return best.toLowerCase();
}

/**
 * Substring keys one field entry proves: each value's longest literal piece must occur in the
 * field (case-insensitive matching only: lower-casing a cased match could differ for a few scripts).
 */
function substringGate(e: FieldEntry, mods: readonly string[]): Gate {
  if (!e.field || mods.some((m) => !LITERAL_PRESERVING.has(m))) return undefined;
  const needles: string[] = [];
  for (const v of e.values) {
    if (typeof v !== 'string' && typeof v !== 'number') return undefined;
    needles.push(longestLiteral(v, mods.includes('windash')));
  }
  if (mods.includes('all')) {
    // every value must occur: the longest needle alone is proof
    const best = needles.reduce((a, b) => (b.length > a.length ? b : a), '');
    return best.length >= MIN_NEEDLE ? new Set([substringKey(e.field, best)]) : undefined;
  }
  if (needles.some((n) => n.length < MIN_NEEDLE)) return undefined;
  return new Set(needles.map((n) => substringKey(e.field, n)));
}

/** The keys one field entry proves, or undefined: exact image keys where possible, else substrings. */
function entryGate(e: FieldEntry): Gate {
  const mods = e.modifiers.map((m) => m.toLowerCase());
  return exactGate(e, mods) ?? substringGate(e, mods);
}

const union = (gates: Gate[]): Gate => {
  if (gates.length === 0 || gates.some((g) => g === undefined)) return undefined;
  const out = new Set<string>();
  for (const g of gates) for (const k of g as ReadonlySet<string>) out.add(k);
  return out;
};

const exactOnly = (g: ReadonlySet<string>): boolean => ![...g].some((k) => k.startsWith('sub:'));

/** Of several necessary gates (AND), the most selective: exact keys before substrings, then the fewest keys. */
const narrowest = (gates: Gate[]): Gate => {
  let best: Gate;
  for (const g of gates) {
    if (!g) continue;
    if (!best) {
      best = g;
      continue;
    }
    const ge = exactOnly(g);
    const be = exactOnly(best);
    if ((ge && !be) || (ge === be && g.size < best.size)) best = g;
  }
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
