// A small evaluator of the SPL and KQL subset the exporters emit (shared/export/siem-queries.ts),
// so tests can run a generated hunt against an event record instead of comparing query text.
// It follows the languages' documented rules and is strict where they are unclear, so that a query
// relying on an unclear rule fails here instead of passing by luck:
//
// SPL `search`: boolean terms (OR / AND / implicit AND / NOT / parentheses), `field=value` and
// `field IN (v, ...)`. A value is a wildcard pattern: `*` matches any run of characters, quoted or
// not (Splunk has no escape for it); values compare case-blind. In a quoted string only `\\` and
// `\"` are escapes (any other backslash sequence is refused) and a raw control character is refused.
// `| where` takes eval expressions: OR / AND / NOT, parentheses, `match(field, "regex")` and
// `field=="literal"` (case-sensitive). Eval strings also escape only `\\` and `\"`. The regex must be
// literal PCRE: an optional leading (?i), \A and \z anchors, \xHH, a backslash before ASCII
// punctuation, plain characters; any unescaped metacharacter is refused. `| table` is ignored.
// A backtick anywhere is refused (``` opens a comment; Splunk's docs do not exempt quoted strings)
// and so is `$` (a dashboard token).
//
// KQL: `Table | where expr | project ...`, expr over or / and / not(...), parentheses, `==`, `=~`,
// `!=`, `contains`, `endswith`, `startswith`, `in~ (...)`, `in (...)`. Strings follow the Kusto
// lexer (Kusto.Language LexicalGrammar): "..." / '...' with the escapes \' \" \\ \a \b \f \n \r
// \t \v \uXXXX \UXXXXXXXX \xHH and octal; verbatim @"..." / @'...' with the quote doubled; a raw CR
// or LF in any of them is refused. `//` comments run to a line break (CR, LF, U+2028, U+2029).
//
// Errors are QueryError values with a closed set of codes.

export type EventRecord = Readonly<Record<string, string>>;

export type QueryErrorCode =
  | 'RAW_CONTROL_IN_STRING' | 'UNTERMINATED_STRING' | 'BAD_ESCAPE' | 'BACKTICK' | 'DOLLAR'
  | 'REGEX_NOT_LITERAL' | 'UNEXPECTED_TOKEN' | 'UNSUPPORTED_COMMAND';

export class QueryError extends Error {
  constructor(readonly code: QueryErrorCode, message: string) {
    super(`${code}: ${message}`);
  }
}

type Predicate = (r: EventRecord) => boolean;

const lower = (s: string) => s.toLowerCase();

// ---------------------------------------------------------------------------------------------
// SPL

interface SplToken { kind: 'word' | 'string' | 'punct' | 'end'; text: string }

function splDecodeString(q: string, start: number): { value: string; end: number } {
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

class Cursor<T extends { kind: string; text: string }> {
  private i = 0;
  constructor(private readonly toks: readonly T[]) {}
  peek(): T { return this.toks[this.i]; }
  next(): T { return this.toks[this.i++]; }
  is(text: string, kind?: string): boolean { const t = this.peek(); return t.text === text && (kind === undefined || t.kind === kind); }
  expect(text: string): T {
    const t = this.next();
    if (t.text !== text || t.kind === 'string') throw new QueryError('UNEXPECTED_TOKEN', `expected ${text}, got ${t.kind} ${JSON.stringify(t.text)}`);
    return t;
  }
  take(kind: string): T {
    const t = this.next();
    if (t.kind !== kind) throw new QueryError('UNEXPECTED_TOKEN', `expected a ${kind}, got ${t.kind} ${JSON.stringify(t.text)}`);
    return t;
  }
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

// ---------------------------------------------------------------------------------------------
// KQL

interface KqlToken { kind: 'ident' | 'string' | 'punct' | 'end'; text: string }

const KQL_LINE_BREAK = /[\r\n\u2028\u2029]/;

function kqlDecodeString(q: string, start: number): { value: string; end: number } {
  let i = start;
  if (q[i] === 'h' || q[i] === 'H') i++;
  const verbatim = q[i] === '@';
  if (verbatim) i++;
  const quote = q[i];
  let out = '';
  for (i++; i < q.length; i++) {
    const c = q[i];
    if (c === '\r' || c === '\n') throw new QueryError('RAW_CONTROL_IN_STRING', `raw line break at ${i}`);
    if (c === quote) {
      if (verbatim && q[i + 1] === quote) { out += quote; i++; continue; }
      return { value: out, end: i + 1 };
    }
    if (!verbatim && c === '\\') {
      const n = q[i + 1] ?? '';
      const simple: Record<string, string> = { "'": "'", '"': '"', '\\': '\\', a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v' };
      if (n in simple) { out += simple[n]; i++; continue; }
      const hex = (len: number) => {
        const h = q.slice(i + 2, i + 2 + len);
        if (!new RegExp(`^[0-9a-fA-F]{${len}}$`).test(h)) throw new QueryError('BAD_ESCAPE', `\\${n}${h} at ${i}`);
        out += String.fromCodePoint(parseInt(h, 16));
        i += 1 + len;
      };
      if (n === 'u') { hex(4); continue; }
      if (n === 'U') { hex(8); continue; }
      if (n === 'x') { hex(2); continue; }
      const oct = /^([0-3][0-7][0-7]|[0-7][0-7]?)/.exec(q.slice(i + 1));
      if (oct) { out += String.fromCharCode(parseInt(oct[1], 8)); i += oct[1].length; continue; }
      throw new QueryError('BAD_ESCAPE', `\\${n} at ${i}`);
    }
    out += c;
  }
  throw new QueryError('UNTERMINATED_STRING', `from ${start}`);
}

const KQL_PUNCTS = ['==', '=~', '!=', '!~', 'in~', '|', '(', ')', ','];

function kqlTokens(q: string): KqlToken[] {
  const out: KqlToken[] = [];
  let i = 0;
  while (i < q.length) {
    const c = q[i];
    if (/\s/.test(c)) { i++; continue; }
    if (q.startsWith('//', i)) { while (i < q.length && !KQL_LINE_BREAK.test(q[i])) i++; continue; }
    if (c === '"' || c === "'" || (c === '@' && (q[i + 1] === '"' || q[i + 1] === "'"))) {
      const s = kqlDecodeString(q, i);
      out.push({ kind: 'string', text: s.value });
      i = s.end;
      continue;
    }
    const p = KQL_PUNCTS.find((x) => q.startsWith(x, i) && !(x === 'in~' && /\w/.test(q[i - 1] ?? '')));
    if (p) { out.push({ kind: 'punct', text: p }); i += p.length; continue; }
    const m = /^[A-Za-z_$][A-Za-z0-9_]*/.exec(q.slice(i));
    if (!m) throw new QueryError('UNEXPECTED_TOKEN', `character ${JSON.stringify(c)} at ${i}`);
    out.push({ kind: 'ident', text: m[0] });
    i += m[0].length;
  }
  out.push({ kind: 'end', text: '' });
  return out;
}

function parseKqlExpr(c: Cursor<KqlToken>): Predicate {
  const or = (): Predicate => {
    const xs = [and()];
    while (c.is('or', 'ident')) { c.next(); xs.push(and()); }
    return (r) => xs.some((x) => x(r));
  };
  const and = (): Predicate => {
    const xs = [unary()];
    while (c.is('and', 'ident')) { c.next(); xs.push(unary()); }
    return (r) => xs.every((x) => x(r));
  };
  const unary = (): Predicate => {
    if (c.is('not', 'ident')) { c.next(); c.expect('('); const x = or(); c.expect(')'); return (r) => !x(r); }
    if (c.is('(', 'punct')) { c.next(); const x = or(); c.expect(')'); return x; }
    const field = c.take('ident').text;
    const op = c.next();
    const get = (r: EventRecord) => r[field];
    const list = (): string[] => {
      c.expect('(');
      const vs = [c.take('string').text];
      while (c.is(',', 'punct')) { c.next(); vs.push(c.take('string').text); }
      c.expect(')');
      return vs;
    };
    const withValue = (f: (v: string) => boolean): Predicate => (r) => { const v = get(r); return v !== undefined && f(v); };
    switch (op.text) {
      case 'in~': { const vs = list().map(lower); return withValue((v) => vs.includes(lower(v))); }
      case 'in': { const vs = list(); return withValue((v) => vs.includes(v)); }
    }
    const lit = c.take('string').text;
    switch (op.text) {
      case '==': return withValue((v) => v === lit);
      case '!=': return withValue((v) => v !== lit);
      case '=~': return withValue((v) => lower(v) === lower(lit));
      case 'contains': return withValue((v) => lower(v).includes(lower(lit)));
      case 'endswith': return withValue((v) => lower(v).endsWith(lower(lit)));
      case 'startswith': return withValue((v) => lower(v).startsWith(lower(lit)));
      default: throw new QueryError('UNEXPECTED_TOKEN', `operator ${JSON.stringify(op.text)}`);
    }
  };
  return or();
}

/** Compile a KQL query of the emitted subset into a predicate on (table, record). */
export function compileKql(query: string): (table: string, r: EventRecord) => boolean {
  const c = new Cursor(kqlTokens(query));
  const table = c.take('ident').text;
  const preds: Predicate[] = [];
  while (c.peek().kind !== 'end') {
    c.expect('|');
    const op = c.take('ident').text;
    if (op === 'where') preds.push(parseKqlExpr(c));
    else if (op === 'project') {
      c.take('ident');
      while (c.is(',', 'punct')) { c.next(); c.take('ident'); }
    } else throw new QueryError('UNSUPPORTED_COMMAND', op);
  }
  return (t, r) => t === table && preds.every((p) => p(r));
}

// ---------------------------------------------------------------------------------------------
// Query files

/**
 * The comments of a query file and the file with them cut out, read the way each language's
 * lexer reads it: KQL `//` to a line break, SPL ``` to ```, neither inside a quoted string.
 */
export function splitComments(text: string, language: 'spl' | 'kql'): { comments: string[]; rest: string } {
  const comments: string[] = [];
  let rest = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (language === 'kql' && text.startsWith('//', i)) {
      let j = i + 2;
      while (j < text.length && !KQL_LINE_BREAK.test(text[j])) j++;
      comments.push(text.slice(i + 2, j));
      i = j;
    } else if (language === 'spl' && text.startsWith('```', i)) {
      const j = text.indexOf('```', i + 3);
      if (j < 0) throw new QueryError('UNTERMINATED_STRING', `comment from ${i}`);
      comments.push(text.slice(i + 3, j));
      i = j + 3;
    } else if (c === '"' || (language === 'kql' && (c === "'" || (c === '@' && (text[i + 1] === '"' || text[i + 1] === "'"))))) {
      const end = language === 'kql' ? kqlDecodeString(text, i).end : splDecodeString(text, i).end;
      rest += text.slice(i, end);
      i = end;
    } else {
      rest += c;
      i++;
    }
  }
  return { comments, rest };
}
