// PowerShell evaluator: runs the parsed statements over a small value model (ps-values) far
// enough to know the strings the write forms receive: assignments (scoped: a script block or
// function has its own), + concatenation, -f, -join, -replace with a literal pattern, Join-Path,
// $env: (an unset one reads as %NAME%, the way Windows spells the reference, never a guessed
// path), string methods (.Replace .Trim .TrimEnd .TrimStart .ToLower .ToUpper .Substring .Split),
// casts, [Convert]::FromBase64String + Encoding.GetString, Invoke-Expression of known text, and
// native commands handed to the command-line reader. Everything else evaluates to unknown, and an
// unknown stays unknown through every operation. Work is bounded (MAX_STEPS, nesting): a script
// that would loop or recurse yields fewer facts, never a hang; never throws.

import type { Arg, Command, Element, Expr, Stmt, XPart } from './ps-parse';
import { parseScript } from './ps-parse';
import { tokenize } from './ps-tokens';
import { NULL, S, U, itemsOf, joinSegs, obj, segsOf, strOf, textOf, type Value } from './ps-values';
import { cmdletName, formatValue, instanceCall, instanceMember, knownCmdlet, runCmdlet, staticCall, staticMember, type WriteContext } from './ps-writes';
import type { EvaluatedArg } from './ps-bind';
import type { CommandLineWrite, LineReader } from './types';
import { MAX_NESTING } from './types';

const MAX_STEPS = 100_000;
const MAX_LOOP_ITEMS = 16;
const MAX_EXPR_DEPTH = 400;

/** Programs the reader follows when a script runs them (the command-line reader knows them). */
const NATIVE = new Set(['reg', 'regedit', 'regedt32', 'cmd', 'powershell', 'pwsh', 'powershell_ise', 'mshta', 'rundll32', 'wmic', 'secedit', 'cscript', 'wscript', 'xcopy', 'robocopy', 'bitsadmin', 'certutil', 'mklink', 'esentutl', 'schtasks']);

class Scope {
  readonly vars = new Map<string, Value>();
  constructor(readonly parent?: Scope) {}
  get(name: string): Value | undefined {
    return this.vars.get(name) ?? this.parent?.get(name);
  }
}

export interface EvalOptions {
  readLine: LineReader;
  depth: number;
  files?: Map<string, string>;
}

class Evaluator {
  writes: CommandLineWrite[] = [];
  private steps = 0;
  private readonly functions = new Map<string, Stmt[]>();
  private cwd: string | undefined;
  readonly files: Map<string, string>;
  private readonly ctx: WriteContext;

  constructor(private readonly opts: EvalOptions) {
    this.files = opts.files ?? new Map();
    this.ctx = {
      emit: (w) => {
        if (w) this.writes.push(w);
      },
      files: this.files,
      cwd: () => this.cwd,
      setCwd: (p) => {
        this.cwd = p;
      },
      runLine: (line) => {
        if (this.opts.depth < MAX_NESTING) for (const w of this.opts.readLine(line, this.opts.depth + 1)) this.writes.push(w);
      },
      evalText: (text) => this.evalText(text),
      invokeBlock: (block, input) => this.invokeBlock(block, input),
    };
  }

  private scope = new Scope();

  private budget(): boolean {
    return ++this.steps <= MAX_STEPS;
  }

  run(stmts: readonly Stmt[]): Value {
    let last: Value = NULL;
    for (const s of stmts) {
      if (!this.budget()) return U('budget');
      last = this.stmt(s);
    }
    return last;
  }

  private evalText(text: string): Value {
    if (this.opts.depth >= MAX_NESTING) return U('nesting');
    this.opts.depth++;
    try {
      return this.run(parseScript(tokenize(text)));
    } finally {
      this.opts.depth--;
    }
  }

  private invokeBlock(block: Value, input: Value): Value {
    if (block.t !== 'block' || this.opts.depth >= MAX_NESTING) return U('block');
    const items = itemsOf(input).slice(0, MAX_LOOP_ITEMS);
    let last: Value = NULL;
    for (const item of items.length ? items : [NULL]) {
      const outer = this.scope;
      this.scope = new Scope(outer);
      this.scope.vars.set('_', item);
      this.scope.vars.set('psitem', item);
      this.opts.depth++;
      try {
        last = this.run(block.body);
      } finally {
        this.opts.depth--;
        this.scope = outer;
      }
    }
    return last;
  }

  private stmt(s: Stmt): Value {
    switch (s.k) {
      case 'pipe':
        return this.pipeline(s.pipe);
      case 'assign': {
        const v = this.pipeline(s.value);
        this.assign(s.target, s.op, v);
        return NULL;
      }
      case 'function':
        this.functions.set(s.name, s.body);
        return NULL;
      case 'block':
        return this.run(s.body);
    }
  }

  private assign(target: Expr, op: string, v: Value): void {
    if (target.k === 'cast') return this.assign(target.value, op, v);
    if (target.k === 'var') {
      const name = target.name;
      let value = v;
      if (op === '+=') value = add(this.scope.get(name) ?? NULL, v);
      else if (op !== '=') value = U('compound assignment');
      // $script: / $global: / $local: name the same variable for this reader
      const plain = name.replace(/^(script|global|local|private):/, '');
      this.scope.vars.set(plain, value);
      return;
    }
    if (target.k === 'member' && !target.static) {
      const holder = this.expr(target.target);
      if (holder.t === 'obj') holder.props.set(target.name, op === '=' ? v : U('compound assignment'));
    }
  }

  private pipeline(pipe: readonly Element[]): Value {
    let input: Value | undefined;
    for (const el of pipe) {
      if (!this.budget()) return U('budget');
      input = el.k === 'expr' ? this.expr(el.e) : this.command(el, input);
    }
    return input ?? NULL;
  }

  private args(args: readonly Arg[]): EvaluatedArg[] {
    const out: EvaluatedArg[] = [];
    for (const a of args) {
      if (a.k === 'param') out.push(a.value === undefined ? { param: a.name } : { param: a.name, value: this.expr(a.value) });
      else if (a.value.k === 'splat') {
        const v = this.variable(a.value.name);
        out.push({ value: v, splat: v.t === 'hash' ? 'hash' : 'array' });
      } else out.push({ value: this.expr(a.value) });
    }
    return out;
  }

  private command(c: Command, input: Value | undefined): Value {
    const nameVal = this.expr(c.name);
    if (nameVal.t === 'block') {
      // & { ... } / . { ... }: the block runs in its own scope (dot-sourcing: in this one)
      if (c.invoke === '.') return this.run(nameVal.body);
      return this.invokeBlock(nameVal, input ?? NULL);
    }
    const raw = textOf(nameVal);
    if (raw === undefined) return U('unknown command');
    const name = cmdletName(raw);
    const fn = this.functions.get(name);
    if (fn !== undefined) {
      if (this.opts.depth >= MAX_NESTING) return U('nesting');
      this.opts.depth++;
      const outer = this.scope;
      this.scope = new Scope(outer);
      this.scope.vars.set('args', U('function arguments'));
      try {
        return this.run(fn);
      } finally {
        this.scope = outer;
        this.opts.depth--;
      }
    }
    if (knownCmdlet(name)) return runCmdlet(name, this.args(c.args), this.ctx, input);
    const base = programName(raw);
    if (NATIVE.has(base)) {
      this.native(raw, c.args);
      return U('native output');
    }
    return U(`result of ${name}`);
  }

  /**
   * A native program run from the script: its arguments as PowerShell passes them (each evaluated,
   * quoted when it has a blank), read by the command-line reader. An argument the reader could not
   * evaluate makes the whole command unknown: its position would shift every later argument.
   */
  private native(program: string, args: readonly Arg[]): void {
    const parts: string[] = [quote(program)];
    for (const a of args) {
      if (a.k === 'param') {
        // -Switch passed to a native program is just text
        parts.push('-' + a.name + (a.value !== undefined ? ':' + (textOf(this.expr(a.value)) ?? '\uFFFD') : ''));
        continue;
      }
      const v = this.expr(a.value);
      for (const item of itemsOf(v)) {
        const t = textOf(item);
        if (t === undefined) return;
        parts.push(quote(t));
      }
    }
    this.ctx.runLine(parts.join(' '));
  }

  private variable(name: string): Value {
    switch (name) {
      case 'true':
        return { t: 'bool', b: true };
      case 'false':
        return { t: 'bool', b: false };
      case 'null':
        return NULL;
      case 'home':
        return this.scope.get('home') ?? S('%USERPROFILE%');
    }
    const plain = name.replace(/^(script|global|local|private|variable):/, '');
    const v = this.scope.get(plain);
    if (v !== undefined) return v;
    if (plain.startsWith('env:')) return S(`%${plain.slice(4).toUpperCase() === plain.slice(4) ? plain.slice(4) : envCase(plain.slice(4))}%`);
    return U(`$${name}`);
  }

  /** Nesting of expr() calls: a chain of 100,000 `+` or `.member` is a tree that deep. */
  private exprDepth = 0;

  expr(e: Expr): Value {
    if (!this.budget() || this.exprDepth >= MAX_EXPR_DEPTH) return U('budget');
    this.exprDepth++;
    try {
      return this.exprInner(e);
    } finally {
      this.exprDepth--;
    }
  }

  private exprInner(e: Expr): Value {
    switch (e.k) {
      case 'str':
        return S(e.v);
      case 'num':
        return { t: 'num', n: e.v };
      case 'xstr':
        return this.xstr(e.parts);
      case 'var':
        return this.variable(e.name);
      case 'splat':
        return this.variable(e.name);
      case 'array':
        return { t: 'arr', items: e.items.map((x) => this.expr(x)) };
      case 'hash': {
        const map = new Map<string, Value>();
        for (const [k, v] of e.entries) {
          const key = textOf(this.expr(k));
          if (key !== undefined) map.set(key.toLowerCase(), this.expr(v));
        }
        return { t: 'hash', map };
      }
      case 'block':
        return { t: 'block', body: e.body };
      case 'sub': {
        const outs = e.body.map((s) => this.stmt(s)).filter((v) => v.t !== 'null');
        return outs.length === 1 ? outs[0] : outs.length === 0 ? NULL : { t: 'arr', items: outs };
      }
      case 'type':
        return { t: 'type', name: e.name };
      case 'cast':
        return cast(e.type, this.expr(e.value));
      case 'member':
        return this.member(e);
      case 'call':
        return this.call(e);
      case 'index': {
        const t = this.expr(e.target);
        const i = this.expr(e.index);
        if (t.t === 'arr' && i.t === 'num') return t.items[i.n < 0 ? t.items.length + i.n : i.n] ?? NULL;
        if (t.t === 'hash') {
          const k = textOf(i);
          return k === undefined ? U('index') : t.map.get(k.toLowerCase()) ?? NULL;
        }
        return U('index');
      }
      case 'binop':
        return this.binop(e.op, this.expr(e.left), this.expr(e.right));
      case 'unop': {
        const v = this.expr(e.value);
        if (e.op === 'join') return joinValues(v, '');
        if (e.op === '-' && v.t === 'num') return { t: 'num', n: -v.n };
        return U(`-${e.op}`);
      }
      case 'concat':
        return joinSegs(e.items.map((x) => segsOf(this.expr(x))));
      case 'unknown':
        return U(e.why);
    }
  }

  private xstr(parts: readonly XPart[]): Value {
    return joinSegs(parts.map((p) => {
      if (typeof p === 'string') return [p];
      if ('var' in p) return segsOf(this.variable(p.var));
      const outs = p.sub.map((s) => this.stmt(s)).filter((v) => v.t !== 'null');
      return segsOf(outs.length === 1 ? outs[0] : { t: 'arr', items: outs });
    }));
  }

  private member(e: Extract<Expr, { k: 'member' }>): Value {
    if (e.static && e.target.k === 'type') return staticMember(e.target.name, e.name) ?? U(`[${e.target.name}]::${e.name}`);
    const t = this.expr(e.target);
    if (e.name === 'length' || e.name === 'count') {
      if (t.t === 'arr') return { t: 'num', n: t.items.length };
      const s = textOf(t);
      return s === undefined ? U('length') : { t: 'num', n: e.name === 'length' ? s.length : 1 };
    }
    if (t.t === 'hash') return t.map.get(e.name) ?? NULL;
    return instanceMember(t, e.name) ?? U(`.${e.name}`);
  }

  private call(e: Extract<Expr, { k: 'call' }>): Value {
    const args = e.args.map((a) => this.expr(a));
    if (e.static && e.target.k === 'type') return staticCall(e.target.name, e.name, args, this.ctx) ?? U(`[${e.target.name}]::${e.name}()`);
    const t = this.expr(e.target);
    const known = instanceCall(t, e.name, args, this.ctx);
    if (known !== undefined) return known;
    if (t.t === 'block' && e.name === 'invoke') return this.invokeBlock(t, NULL);
    return stringMethod(t, e.name, args);
  }

  private binop(op: string, l: Value, r: Value): Value {
    switch (op) {
      case '+':
        return add(l, r);
      case 'f':
        return formatValue(l, itemsOf(r));
      case 'join': {
        const sep = textOf(r);
        return sep === undefined ? U('join with unknown separator') : joinValues(l, sep);
      }
      case 'replace':
      case 'ireplace':
        return replaceOp(l, r, true);
      case 'creplace':
        return replaceOp(l, r, false);
      default:
        return U(`-${op}`);
    }
  }
}

function envCase(name: string): string {
  const known = ['APPDATA', 'LOCALAPPDATA', 'USERPROFILE', 'PROGRAMDATA', 'TEMP', 'TMP', 'PUBLIC', 'WINDIR', 'SYSTEMROOT', 'ALLUSERSPROFILE', 'USERNAME', 'COMPUTERNAME', 'PROGRAMFILES', 'HOMEDRIVE', 'HOMEPATH'];
  const up = name.toUpperCase();
  if (up === 'PROGRAMDATA') return 'ProgramData';
  return known.includes(up) ? up : name;
}

function programName(raw: string): string {
  const slash = Math.max(raw.lastIndexOf('\\'), raw.lastIndexOf('/'));
  return raw.slice(slash + 1).toLowerCase().replace(/\.(exe|com)$/, '');
}

const quote = (s: string) => (s === '' || /\s/.test(s) ? `"${s.replace(/"/g, '\\"')}"` : s);

function add(l: Value, r: Value): Value {
  if (l.t === 'arr') return { t: 'arr', items: [...l.items, ...itemsOf(r)] };
  if (l.t === 'num' && r.t === 'num') return { t: 'num', n: l.n + r.n };
  if (l.t === 'unknown' && l.read === undefined && r.t !== 'str') return U('sum');
  return joinSegs([segsOf(l), segsOf(strOf(r))]);
}

function joinValues(v: Value, sep: string): Value {
  const items = itemsOf(v);
  return joinSegs(items.map((x, i) => (i > 0 ? [sep, ...segsOf(x)] : segsOf(x))));
}

/** -replace with a pattern that is plain text (regex escapes of punctuation allowed): no user regex is run. */
function replaceOp(l: Value, r: Value, ignoreCase: boolean): Value {
  const [pat, rep] = r.t === 'arr' ? [r.items[0], r.items[1]] : [r, S('')];
  const text = textOf(l);
  const p = textOf(pat);
  const by = rep === undefined ? '' : textOf(rep);
  if (text === undefined || p === undefined || by === undefined || by.includes('$')) return U('-replace');
  let literal = '';
  for (let i = 0; i < p.length; i++) {
    const c = p[i];
    if (c === '\\' && i + 1 < p.length && /[\\.^$|?*+()[\]{}\-/ ]/.test(p[i + 1])) literal += p[++i];
    else if (/[.^$|?*+()[\]{}\\]/.test(c)) return U('-replace with a regular expression');
    else literal += c;
  }
  if (literal === '') return l;
  return S(replaceAllLiteral(text, literal, by, ignoreCase));
}

function replaceAllLiteral(text: string, find: string, by: string, ignoreCase: boolean): string {
  const hay = ignoreCase ? text.toLowerCase() : text;
  const needle = ignoreCase ? find.toLowerCase() : find;
  let out = '';
  let i = 0;
  for (let j = hay.indexOf(needle); j >= 0; j = hay.indexOf(needle, i)) {
    out += text.slice(i, j) + by;
    i = j + needle.length;
  }
  return out + text.slice(i);
}

function trimChars(s: string, chars: string | undefined, start: boolean, end: boolean): string {
  const set = chars === undefined ? undefined : new Set(chars);
  const isTrim = (c: string) => (set ? set.has(c) : /\s/.test(c));
  let a = 0;
  let b = s.length;
  if (start) while (a < b && isTrim(s[a])) a++;
  if (end) while (b > a && isTrim(s[b - 1])) b--;
  return s.slice(a, b);
}

function stringMethod(t: Value, name: string, args: Value[]): Value {
  const s = textOf(t);
  const a = args.map(textOf);
  if (s === undefined) {
    // trimming an old value read off the registry is still that value
    if ((name === 'trim' || name === 'trimend' || name === 'trimstart' || name === 'tostring') && t.t === 'unknown') return t;
    return U(`.${name}()`);
  }
  switch (name) {
    case 'replace':
      return a[0] === undefined || a[1] === undefined || a[0] === '' ? U('.Replace') : S(replaceAllLiteral(s, a[0], a[1], false));
    case 'trim':
      return S(trimChars(s, args.length ? a.join('') : undefined, true, true));
    case 'trimend':
      return S(trimChars(s, args.length ? a.join('') : undefined, false, true));
    case 'trimstart':
      return S(trimChars(s, args.length ? a.join('') : undefined, true, false));
    case 'tolower':
    case 'tolowerinvariant':
      return S(s.toLowerCase());
    case 'toupper':
    case 'toupperinvariant':
      return S(s.toUpperCase());
    case 'tostring':
      return S(s);
    case 'substring': {
      const from = args[0]?.t === 'num' ? args[0].n : undefined;
      const len = args[1]?.t === 'num' ? args[1].n : undefined;
      if (from === undefined || (args.length > 1 && len === undefined)) return U('.Substring');
      return S(len === undefined ? s.slice(from) : s.slice(from, from + len));
    }
    case 'split': {
      const sep = a[0];
      if (sep === undefined) return U('.Split');
      return { t: 'arr', items: (sep === '' ? [s] : s.split(sep.length === 1 ? sep : new RegExp(`[${sep.replace(/[\\\]^-]/g, '\\$&')}]`))).map(S) };
    }
    case 'insert': {
      const at = args[0]?.t === 'num' ? args[0].n : undefined;
      return at === undefined || a[1] === undefined ? U('.Insert') : S(s.slice(0, at) + a[1] + s.slice(at));
    }
    default:
      return U(`.${name}()`);
  }
}

function cast(type: string, v: Value): Value {
  const t = type.replace(/^system\./, '');
  if (t === 'string') return strOf(v);
  if (t === 'char' && v.t === 'num') return S(String.fromCharCode(v.n));
  if (t === 'char[]' && v.t === 'arr') return v;
  if ((t === 'int' || t === 'uint32' || t === 'int32' || t === 'long' || t === 'uint64' || t === 'int64') && (v.t === 'num' || textOf(v) !== undefined)) {
    const n = v.t === 'num' ? v.n : Number(textOf(v));
    return Number.isFinite(n) ? { t: 'num', n } : U('number');
  }
  if (t === 'wmiclass' || t === 'management.managementclass') {
    const path = textOf(v)?.toLowerCase();
    return path?.endsWith('stdregprov') ? obj('stdregprov') : U('wmi class');
  }
  if (t === 'scriptblock') return v;
  return v;
}

/** Evaluate a script; the writes it makes, and the files it wrote (for a caller that goes on reading). */
export function evaluateScript(stmts: readonly Stmt[], opts: EvalOptions): CommandLineWrite[] {
  const ev = new Evaluator(opts);
  ev.run(stmts);
  return ev.writes;
}
