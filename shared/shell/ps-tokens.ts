// PowerShell tokenizer: one pass, hand-written (no regex over the input), so time is linear in the
// text whatever it holds. Strings are resolved here: '...' with '' escapes, "..." and here-strings
// with backtick escapes and their $variables and $( ) subexpressions as parts (the subexpression
// tokenized in the same pass). Barewords are kept whole (HKCU:\Software\...\Run, calc.exe, /c),
// backtick escapes removed; whether a bareword is a command, an argument or a number is the
// parser's business. Unicode quotes and dashes are read as PowerShell reads them.
// Damage: an unclosed string or subexpression runs to the end of the text; nesting of
// subexpressions inside strings deeper than MAX_DEPTH is kept as literal text. Never throws.

export type StrPart = string | { var: string } | { sub: Token[] };

export type Token =
  | { k: 'word'; v: string; at: number; sp: boolean }
  | { k: 'str'; v: string; at: number; sp: boolean }
  | { k: 'xstr'; parts: StrPart[]; at: number; sp: boolean }
  | { k: 'var'; v: string; at: number; sp: boolean }
  | { k: 'splat'; v: string; at: number; sp: boolean }
  | { k: 'param'; v: string; colon: boolean; at: number; sp: boolean }
  | { k: 'type'; v: string; at: number; sp: boolean }
  | { k: 'op'; v: string; at: number; sp: boolean };

const MAX_DEPTH = 32;

const SQ = new Set(["'", '\u2018', '\u2019', '\u201A', '\u201B']);
const DQ = new Set(['"', '\u201C', '\u201D', '\u201E']);
const DASH = new Set(['-', '\u2013', '\u2014', '\u2015']);
/** Characters that end a bareword. */
const WORD_END = new Set([' ', '\t', '\r', '\n', ';', '|', '&', '(', ')', '{', '}', ',', '\f', '\v', '\u00A0']);

const isNameChar = (c: string) => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c === '_' || c === '?' || c > '\u007f';
const isLetter = (c: string) => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_' || c === '?' || (c > '\u007f' && !DASH.has(c));

function backtickChar(c: string): string {
  switch (c) {
    case '0': return '\0';
    case 'a': return '\x07';
    case 'b': return '\b';
    case 'f': return '\f';
    case 'n': return '\n';
    case 'r': return '\r';
    case 't': return '\t';
    case 'v': return '\v';
    default: return c;
  }
}

class Scanner {
  i = 0;
  constructor(readonly s: string) {}

  /** Tokens until the end, or until an unmatched ')' when `untilParen` (the ')' is consumed). */
  tokens(untilParen: boolean, depth: number): Token[] {
    const s = this.s;
    const out: Token[] = [];
    let parens = 0;
    let sp = true;
    while (this.i < s.length) {
      const c = s[this.i];
      const at = this.i;
      if (c === ' ' || c === '\t' || c === '\f' || c === '\v' || c === '\u00A0' || c === '\uFEFF') {
        this.i++;
        sp = true;
        continue;
      }
      if (c === '`' && (s[this.i + 1] === '\n' || s[this.i + 1] === '\r')) {
        // line continuation
        this.i += s[this.i + 1] === '\r' && s[this.i + 2] === '\n' ? 3 : 2;
        sp = true;
        continue;
      }
      if (c === '#' && sp) {
        while (this.i < s.length && s[this.i] !== '\n') this.i++;
        continue;
      }
      if (c === '<' && s[this.i + 1] === '#') {
        const end = s.indexOf('#>', this.i + 2);
        this.i = end < 0 ? s.length : end + 2;
        sp = true;
        continue;
      }
      if (c === '\r' || c === '\n' || c === ';') {
        this.i++;
        if (out.length === 0 || out[out.length - 1].k !== 'op' || (out[out.length - 1] as { v: string }).v !== 'nl') out.push({ k: 'op', v: 'nl', at, sp });
        sp = true;
        continue;
      }
      if (untilParen && c === ')' && parens === 0) {
        this.i++;
        return out;
      }
      out.push(this.token(depth, sp));
      const last = out[out.length - 1];
      if (last.k === 'op') {
        if (last.v === '(' || last.v === '$(' || last.v === '@(') parens++;
        else if (last.v === ')') parens--;
      }
      sp = false;
    }
    return out;
  }

  private token(depth: number, sp: boolean): Token {
    const s = this.s;
    const at = this.i;
    const c = s[at];
    const n1 = s[at + 1] ?? '';
    if (SQ.has(c)) return { k: 'str', v: this.single(), at, sp };
    if (DQ.has(c)) return { k: 'xstr', parts: this.double(depth, false), at, sp };
    if (c === '@') {
      if ((DQ.has(n1) || SQ.has(n1)) && this.hereStart(at + 2)) {
        const single = SQ.has(n1);
        this.i = at + 2;
        return single ? { k: 'str', v: this.hereSingle(), at, sp } : { k: 'xstr', parts: this.double(depth, true), at, sp };
      }
      if (n1 === '(' || n1 === '{') {
        this.i += 2;
        return { k: 'op', v: '@' + n1, at, sp };
      }
      if (isNameChar(n1)) {
        this.i++;
        return { k: 'splat', v: this.name(), at, sp };
      }
    }
    if (c === '$') {
      if (n1 === '(') {
        this.i += 2;
        return { k: 'op', v: '$(', at, sp };
      }
      const v = this.variable();
      if (v !== undefined) return { k: 'var', v, at, sp };
    }
    if (DASH.has(c) && isLetter(n1) && (sp || at === 0)) {
      this.i++;
      let name = '';
      while (this.i < s.length && isNameChar(s[this.i])) name += s[this.i++];
      const colon = s[this.i] === ':';
      if (colon) this.i++;
      return { k: 'param', v: name.toLowerCase(), colon, at, sp };
    }
    if (c === '[' && !this.indexable(sp)) {
      const t = this.typeName();
      if (t !== undefined) return { k: 'type', v: t, at, sp };
    }
    if (c === ':' && n1 === ':') {
      this.i += 2;
      return { k: 'op', v: '::', at, sp };
    }
    if (c === '&' && n1 === '&') {
      this.i += 2;
      return { k: 'op', v: '&&', at, sp };
    }
    if (c === '|' && n1 === '|') {
      this.i += 2;
      return { k: 'op', v: '||', at, sp };
    }
    if ((c === '+' || c === '-') && n1 === '=') {
      this.i += 2;
      return { k: 'op', v: c + '=', at, sp };
    }
    if (c === '.' && !sp && isLetter(n1)) {
      this.i++;
      return { k: 'op', v: '.', at, sp };
    }
    if ('(){}[],|&=!+'.includes(c) || (DASH.has(c) && (sp || at === 0) && !(n1 >= '0' && n1 <= '9') && n1 !== '-' && n1 !== '%')) {
      this.i++;
      return { k: 'op', v: DASH.has(c) ? '-' : c, at, sp };
    }
    return { k: 'word', v: this.word(), at, sp };
  }

  /** `[` right after a value (no blank) indexes it: $a[0], (x)[1]. */
  private indexable(sp: boolean): boolean {
    if (sp) return false;
    const p = this.s[this.i - 1];
    return p === ')' || p === ']' || isNameChar(p) || p === "'" || p === '"';
  }

  private typeName(): string | undefined {
    const s = this.s;
    let j = this.i + 1;
    let depth = 1;
    let name = '';
    while (j < s.length && j - this.i < 256) {
      const c = s[j];
      if (c === '[') depth++;
      else if (c === ']' && --depth === 0) break;
      else if (!(isNameChar(c) || c === '.' || c === ',' || c === ' ' || c === '`')) return undefined;
      name += c;
      j++;
    }
    if (s[j] !== ']' || !name.trim() || !isLetter(name.trim()[0])) return undefined;
    this.i = j + 1;
    return name.replace(/\s+/g, '').toLowerCase();
  }

  private name(): string {
    let v = '';
    while (this.i < this.s.length && isNameChar(this.s[this.i])) v += this.s[this.i++];
    return v;
  }

  /** $name, $env:name, $script:name, ${any name}, $$, $?, $_ ; undefined for a lone $. */
  private variable(): string | undefined {
    const s = this.s;
    const start = this.i;
    this.i++;
    if (s[this.i] === '{') {
      const end = s.indexOf('}', this.i);
      const v = s.slice(this.i + 1, end < 0 ? s.length : end);
      this.i = end < 0 ? s.length : end + 1;
      return v.toLowerCase();
    }
    if (s[this.i] === '$' || s[this.i] === '^') return s[this.i++];
    let v = this.name();
    if (v && s[this.i] === ':' && isNameChar(s[this.i + 1] ?? '')) {
      this.i++;
      v += ':' + this.name();
    }
    if (!v) {
      this.i = start;
      return undefined;
    }
    return v.toLowerCase();
  }

  private word(): string {
    const s = this.s;
    let v = '';
    while (this.i < s.length) {
      const c = s[this.i];
      if (WORD_END.has(c) || SQ.has(c) || DQ.has(c)) break;
      if (c === '`') {
        if (this.i + 1 >= s.length) {
          this.i++;
          break;
        }
        const n = s[this.i + 1];
        if (n === '\n' || n === '\r') break;
        v += backtickChar(n);
        this.i += 2;
        continue;
      }
      // $ inside a bareword starts an expandable part (the parser joins the pieces)
      if (c === '$' && v !== '' && (isNameChar(s[this.i + 1] ?? '') || s[this.i + 1] === '{' || s[this.i + 1] === '(')) break;
      if (c === '=' && v !== '' && this.s[this.i + 1] !== '=') break;
      v += c;
      this.i++;
    }
    if (v === '' && this.i < s.length) v = s[this.i++]; // a lone special character: progress, always
    return v;
  }

  private single(): string {
    const s = this.s;
    let v = '';
    this.i++;
    while (this.i < s.length) {
      const c = s[this.i];
      if (SQ.has(c)) {
        if (SQ.has(s[this.i + 1] ?? '')) {
          v += "'";
          this.i += 2;
          continue;
        }
        this.i++;
        return v;
      }
      v += c;
      this.i++;
    }
    return v;
  }

  private hereStart(j: number): boolean {
    while (j < this.s.length && (this.s[j] === ' ' || this.s[j] === '\t')) j++;
    return this.s[j] === '\n' || (this.s[j] === '\r' && this.s[j + 1] === '\n');
  }

  private hereSingle(): string {
    const s = this.s;
    const start = s.indexOf('\n', this.i) + 1;
    let j = start;
    for (;;) {
      const nl = s.indexOf('\n', j);
      if (nl < 0) {
        this.i = s.length;
        return s.slice(start);
      }
      if (SQ.has(s[nl + 1] ?? '') && s[nl + 2] === '@') {
        this.i = nl + 3;
        return s.slice(start, nl > start && s[nl - 1] === '\r' ? nl - 1 : nl);
      }
      j = nl + 1;
    }
  }

  /** A "..." string or @"..."@ here-string: literal text, $variables and $( ) subexpressions. */
  private double(depth: number, here: boolean): StrPart[] {
    const s = this.s;
    const parts: StrPart[] = [];
    let lit = '';
    if (here) this.i = s.indexOf('\n', this.i) + 1;
    else this.i++;
    const push = (p: StrPart) => {
      if (lit) parts.push(lit);
      lit = '';
      parts.push(p);
    };
    while (this.i < s.length) {
      const c = s[this.i];
      if (here) {
        if (c === '\n' && DQ.has(s[this.i + 1] ?? '') && s[this.i + 2] === '@') {
          if (lit.endsWith('\r')) lit = lit.slice(0, -1);
          this.i += 3;
          break;
        }
      } else if (DQ.has(c)) {
        if (DQ.has(s[this.i + 1] ?? '')) {
          lit += '"';
          this.i += 2;
          continue;
        }
        this.i++;
        break;
      }
      if (c === '`' && this.i + 1 < s.length) {
        lit += backtickChar(s[this.i + 1]);
        this.i += 2;
        continue;
      }
      if (c === '$') {
        if (s[this.i + 1] === '(') {
          this.i += 2;
          if (depth >= MAX_DEPTH) {
            push({ sub: [{ k: 'word', v: this.skipParens(), at: this.i, sp: true }] });
          } else {
            push({ sub: this.tokens(true, depth + 1) });
          }
          continue;
        }
        const save = this.i;
        const v = this.variable();
        if (v !== undefined) {
          push({ var: v });
          continue;
        }
        this.i = save;
      }
      lit += c;
      this.i++;
    }
    if (lit) parts.push(lit);
    return parts;
  }

  /** Past a subexpression too deep to tokenize, counting parentheses only: linear, inexact, bounded. */
  private skipParens(): string {
    const s = this.s;
    const start = this.i;
    let d = 1;
    while (this.i < s.length && d > 0) {
      if (s[this.i] === '(') d++;
      else if (s[this.i] === ')') d--;
      this.i++;
    }
    return s.slice(start, Math.max(start, this.i - 1));
  }
}

export function tokenize(script: string): Token[] {
  return new Scanner(script).tokens(false, 0);
}
