// PowerShell parser: tokens -> statements, pipelines, commands and expressions, one pass with no
// backtracking (an assignment is recognised after its target is parsed, the target then continuing
// as the pipeline's first expression). Commands keep their arguments raw (parameter tokens and
// values in order); binding them to a cmdlet's parameters is ps-bind's business. Control flow
// (if / foreach / try / switch ...) is kept as nested blocks: a write inside an `if` is still a
// write the script makes when the condition holds. Damage: a token that fits nowhere is skipped,
// nesting deeper than MAX_DEPTH is skipped as one unknown value; never throws, linear in tokens.

import type { StrPart, Token } from './ps-tokens';

export type XPart = string | { var: string } | { sub: Stmt[] };

export type Expr =
  | { k: 'str'; v: string }
  | { k: 'xstr'; parts: XPart[] }
  | { k: 'num'; v: number }
  | { k: 'var'; name: string }
  | { k: 'splat'; name: string }
  | { k: 'array'; items: Expr[] }
  | { k: 'hash'; entries: Array<[Expr, Expr]> }
  | { k: 'block'; body: Stmt[] }
  | { k: 'sub'; body: Stmt[] }
  | { k: 'type'; name: string }
  | { k: 'cast'; type: string; value: Expr }
  | { k: 'member'; target: Expr; name: string; static: boolean }
  | { k: 'call'; target: Expr; name: string; static: boolean; args: Expr[] }
  | { k: 'index'; target: Expr; index: Expr }
  | { k: 'binop'; op: string; left: Expr; right: Expr }
  | { k: 'unop'; op: string; value: Expr }
  | { k: 'concat'; items: Expr[] }
  | { k: 'unknown'; why: string };

export type Arg = { k: 'param'; name: string; value?: Expr } | { k: 'value'; value: Expr };

export interface Command {
  k: 'command';
  name: Expr;
  args: Arg[];
  /** `&` (call) or `.` (dot-source) before the name. */
  invoke?: '&' | '.';
}

export type Element = Command | { k: 'expr'; e: Expr };

export type Stmt =
  | { k: 'pipe'; pipe: Element[] }
  | { k: 'assign'; target: Expr; op: string; value: Element[] }
  | { k: 'function'; name: string; body: Stmt[] }
  | { k: 'block'; body: Stmt[] };

const MAX_DEPTH = 100;

const BINARY_PREC: Record<string, number> = {
  and: 1, or: 1, xor: 1,
  eq: 2, ne: 2, gt: 2, ge: 2, lt: 2, le: 2, like: 2, notlike: 2, match: 2, notmatch: 2, replace: 2, ireplace: 2, creplace: 2,
  contains: 2, notcontains: 2, in: 2, notin: 2, split: 2, join: 2, is: 2, isnot: 2, as: 2,
  ieq: 2, ine: 2, ceq: 2, cne: 2, ilike: 2, clike: 2, imatch: 2, cmatch: 2, band: 2, bor: 2, bxor: 2, shl: 2, shr: 2,
  '+': 3, '-': 3,
  f: 5,
};
const UNARY_PARAMS = new Set(['not', 'join', 'split', 'bnot']);
const OPENERS = new Set(['(', '$(', '@(', '@{', '{']);
const CLOSERS = new Set([')', '}']);
const KEYWORDS = new Set(['if', 'elseif', 'else', 'while', 'for', 'foreach', 'switch', 'do', 'try', 'catch', 'finally', 'function', 'filter', 'param', 'return', 'throw', 'exit', 'trap', 'begin', 'process', 'end', 'break', 'continue', 'until', 'data']);

function isNumeric(w: string): number | undefined {
  const m = /^(0x[0-9a-f]+|[0-9]+(?:\.[0-9]+)?)(kb|mb|gb|l)?$/i.exec(w);
  if (!m) return undefined;
  let n = m[1].toLowerCase().startsWith('0x') ? parseInt(m[1], 16) : Number(m[1]);
  const mult = m[2]?.toLowerCase();
  if (mult === 'kb') n *= 1024;
  else if (mult === 'mb') n *= 1024 ** 2;
  else if (mult === 'gb') n *= 1024 ** 3;
  return Number.isFinite(n) ? n : undefined;
}

class Parser {
  private i = 0;
  private depth = 0;
  constructor(private readonly t: Token[]) {}

  private peek(o = 0): Token | undefined {
    return this.t[this.i + o];
  }

  private isOp(tok: Token | undefined, v: string): boolean {
    return tok !== undefined && tok.k === 'op' && tok.v === v;
  }

  private atEnd(): boolean {
    return this.i >= this.t.length;
  }

  /** Statements up to an unmatched closer (left for the caller) or the end. */
  statements(): Stmt[] {
    const out: Stmt[] = [];
    while (!this.atEnd()) {
      const tok = this.t[this.i];
      if (tok.k === 'op' && (tok.v === 'nl' || tok.v === '&&' || tok.v === '||')) {
        this.i++;
        continue;
      }
      if (tok.k === 'op' && CLOSERS.has(tok.v)) break;
      const before = this.i;
      const s = this.statement();
      if (s) out.push(s);
      // always progress: a token the grammar cannot place is dropped
      if (this.i === before) this.i++;
    }
    return out;
  }

  private enter(): boolean {
    return ++this.depth <= MAX_DEPTH;
  }

  private leave(): void {
    this.depth--;
  }

  /** Past the rest of a construct too deep to parse: up to an unmatched closer or a statement end. */
  private skipDeep(): Expr {
    let d = 0;
    while (!this.atEnd()) {
      const tok = this.t[this.i];
      if (tok.k === 'op') {
        if (OPENERS.has(tok.v)) d++;
        else if (CLOSERS.has(tok.v) || tok.v === ']') {
          if (d === 0) break;
          d--;
        } else if (d === 0 && (tok.v === 'nl' || tok.v === '|' || tok.v === ',')) break;
      }
      this.i++;
    }
    return { k: 'unknown', why: 'nesting too deep' };
  }

  /** `{ statements }`: the body, or [] when there is no block here. */
  private block(): Stmt[] {
    while (this.isOp(this.peek(), 'nl')) this.i++;
    if (!this.isOp(this.peek(), '{')) return [];
    this.i++;
    if (!this.enter()) {
      this.skipDeep();
      this.leave();
      if (this.isOp(this.peek(), '}')) this.i++;
      return [];
    }
    const body = this.statements();
    this.leave();
    if (this.isOp(this.peek(), '}')) this.i++;
    return body;
  }

  /** `( statements )` after a keyword: a condition, which may assign. */
  private condition(): Stmt[] {
    if (!this.isOp(this.peek(), '(')) return [];
    this.i++;
    if (!this.enter()) {
      this.skipDeep();
      this.leave();
      if (this.isOp(this.peek(), ')')) this.i++;
      return [];
    }
    const body = this.statements();
    this.leave();
    if (this.isOp(this.peek(), ')')) this.i++;
    return body;
  }

  private statement(): Stmt | undefined {
    const tok = this.t[this.i];
    if (tok.k === 'word' && KEYWORDS.has(tok.v.toLowerCase())) {
      const kw = tok.v.toLowerCase();
      // a keyword is one only where a statement starts and not as `if.exe` or `-` argument
      const next = this.peek(1);
      if (!(kw === 'function' || kw === 'filter') || (next && next.k === 'word')) return this.keyword(kw);
    }
    return this.pipelineStatement();
  }

  private keyword(kw: string): Stmt | undefined {
    this.i++;
    const body: Stmt[] = [];
    switch (kw) {
      case 'function':
      case 'filter': {
        const name = (this.t[this.i] as { v: string }).v.toLowerCase();
        this.i++;
        if (this.isOp(this.peek(), '(')) this.condition();
        return { k: 'function', name, body: this.block() };
      }
      case 'if':
      case 'elseif':
      case 'while':
      case 'switch':
      case 'until':
        while (this.peek()?.k === 'param') this.i++; // switch -regex -file ...
        body.push(...this.condition(), ...this.block());
        return { k: 'block', body };
      case 'for':
      case 'foreach':
        body.push(...this.condition(), ...this.block());
        return { k: 'block', body };
      case 'else':
      case 'do':
      case 'try':
      case 'finally':
      case 'begin':
      case 'process':
      case 'end':
      case 'data':
        return { k: 'block', body: this.block() };
      case 'catch':
        while (this.peek()?.k === 'type' || this.isOp(this.peek(), ',')) this.i++;
        this.block(); // a handler runs only when the try failed: its writes are not the script's
        return undefined;
      case 'trap':
        if (this.peek()?.k === 'type') this.i++;
        this.block();
        return undefined;
      case 'param':
        this.condition();
        return undefined;
      case 'return':
      case 'throw':
      case 'exit':
        return this.atStatementEnd() ? undefined : this.pipelineStatement();
      default:
        return undefined; // break, continue
    }
  }

  private atStatementEnd(): boolean {
    const tok = this.peek();
    return tok === undefined || (tok.k === 'op' && (tok.v === 'nl' || CLOSERS.has(tok.v) || tok.v === '&&' || tok.v === '||'));
  }

  private pipelineStatement(): Stmt {
    const first = this.element();
    if (first.k === 'expr' && this.peek()?.k === 'op') {
      const op = (this.peek() as { v: string }).v;
      if (op === '=' || op === '+=' || op === '-=') {
        this.i++;
        while (this.isOp(this.peek(), 'nl')) this.i++;
        const nextTok = this.peek();
        // $x = if (...) {...} / foreach: the value is the block's output
        if (nextTok && nextTok.k === 'word' && KEYWORDS.has(nextTok.v.toLowerCase())) {
          const s = this.keyword(nextTok.v.toLowerCase());
          return { k: 'assign', target: first.e, op, value: [{ k: 'expr', e: { k: 'sub', body: s ? [s] : [] } }] };
        }
        return { k: 'assign', target: first.e, op, value: this.pipeline() };
      }
    }
    const rest = this.isOp(this.peek(), '|') ? (this.i++, this.pipeline()) : [];
    return { k: 'pipe', pipe: [first, ...rest] };
  }

  private pipeline(): Element[] {
    const out: Element[] = [this.element()];
    while (this.isOp(this.peek(), '|')) {
      this.i++;
      while (this.isOp(this.peek(), 'nl')) this.i++;
      if (this.atStatementEnd()) break;
      out.push(this.element());
    }
    return out;
  }

  private element(): Element {
    const tok = this.peek();
    if (tok === undefined) return { k: 'expr', e: { k: 'unknown', why: 'end of input' } };
    if (tok.k === 'word' && isNumeric(tok.v) === undefined) {
      if (tok.v === '.') {
        this.i++;
        return this.command('.');
      }
      return this.command(undefined);
    }
    if (tok.k === 'op' && tok.v === '&') {
      this.i++;
      return this.command('&');
    }
    return { k: 'expr', e: this.expression(false) };
  }

  private command(invoke: '&' | '.' | undefined): Command {
    const nameTok = this.peek();
    let name: Expr;
    if (nameTok?.k === 'word') {
      this.i++;
      name = { k: 'str', v: nameTok.v };
      // a name glued to what follows (C:\x\"a b".exe) is one name
      if (this.peek() && !this.peek()?.sp && this.startsValue(this.peek())) name = this.adjacent(name);
    } else name = this.argPrimary();
    const args: Arg[] = [];
    while (!this.atEnd()) {
      const tok = this.t[this.i];
      if (tok.k === 'op' && (tok.v === 'nl' || tok.v === '|' || tok.v === '&&' || tok.v === '||' || CLOSERS.has(tok.v))) break;
      if (tok.k === 'op' && tok.v === '&') {
        this.i++; // a trailing & runs the pipeline as a job
        continue;
      }
      if (tok.k === 'param') {
        this.i++;
        if (tok.colon) args.push({ k: 'param', name: tok.v, value: this.argValue() });
        else args.push({ k: 'param', name: tok.v });
        continue;
      }
      const before = this.i;
      args.push({ k: 'value', value: this.argValue() });
      if (this.i === before) this.i++;
    }
    return invoke ? { k: 'command', name, args, invoke } : { k: 'command', name, args };
  }

  private startsValue(tok: Token | undefined): boolean {
    if (!tok) return false;
    if (tok.k === 'word' || tok.k === 'str' || tok.k === 'xstr' || tok.k === 'var') return true;
    return tok.k === 'op' && (tok.v === '$(' || tok.v === '@(');
  }

  /** An argument: a value (pieces glued together), or several separated by commas. */
  private argValue(): Expr {
    const first = this.argPrimary();
    if (!this.isOp(this.peek(), ',')) return first;
    const items = [first];
    while (this.isOp(this.peek(), ',')) {
      this.i++;
      items.push(this.argPrimary());
    }
    return { k: 'array', items };
  }

  private adjacent(first: Expr): Expr {
    const items = [first];
    while (this.peek() && !this.peek()?.sp && this.startsValue(this.peek())) items.push(this.postfix(this.primary(true)));
    return items.length === 1 ? first : { k: 'concat', items };
  }

  private argPrimary(): Expr {
    const tok = this.peek();
    if (tok === undefined) return { k: 'unknown', why: 'end of input' };
    if (tok.k === 'word') {
      this.i++;
      return this.adjacent({ k: 'str', v: tok.v });
    }
    if (tok.k === 'type') {
      // in argument mode [x] is text unless a member follows: [Environment]::GetFolderPath(...)
      if (this.isOp(this.peek(1), '::')) return this.postfix(this.primary(false));
      this.i++;
      return { k: 'str', v: `[${tok.v}]` };
    }
    return this.adjacent(this.postfix(this.primary(true)));
  }

  expression(noComma: boolean): Expr {
    if (!this.enter()) {
      this.leave();
      return this.skipDeep();
    }
    const e = this.binary(1, noComma);
    this.leave();
    return e;
  }

  private binaryOp(): { op: string; prec: number } | undefined {
    const tok = this.peek();
    if (!tok) return undefined;
    if (tok.k === 'param' && !tok.colon && BINARY_PREC[tok.v] !== undefined) return { op: tok.v, prec: BINARY_PREC[tok.v] };
    if (tok.k === 'op' && (tok.v === '+' || tok.v === '-')) return { op: tok.v, prec: 3 };
    return undefined;
  }

  private binary(minPrec: number, noComma: boolean): Expr {
    let left = this.commaLevel(noComma);
    for (;;) {
      const op = this.binaryOp();
      if (!op || op.prec < minPrec) return left;
      this.i++;
      while (this.isOp(this.peek(), 'nl')) this.i++;
      // -f takes the comma level on its right ("{0}{1}" -f $a, $b)
      const right = op.op === 'f' ? this.commaLevel(noComma) : this.binary(op.prec + 1, noComma);
      left = { k: 'binop', op: op.op, left, right };
    }
  }

  private commaLevel(noComma: boolean): Expr {
    const first = this.unary();
    if (noComma || !this.isOp(this.peek(), ',')) return first;
    const items = [first];
    while (this.isOp(this.peek(), ',')) {
      this.i++;
      while (this.isOp(this.peek(), 'nl')) this.i++;
      items.push(this.unary());
    }
    return { k: 'array', items };
  }

  private unary(): Expr {
    const tok = this.peek();
    if (tok && ((tok.k === 'op' && (tok.v === '!' || tok.v === '-')) || (tok.k === 'param' && UNARY_PARAMS.has(tok.v)))) {
      this.i++;
      if (!this.enter()) {
        this.leave();
        return this.skipDeep();
      }
      const value = this.unary();
      this.leave();
      return { k: 'unop', op: tok.k === 'op' ? tok.v : tok.v, value };
    }
    if (tok?.k === 'type' && !this.isOp(this.peek(1), '::')) {
      this.i++;
      const next = this.peek();
      if (next && !(next.k === 'op' && (next.v === 'nl' || CLOSERS.has(next.v) || next.v === ',' || next.v === '|' || next.v === '=' || next.v === ']')) && next.k !== 'param') {
        if (!this.enter()) {
          this.leave();
          return this.skipDeep();
        }
        const value = this.unary();
        this.leave();
        return { k: 'cast', type: tok.v, value };
      }
      return { k: 'type', name: tok.v };
    }
    return this.postfix(this.primary(false));
  }

  private primary(argMode: boolean): Expr {
    const tok = this.peek();
    if (tok === undefined) return { k: 'unknown', why: 'end of input' };
    this.i++;
    switch (tok.k) {
      case 'str':
        return { k: 'str', v: tok.v };
      case 'xstr':
        return this.xstr(tok.parts);
      case 'var':
        return { k: 'var', name: tok.v };
      case 'splat':
        return { k: 'splat', name: tok.v.toLowerCase() };
      case 'type':
        return { k: 'type', name: tok.v };
      case 'word': {
        const n = argMode ? undefined : isNumeric(tok.v);
        return n !== undefined ? { k: 'num', v: n } : { k: 'str', v: tok.v };
      }
      case 'param':
        return { k: 'str', v: '-' + tok.v };
      case 'op':
        break;
    }
    const v = (tok as { v: string }).v;
    if (!OPENERS.has(v)) return { k: 'unknown', why: `unexpected ${v}` };
    if (!this.enter()) {
      this.skipDeep();
      this.leave();
      if (this.isOp(this.peek(), v === '{' || v === '@{' ? '}' : ')')) this.i++;
      return { k: 'unknown', why: 'nesting too deep' };
    }
    let e: Expr;
    if (v === '{') {
      e = { k: 'block', body: this.statements() };
      if (this.isOp(this.peek(), '}')) this.i++;
    } else if (v === '@{') {
      e = this.hash();
    } else {
      e = { k: 'sub', body: this.statements() };
      if (this.isOp(this.peek(), ')')) this.i++;
    }
    this.leave();
    return e;
  }

  private hash(): Expr {
    const entries: Array<[Expr, Expr]> = [];
    while (!this.atEnd()) {
      while (this.isOp(this.peek(), 'nl')) this.i++;
      const tok = this.peek();
      if (!tok || this.isOp(tok, '}') || this.isOp(tok, ')')) break;
      const before = this.i;
      const key = this.primary(false);
      if (this.isOp(this.peek(), '=')) {
        this.i++;
        while (this.isOp(this.peek(), 'nl')) this.i++;
        const el = this.pipeline();
        const value: Expr = el.length === 1 && el[0].k === 'expr' ? el[0].e : { k: 'sub', body: [{ k: 'pipe', pipe: el }] };
        entries.push([key, value]);
      }
      if (this.i === before) this.i++;
    }
    if (this.isOp(this.peek(), '}')) this.i++;
    return { k: 'hash', entries };
  }

  private xstr(parts: StrPart[]): Expr {
    const out: XPart[] = [];
    for (const p of parts) {
      if (typeof p === 'string' || 'var' in p) out.push(p);
      else out.push({ sub: new Parser(p.sub).statementsBounded(this.depth + 1) });
    }
    return { k: 'xstr', parts: out };
  }

  skipStrayCloser(): boolean {
    if (this.atEnd()) return false;
    this.i++;
    return true;
  }

  statementsBounded(depth: number): Stmt[] {
    this.depth = depth;
    return depth > MAX_DEPTH ? [] : this.statements();
  }

  private postfix(e: Expr): Expr {
    let guard = 0;
    for (;;) {
      const tok = this.peek();
      if (!tok || tok.sp || guard++ > 10000) return e;
      if (tok.k === 'op' && (tok.v === '.' || tok.v === '::')) {
        const nameTok = this.peek(1);
        if (!nameTok || (nameTok.k !== 'word' && nameTok.k !== 'str' && nameTok.k !== 'var')) return e;
        this.i += 2;
        let name = nameTok.k === 'var' ? '$' + nameTok.v : (nameTok as { v: string }).v.toLowerCase();
        let stat = tok.v === '::';
        // a bareword keeps its dots ([Registry]::CurrentUser.OpenSubKey): each dot is one more member
        if (nameTok.k === 'word' && name.includes('.')) {
          const segs = name.split('.');
          name = segs.pop() as string;
          for (const seg of segs) {
            e = { k: 'member', target: e, name: seg, static: stat };
            stat = false;
          }
        }
        if (this.isOp(this.peek(), '(') && !this.peek()?.sp) {
          this.i++;
          e = { k: 'call', target: e, name, static: stat, args: this.callArgs() };
        } else e = { k: 'member', target: e, name, static: stat };
        continue;
      }
      if (tok.k === 'op' && tok.v === '[') {
        this.i++;
        const index = this.expression(false);
        if (this.isOp(this.peek(), ']')) this.i++;
        e = { k: 'index', target: e, index };
        continue;
      }
      return e;
    }
  }

  private callArgs(): Expr[] {
    const args: Expr[] = [];
    if (!this.enter()) {
      this.skipDeep();
      this.leave();
      if (this.isOp(this.peek(), ')')) this.i++;
      return [{ k: 'unknown', why: 'nesting too deep' }];
    }
    while (!this.atEnd()) {
      while (this.isOp(this.peek(), 'nl')) this.i++;
      if (this.isOp(this.peek(), ')')) {
        this.i++;
        break;
      }
      const before = this.i;
      args.push(this.expression(true));
      while (this.isOp(this.peek(), 'nl')) this.i++;
      if (this.isOp(this.peek(), ',')) this.i++;
      else if (!this.isOp(this.peek(), ')')) {
        if (this.i === before) this.i++;
        if (CLOSERS.has((this.peek() as { v?: string } | undefined)?.v ?? '') && !this.isOp(this.peek(), ')')) break;
      }
    }
    this.leave();
    return args;
  }
}

export function parseScript(tokens: Token[]): Stmt[] {
  const p = new Parser(tokens);
  const out: Stmt[] = [];
  // a stray closer at the top level ends nothing: skip it and go on
  for (;;) {
    for (const s of p.statements()) out.push(s);
    if (!p.skipStrayCloser()) return out;
  }
}
