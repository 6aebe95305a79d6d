// Rule files → SigmaRuleSource: metadata, logsource and the detection as plain values that keep
// the line of every search identifier and field. YAML is parsed with a LineCounter so each problem
// names the rule file and line. Multi-document files are read as Sigma rule collections
// (`action: global` documents merge into the documents after them, `action: reset` clears that).
// Nothing here throws for bad input: an unusable document becomes a SigmaUnsupported value.

import { LineCounter, isMap, isScalar, isSeq, parseAllDocuments, type Node } from 'yaml';
import type { SigmaRuleMeta, SigmaUnsupported, SigmaUnsupportedCode } from './types';
import type { RuleScalar } from './modifiers';
import type { LogsourceSpec } from './logsource';

/** One `Field|mods: values` entry of a map; field '' is a keyword entry (`'|all': [...]`). */
export interface FieldEntry {
  field: string;
  modifiers: string[];
  values: RuleScalar[];
  line: number;
}

export type DetectionItem =
  | { t: 'map'; entries: FieldEntry[]; line: number }
  | { t: 'keywords'; values: RuleScalar[]; line: number }
  | { t: 'any'; items: DetectionItem[]; line: number };

export interface SigmaRuleSource {
  meta: SigmaRuleMeta;
  logsource: LogsourceSpec;
  /** Search identifiers in rule order. */
  identifiers: { name: string; item: DetectionItem; line: number }[];
  conditions: { text: string; line: number }[];
}

export interface RuleFile {
  path: string;
  text: string;
}

export interface LoadResult {
  rules: SigmaRuleSource[];
  unsupported: SigmaUnsupported[];
}

class RuleError extends Error {
  constructor(readonly code: SigmaUnsupportedCode, message: string, readonly line: number) {
    super(message);
  }
}

/** Top-level keys of a document with their value nodes, and the keys of its nested maps. */
type Top = Map<string, { node: Node | null; line: number; nested?: Map<string, { node: Node | null; line: number }> }>;

function scalarValue(node: Node | null): RuleScalar {
  if (node === null) return null;
  if (!isScalar(node)) throw new Error('not a scalar');
  const v = node.value;
  // numbers keep their written text ("0x10", "1.0") so string comparison sees what the author wrote
  if (typeof v === 'number') return typeof node.source === 'string' && node.source !== '' && node.source !== String(v) ? node.source : v;
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return v;
  return String(v);
}

export function loadSigmaRules(files: readonly RuleFile[]): LoadResult {
  const rules: SigmaRuleSource[] = [];
  const unsupported: SigmaUnsupported[] = [];
  for (const f of files) loadFile(f, rules, unsupported);
  return { rules, unsupported };
}

function loadFile(file: RuleFile, rules: SigmaRuleSource[], unsupported: SigmaUnsupported[]): void {
  const lc = new LineCounter();
  const lineOf = (node: Node | null | undefined, fallback = 1): number => {
    const r = node?.range;
    return r ? lc.linePos(r[0]).line : fallback;
  };
  const docs = parseAllDocuments(file.text, { lineCounter: lc, uniqueKeys: false });
  const list = Array.isArray(docs) ? docs : [];
  let global: Top | undefined;
  for (const doc of list) {
    const docLine = lineOf(doc.contents, doc.range ? lc.linePos(doc.range[0]).line : 1);
    if (doc.errors.length) {
      const e = doc.errors[0];
      unsupported.push({ code: 'BAD_YAML', file: file.path, line: e.linePos?.[0].line ?? docLine, message: e.message.split('\n')[0] });
      continue;
    }
    if (doc.contents === null) continue;
    if (!isMap(doc.contents)) {
      unsupported.push({ code: 'NOT_A_RULE', file: file.path, line: docLine, message: 'the document is not a map' });
      continue;
    }
    const top: Top = new Map();
    for (const pair of doc.contents.items) {
      if (!isScalar(pair.key)) continue;
      const k = String(pair.key.value);
      const value = (pair.value ?? null) as Node | null;
      const entry: { node: Node | null; line: number; nested?: Map<string, { node: Node | null; line: number }> } = { node: value, line: lineOf(pair.key as Node, docLine) };
      if (isMap(value)) {
        entry.nested = new Map();
        for (const p of value.items) if (isScalar(p.key)) entry.nested.set(String(p.key.value), { node: (p.value ?? null) as Node | null, line: lineOf(p.key as Node, entry.line) });
      }
      top.set(k, entry);
    }
    const action = top.get('action');
    const actionText = action && isScalar(action.node) ? String(action.node.value) : undefined;
    if (actionText === 'global') {
      global = top;
      continue;
    }
    if (actionText === 'reset') {
      global = undefined;
      continue;
    }
    const merged = global ? mergeTop(global, top) : top;
    const str = (k: string): string | undefined => {
      const e = merged.get(k);
      return e && isScalar(e.node) && e.node.value !== null ? String(e.node.value) : undefined;
    };
    const id = str('id') ?? `${file.path}:${docLine}`;
    const title = str('title') ?? id;
    const base = { file: file.path, ruleId: str('id'), title: str('title') };
    if (merged.has('correlation')) {
      unsupported.push({ ...base, code: 'CORRELATION', line: merged.get('correlation')?.line ?? docLine, message: 'correlation rules are not evaluated' });
      continue;
    }
    if (merged.has('filter') && !merged.has('detection')) {
      unsupported.push({ ...base, code: 'FILTER_RULE', line: merged.get('filter')?.line ?? docLine, message: 'Sigma filter documents are not applied' });
      continue;
    }
    const detection = merged.get('detection');
    if (!detection) {
      unsupported.push({ ...base, code: 'NOT_A_RULE', line: docLine, message: 'no detection section' });
      continue;
    }
    try {
      rules.push(buildRule(file.path, docLine, merged, id, title, str, lineOf));
    } catch (e) {
      if (!(e instanceof RuleError)) throw e;
      unsupported.push({ ...base, code: e.code, line: e.line, message: e.message });
    }
  }
}

function mergeTop(global: Top, doc: Top): Top {
  const out: Top = new Map(global);
  for (const [k, v] of doc) {
    const g = out.get(k);
    if (g?.nested && v.nested) out.set(k, { node: v.node, line: v.line, nested: new Map([...g.nested, ...v.nested]) });
    else out.set(k, v);
  }
  return out;
}

function buildRule(
  path: string,
  docLine: number,
  top: Top,
  id: string,
  title: string,
  str: (k: string) => string | undefined,
  lineOf: (node: Node | null | undefined, fallback?: number) => number,
): SigmaRuleSource {
  const strings = (k: string): string[] => {
    const n = top.get(k)?.node;
    if (!n) return [];
    if (isSeq(n)) return n.items.filter(isScalar).map((s) => String(s.value));
    return isScalar(n) && n.value !== null ? [String(n.value)] : [];
  };
  const meta: SigmaRuleMeta = {
    id, title, level: (str('level') ?? 'medium').toLowerCase(), status: str('status'), tags: strings('tags'), path, line: docLine,
    description: str('description'), falsepositives: strings('falsepositives'),
  };
  const ls = top.get('logsource');
  const logsource: LogsourceSpec = {};
  for (const key of ['product', 'category', 'service'] as const) {
    const n = ls?.nested?.get(key)?.node;
    if (n && isScalar(n) && n.value !== null) logsource[key] = String(n.value);
  }
  const det = top.get('detection');
  if (!det?.nested) throw new RuleError('BAD_DETECTION', 'detection is not a map', det?.line ?? docLine);
  const identifiers: SigmaRuleSource['identifiers'] = [];
  const conditions: SigmaRuleSource['conditions'] = [];
  for (const [name, { node, line }] of det.nested) {
    if (name === 'condition') {
      if (isSeq(node)) for (const c of node.items) conditions.push({ text: isScalar(c) ? String(c.value) : '', line: lineOf(c as Node, line) });
      else conditions.push({ text: isScalar(node) ? String(node.value ?? '') : '', line });
      continue;
    }
    if (name === 'timeframe') continue; // only meaningful with an aggregation, which is reported
    identifiers.push({ name, item: buildItem(node, line, lineOf), line });
  }
  if (conditions.length === 0) throw new RuleError('BAD_CONDITION', 'detection has no condition', det.line);
  return { meta, logsource, identifiers, conditions };
}

function scalarList(node: Node | null, line: number): RuleScalar[] {
  if (isSeq(node)) {
    return node.items.map((x) => {
      if (x !== null && !isScalar(x)) throw new RuleError('BAD_DETECTION', 'a value list may only hold scalars', line);
      return scalarValue(x as Node | null);
    });
  }
  if (node !== null && !isScalar(node)) throw new RuleError('BAD_DETECTION', 'a field value must be a scalar or a list of scalars', line);
  return [scalarValue(node)];
}

function buildItem(node: Node | null, line: number, lineOf: (node: Node | null | undefined, fallback?: number) => number): DetectionItem {
  if (isMap(node)) {
    const entries: FieldEntry[] = [];
    for (const pair of node.items) {
      if (!isScalar(pair.key)) throw new RuleError('BAD_DETECTION', 'a field name must be a scalar', line);
      const keyLine = lineOf(pair.key as Node, line);
      const [field, ...modifiers] = String(pair.key.value ?? '').split('|');
      entries.push({ field, modifiers, values: scalarList((pair.value ?? null) as Node | null, keyLine), line: keyLine });
    }
    if (entries.length === 0) throw new RuleError('BAD_DETECTION', 'an empty map', line);
    return { t: 'map', entries, line };
  }
  if (isSeq(node)) {
    const items: DetectionItem[] = [];
    const keywords: RuleScalar[] = [];
    for (const x of node.items) {
      const n = x as Node | null;
      if (n === null || isScalar(n)) keywords.push(scalarValue(n));
      else items.push(buildItem(n, lineOf(n, line), lineOf));
    }
    if (keywords.length) items.unshift({ t: 'keywords', values: keywords, line });
    if (items.length === 0) throw new RuleError('BAD_DETECTION', 'an empty list', line);
    return items.length === 1 ? items[0] : { t: 'any', items, line };
  }
  if (node === null || isScalar(node)) return { t: 'keywords', values: [scalarValue(node)], line };
  throw new RuleError('BAD_DETECTION', 'a search identifier must be a map, a list or a value', line);
}
