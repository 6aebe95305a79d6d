// SigmaRuleSource → CompiledRule: each search identifier becomes one closure (maps AND their
// fields, lists OR their items), the condition becomes a closure over those, and the logsource
// becomes the rule's targets. A rule compiles completely or is reported unsupported with the line
// of the first thing that could not be compiled: never a partial, silently weaker predicate.

import type { CompiledRule, EventPredicate, FieldForm, SigmaUnsupported } from './types';
import type { DetectionItem, SigmaRuleSource } from './loader';
import { compileFieldTest } from './modifiers';
import { parseCondition, resolvePattern, type ConditionAst } from './condition';
import { logsourceTargets } from './logsource';
import { conditionGate, itemGate, type Gate } from './gate';

export interface CompileResult {
  rules: CompiledRule[];
  unsupported: SigmaUnsupported[];
}

class CompileError extends Error {
  constructor(readonly code: SigmaUnsupported['code'], message: string, readonly line: number) {
    super(message);
  }
}

function compileItem(item: DetectionItem, form: FieldForm): EventPredicate {
  if (item.t === 'any') {
    const parts = item.items.map((i) => compileItem(i, form));
    return (v) => parts.some((p) => p(v));
  }
  const entries = item.t === 'keywords' ? [{ field: '', modifiers: [], values: item.values, line: item.line }] : item.entries;
  const tests: EventPredicate[] = [];
  for (const e of entries) {
    const r = compileFieldTest(form, e.field, e.modifiers, e.values);
    if (!r.ok) throw new CompileError(r.code, r.message, e.line);
    tests.push(r.test);
  }
  if (tests.length === 1) return tests[0];
  if (tests.length === 2) {
    const [a, b] = tests;
    return (v) => a(v) && b(v);
  }
  return (v) => tests.every((t) => t(v));
}

function compileAst(ast: ConditionAst, ids: ReadonlyMap<string, EventPredicate>, names: readonly string[], line: number): EventPredicate {
  switch (ast.t) {
    case 'id': {
      const p = ids.get(ast.name);
      if (!p) throw new CompileError('BAD_CONDITION', `condition names "${ast.name}", which the detection does not define`, line);
      return p;
    }
    case 'not': {
      const p = compileAst(ast.item, ids, names, line);
      return (v) => !p(v);
    }
    case 'and': {
      const ps = ast.items.map((i) => compileAst(i, ids, names, line));
      return (v) => ps.every((p) => p(v));
    }
    case 'or': {
      const ps = ast.items.map((i) => compileAst(i, ids, names, line));
      return (v) => ps.some((p) => p(v));
    }
    case 'of': {
      const matched = resolvePattern(ast.pattern, names);
      if (matched.length === 0) throw new CompileError('BAD_CONDITION', `"${ast.pattern}" matches no search identifier`, line);
      const ps = matched.map((n) => ids.get(n) as EventPredicate);
      if (ast.quantity === 'all') return (v) => ps.every((p) => p(v));
      const need = ast.quantity;
      if (need === 1) return (v) => ps.some((p) => p(v));
      return (v) => {
        let n = 0;
        for (const p of ps) if (p(v) && ++n >= need) return true;
        return false;
      };
    }
  }
}

/** EventID values a detection selects (used to pick the Security events a security rule reads). */
function mentionedEventIds(src: SigmaRuleSource): number[] {
  const out: number[] = [];
  const walk = (item: DetectionItem): void => {
    if (item.t === 'any') item.items.forEach(walk);
    else if (item.t === 'map') {
      for (const e of item.entries) {
        if (e.field !== 'EventID' || e.modifiers.length) continue;
        for (const v of e.values) if (v !== null && /^[0-9]+$/.test(String(v))) out.push(Number(v));
      }
    }
  };
  for (const i of src.identifiers) walk(i.item);
  return out;
}

export function compileRule(src: SigmaRuleSource): { ok: true; rule: CompiledRule } | { ok: false; unsupported: SigmaUnsupported } {
  const base = { file: src.meta.path, ruleId: src.meta.id, title: src.meta.title };
  const ls = logsourceTargets(src.logsource, mentionedEventIds(src));
  if (!ls.ok) return { ok: false, unsupported: { ...base, code: 'LOGSOURCE', line: src.meta.line, message: ls.message } };
  const form = ls.targets[0].form;
  try {
    const ids = new Map<string, EventPredicate>();
    for (const i of src.identifiers) {
      try {
        ids.set(i.name, compileItem(i.item, form));
      } catch (e) {
        if (e instanceof CompileError) throw new CompileError(e.code, `${i.name}: ${e.message}`, e.line);
        throw e;
      }
    }
    const names = src.identifiers.map((i) => i.name);
    const conds: EventPredicate[] = [];
    const idGates = new Map<string, Gate>(src.identifiers.map((i) => [i.name, itemGate(i.item)]));
    const gates: Gate[] = [];
    for (const c of src.conditions) {
      const parsed = parseCondition(c.text);
      if (!parsed.ok) throw new CompileError(parsed.error.code, parsed.error.message, c.line);
      conds.push(compileAst(parsed.ast, ids, names, c.line));
      gates.push(conditionGate(parsed.ast, idGates, names));
    }
    const match: EventPredicate = conds.length === 1 ? conds[0] : (v) => conds.some((p) => p(v));
    const rule: CompiledRule = { meta: src.meta, targets: ls.targets, match };
    // several conditions are OR: the gate holds only if every condition has one
    if (form === 'taxonomy' && gates.every((g) => g !== undefined)) rule.gate = new Set(gates.flatMap((g) => [...(g as ReadonlySet<string>)]));
    return { ok: true, rule };
  } catch (e) {
    if (!(e instanceof CompileError)) throw e;
    return { ok: false, unsupported: { ...base, code: e.code, line: e.line, message: e.message } };
  }
}

export function compileRules(sources: readonly SigmaRuleSource[]): CompileResult {
  const rules: CompiledRule[] = [];
  const unsupported: SigmaUnsupported[] = [];
  for (const s of sources) {
    const r = compileRule(s);
    if (r.ok) rules.push(r.rule);
    else unsupported.push(r.unsupported);
  }
  return { rules, unsupported };
}
