// The Sigma condition grammar: identifiers, `and`, `or`, `not`, parentheses, and quantifiers
// `1 of X*` / `all of X*` / `N of ...` over identifier patterns or `them`. Precedence, least to most
// binding: or, and, not, `x of`, parentheses. Aggregations (`| count() ...`) and `near` are
// recognised and reported, never half-evaluated.

export type ConditionAst =
  | { t: 'id'; name: string }
  | { t: 'and'; items: ConditionAst[] }
  | { t: 'or'; items: ConditionAst[] }
  | { t: 'not'; item: ConditionAst }
  /** quantity: 'all' or at least N. pattern: an identifier glob or 'them'. */
  | { t: 'of'; quantity: 'all' | number; pattern: string };

export type ConditionError = { code: 'AGGREGATION' | 'NEAR' | 'BAD_CONDITION'; message: string };
export type ConditionParse = { ok: true; ast: ConditionAst } | { ok: false; error: ConditionError };

type Token = { t: '(' | ')' } | { t: 'word'; v: string };

function tokenize(s: string): Token[] | ConditionError {
  const out: Token[] = [];
  let i = 0;
  while (i < s.length) {
    const c = s[i];
    if (/\s/.test(c)) {
      i++;
    } else if (c === '(' || c === ')') {
      out.push({ t: c });
      i++;
    } else if (c === '|') {
      return { code: 'AGGREGATION', message: `aggregation "${s.slice(i).trim()}" is not supported` };
    } else {
      const m = /^[^\s()|]+/.exec(s.slice(i));
      if (!m) return { code: 'BAD_CONDITION', message: `unexpected character "${c}"` };
      out.push({ t: 'word', v: m[0] });
      i += m[0].length;
    }
  }
  return out;
}

const KEYWORDS = new Set(['and', 'or', 'not', 'of']);

class Parser {
  private i = 0;
  constructor(private readonly toks: Token[]) {}

  private peekWord(): string | undefined {
    const t = this.toks[this.i];
    return t?.t === 'word' ? t.v.toLowerCase() : undefined;
  }

  parse(): ConditionAst {
    const ast = this.or();
    if (this.i < this.toks.length) throw new SyntaxError(`unexpected "${this.describe(this.toks[this.i])}"`);
    return ast;
  }

  private describe(t: Token): string {
    return t.t === 'word' ? t.v : t.t;
  }

  private or(): ConditionAst {
    const items = [this.and()];
    while (this.peekWord() === 'or') {
      this.i++;
      items.push(this.and());
    }
    return items.length === 1 ? items[0] : { t: 'or', items };
  }

  private and(): ConditionAst {
    const items = [this.not()];
    while (this.peekWord() === 'and') {
      this.i++;
      items.push(this.not());
    }
    return items.length === 1 ? items[0] : { t: 'and', items };
  }

  private not(): ConditionAst {
    if (this.peekWord() === 'not') {
      this.i++;
      return { t: 'not', item: this.not() };
    }
    return this.primary();
  }

  private primary(): ConditionAst {
    const t = this.toks[this.i];
    if (!t) throw new SyntaxError('condition ends too early');
    if (t.t === '(') {
      this.i++;
      const inner = this.or();
      if (this.toks[this.i]?.t !== ')') throw new SyntaxError('missing ")"');
      this.i++;
      return inner;
    }
    if (t.t !== 'word') throw new SyntaxError('unexpected ")"');
    const w = t.v.toLowerCase();
    const next = this.toks[this.i + 1];
    if (next?.t === 'word' && next.v.toLowerCase() === 'of') {
      let quantity: 'all' | number;
      if (w === 'all') quantity = 'all';
      else if (w === 'any') quantity = 1;
      else if (/^[0-9]+$/.test(w) && Number(w) > 0) quantity = Number(w);
      else throw new SyntaxError(`"${t.v} of": expected 1, N or all before "of"`);
      const target = this.toks[this.i + 2];
      if (target?.t !== 'word' || KEYWORDS.has(target.v.toLowerCase())) throw new SyntaxError(`"${t.v} of" needs an identifier pattern or "them"`);
      this.i += 3;
      return { t: 'of', quantity, pattern: target.v.toLowerCase() === 'them' ? 'them' : target.v };
    }
    if (KEYWORDS.has(w)) throw new SyntaxError(`unexpected "${t.v}"`);
    this.i++;
    return { t: 'id', name: t.v };
  }
}

export function parseCondition(text: string): ConditionParse {
  const toks = tokenize(text);
  if (!Array.isArray(toks)) return { ok: false, error: toks };
  if (toks.some((t) => t.t === 'word' && t.v.toLowerCase() === 'near')) {
    return { ok: false, error: { code: 'NEAR', message: '"near" is not supported' } };
  }
  if (toks.length === 0) return { ok: false, error: { code: 'BAD_CONDITION', message: 'empty condition' } };
  try {
    return { ok: true, ast: new Parser(toks).parse() };
  } catch (e) {
    if (e instanceof SyntaxError) return { ok: false, error: { code: 'BAD_CONDITION', message: e.message } };
    throw e;
  }
}

/** The identifiers an `of` pattern names (`them`: all not starting with `_`), in rule order. */
export function resolvePattern(pattern: string, identifiers: readonly string[]): string[] {
  if (pattern === 'them') return identifiers.filter((n) => !n.startsWith('_'));
  const re = new RegExp('^' + pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*') + '$');
  return identifiers.filter((n) => re.test(n));
}
