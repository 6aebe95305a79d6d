// Evaluator of the KQL subset the exporter emits (see spl-kql-evaluator.ts for the rules it models):
// `Table | where ... | project ...` with strings read as the Kusto lexer reads them.

import { Cursor, lower, QueryError, type EventRecord, type Predicate } from './query-evaluator-common';

interface KqlToken { kind: 'ident' | 'string' | 'punct' | 'end'; text: string }

export const KQL_LINE_BREAK = /[\r\n\u2028\u2029]/;

export function kqlDecodeString(q: string, start: number): { value: string; end: number } {
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
