// Evaluator of the SPL subset the exporter emits (see spl-kql-evaluator.ts for the rules it models):
// search terms, `| where` with match() and ==, `| table` ignored.

import { Cursor, lower, QueryError, type Predicate } from './query-evaluator-common';

interface SplToken { kind: 'word' | 'string' | 'punct' | 'end'; text: string }

export function splDecodeString(q: string, start: number): { value: string; end: number } {
  let out = '';
  for (let i = start + 1; i < q.length; i++) {
    const c = q[i];
    if (c === '"') return { value: out, end: i + 1 };
    if (c === '\\') {
      const n = q[i + 1];
      if (n !== '\\' && n !== '"') throw new QueryError('BAD_ESCAPE', `\\${n ?? ''} at ${i}`);
      out += n;
      i++;
      continue;
    }
    if (c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f) throw new QueryError('RAW_CONTROL_IN_STRING', `U+${c.charCodeAt(0).toString(16)} at ${i}`);
    out += c;
  }
  throw new QueryError('UNTERMINATED_STRING', `from ${start}`);
}

function splTokens(text: string, puncts: readonly string[]): SplToken[] {
  const out: SplToken[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (/\s/.test(c)) { i++; continue; }
    if (c === '"') {
      const s = splDecodeString(text, i);
      out.push({ kind: 'string', text: s.value });
      i = s.end;
      continue;
    }
    const p = puncts.find((x) => text.startsWith(x, i));
    if (p) { out.push({ kind: 'punct', text: p }); i += p.length; continue; }
    let j = i;
    while (j < text.length && !/\s/.test(text[j]) && text[j] !== '"' && !puncts.some((x) => text.startsWith(x, j))) j++;
    out.push({ kind: 'word', text: text.slice(i, j) });
    i = j;
  }
  out.push({ kind: 'end', text: '' });
  return out;
}

/** Split at pipes outside quoted strings. */
function splCommands(q: string): string[] {
  const out: string[] = [];
  let cur = '';
  for (let i = 0; i < q.length; i++) {
    const c = q[i];
    if (c === '"') {
      const s = splDecodeString(q, i);
      cur += q.slice(i, s.end);
      i = s.end - 1;
    } else if (c === '|') {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  out.push(cur);
  return out;
}

/** Splunk's search value: `*` a wildcard, the rest literal, case-blind. */
function wildcardMatch(pattern: string, value: string): boolean {
  const parts = lower(pattern).split('*');
  const v = lower(value);
  if (parts.length === 1) return v === parts[0];
  if (!v.startsWith(parts[0])) return false;
  let at = parts[0].length;
  for (let k = 1; k < parts.length - 1; k++) {
    const f = v.indexOf(parts[k], at);
    if (f < 0) return false;
    at = f + parts[k].length;
  }
  const last = parts[parts.length - 1];
  return v.length - last.length >= at && v.endsWith(last);
}

function parseSearch(c: Cursor<SplToken>): Predicate {
  const or = (): Predicate => {
    const xs = [and()];
    while (c.is('OR', 'word')) { c.next(); xs.push(and()); }
    return (r) => xs.some((x) => x(r));
  };
  const and = (): Predicate => {
    const xs = [not()];
    for (;;) {
      const t = c.peek();
      if (t.kind === 'end' || (t.kind === 'punct' && t.text === ')') || (t.kind === 'word' && t.text === 'OR')) break;
      if (t.kind === 'word' && t.text === 'AND') c.next();
      xs.push(not());
    }
    return (r) => xs.every((x) => x(r));
  };
  const not = (): Predicate => {
    if (c.is('NOT', 'word')) { c.next(); const x = not(); return (r) => !x(r); }
    if (c.is('(', 'punct')) { c.next(); const x = or(); c.expect(')'); return x; }
    const field = c.take('word').text;
    const value = (): string => { const t = c.next(); if (t.kind !== 'word' && t.kind !== 'string') throw new QueryError('UNEXPECTED_TOKEN', `value expected after ${field}`); return t.text; };
    if (c.is('IN', 'word')) {
      c.next();
      c.expect('(');
      const vs = [value()];
      while (c.is(',', 'punct')) { c.next(); vs.push(value()); }
      c.expect(')');
      return (r) => r[field] !== undefined && vs.some((v) => wildcardMatch(v, r[field]));
    }
    c.expect('=');
    const v = value();
    return (r) => r[field] !== undefined && wildcardMatch(v, r[field]);
  };
  const p = or();
  if (c.peek().kind !== 'end') throw new QueryError('UNEXPECTED_TOKEN', `trailing ${JSON.stringify(c.peek().text)}`);
  return p;
}

/** The literal PCRE subset: what it matches, how it is anchored, whether case-blind. */
export function literalRegex(re: string): { literal: string; start: boolean; end: boolean; caseless: boolean } {
  let i = 0;
  let caseless = false;
  if (re.startsWith('(?i)')) { caseless = true; i = 4; }
  let start = false;
  let end = false;
  let literal = '';
  if (re.startsWith('\\A', i)) { start = true; i += 2; }
  while (i < re.length) {
    const ch = re[i];
    if (ch === '\\') {
      const n = re[i + 1] ?? '';
      if (n === 'z' && i + 2 === re.length) { end = true; i += 2; continue; }
      if (n === 'x' && /^[0-9a-fA-F]{2}$/.test(re.slice(i + 2, i + 4))) { literal += String.fromCharCode(parseInt(re.slice(i + 2, i + 4), 16)); i += 4; continue; }
      if (/^[!-/:-@[-`{-~]$/.test(n)) { literal += n; i += 2; continue; }
      throw new QueryError('REGEX_NOT_LITERAL', `\\${n} at ${i}`);
    }
    if ('.^$*+?()[]{}|'.includes(ch)) throw new QueryError('REGEX_NOT_LITERAL', `unescaped ${ch} at ${i}`);
    literal += ch;
    i++;
  }
  return { literal, start, end, caseless };
}

function regexPredicate(field: string, re: string): Predicate {
  const m = literalRegex(re);
  return (r) => {
    const raw = r[field];
    if (raw === undefined) return false;
    const v = m.caseless ? lower(raw) : raw;
    const l = m.caseless ? lower(m.literal) : m.literal;
    if (m.start && m.end) return v === l;
    if (m.start) return v.startsWith(l);
    if (m.end) return v.endsWith(l);
    return v.includes(l);
  };
}

function parseWhere(c: Cursor<SplToken>): Predicate {
  const or = (): Predicate => {
    const xs = [and()];
    while (c.is('OR', 'word')) { c.next(); xs.push(and()); }
    return (r) => xs.some((x) => x(r));
  };
  const and = (): Predicate => {
    const xs = [not()];
    while (c.is('AND', 'word')) { c.next(); xs.push(not()); }
    return (r) => xs.every((x) => x(r));
  };
  const not = (): Predicate => {
    if (c.is('NOT', 'word')) { c.next(); const x = not(); return (r) => !x(r); }
    if (c.is('(', 'punct')) { c.next(); const x = or(); c.expect(')'); return x; }
    const w = c.take('word').text;
    if (w === 'match') {
      c.expect('(');
      const field = c.take('word').text;
      c.expect(',');
      const re = c.take('string').text;
      c.expect(')');
      return regexPredicate(field, re);
    }
    c.expect('==');
    const lit = c.take('string').text;
    return (r) => r[w] === lit;
  };
  const p = or();
  if (c.peek().kind !== 'end') throw new QueryError('UNEXPECTED_TOKEN', `trailing ${JSON.stringify(c.peek().text)}`);
  return p;
}

/** Compile an SPL query of the emitted subset into a predicate on event records. */
export function compileSpl(query: string): Predicate {
  if (query.includes('`')) throw new QueryError('BACKTICK', 'a backtick in the query');
  if (query.includes('$')) throw new QueryError('DOLLAR', 'a $ in the query');
  const [first, ...rest] = splCommands(query);
  const preds = [parseSearch(new Cursor(splTokens(first, ['(', ')', ',', '='])))];
  for (const cmd of rest) {
    const m = /^\s*(\w+)\s*([\s\S]*)$/.exec(cmd);
    const name = m?.[1] ?? '';
    if (name === 'table') continue;
    if (name !== 'where') throw new QueryError('UNSUPPORTED_COMMAND', name || cmd);
    preds.push(parseWhere(new Cursor(splTokens(m?.[2] ?? '', ['(', ')', ',', '==']))));
  }
  return (r) => preds.every((p) => p(r));
}
