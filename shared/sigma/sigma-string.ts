// Sigma string values: plain characters plus the wildcards `*` (any run) and `?` (one character),
// with the specification's escaping (`\*`, `\?`, `\\`; a backslash before anything else is a plain
// backslash). A value is kept as pieces so transformations (contains, windash ...) never have to
// re-escape, then compiled once to the cheapest test that decides it: equality, startsWith,
// endsWith, includes, or an anchored regular expression for the general case.

export type Piece =
  | { t: 'lit'; s: string }
  | { t: 'star' }
  | { t: 'one' }
  /** One character out of a set (windash). */
  | { t: 'alt'; chars: readonly string[] };

/** Parse a rule's string into pieces, honouring Sigma's escaping. */
export function parseSigmaString(s: string): Piece[] {
  const out: Piece[] = [];
  let acc = '';
  const flush = (): void => {
    if (acc) out.push({ t: 'lit', s: acc });
    acc = '';
  };
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '\\') {
      const n = s[i + 1];
      if (n === '*' || n === '?' || n === '\\') {
        acc += n;
        i++;
      } else {
        acc += c;
      }
    } else if (c === '*') {
      flush();
      out.push({ t: 'star' });
    } else if (c === '?') {
      flush();
      out.push({ t: 'one' });
    } else {
      acc += c;
    }
  }
  flush();
  return out;
}

export function literalPieces(s: string): Piece[] {
  return s ? [{ t: 'lit', s }] : [];
}

/** Merge adjacent literals and runs of stars. */
export function tidy(pieces: readonly Piece[]): Piece[] {
  const out: Piece[] = [];
  for (const p of pieces) {
    const last = out[out.length - 1];
    if (p.t === 'lit') {
      if (!p.s) continue;
      if (last?.t === 'lit') out[out.length - 1] = { t: 'lit', s: last.s + p.s };
      else out.push(p);
    } else if (p.t === 'star') {
      if (last?.t !== 'star') out.push(p);
    } else {
      out.push(p);
    }
  }
  return out;
}

/** True when the value holds no wildcard or alternation. */
export function isPlain(pieces: readonly Piece[]): boolean {
  return pieces.every((p) => p.t === 'lit');
}

export function plainText(pieces: readonly Piece[]): string {
  return pieces.map((p) => (p.t === 'lit' ? p.s : '')).join('');
}

const WINDASH_CHARS = ['-', '/', '\u2013', '\u2014', '\u2015'] as const;
const isWordChar = (c: string | undefined): boolean => c !== undefined && /[A-Za-z0-9_]/.test(c);

/**
 * windash: a `-` or `/` that starts a word (pySigma's `\B[-/]\b`) may be any of - / – — ―. Wildcards
 * count as non-word characters, as they do in the rule's text.
 */
export function windash(pieces: readonly Piece[]): Piece[] {
  const flat: (string | Piece)[] = [];
  for (const p of pieces) {
    if (p.t === 'lit') for (const ch of p.s) flat.push(ch);
    else flat.push(p);
  }
  const charAt = (i: number): string | undefined => {
    const x = flat[i];
    if (x === undefined) return undefined;
    return typeof x === 'string' ? x : '*';
  };
  const out: Piece[] = [];
  for (let i = 0; i < flat.length; i++) {
    const x = flat[i];
    if (typeof x !== 'string') {
      out.push(x);
      continue;
    }
    if ((x === '-' || x === '/') && !isWordChar(charAt(i - 1)) && isWordChar(charAt(i + 1))) {
      out.push({ t: 'alt', chars: WINDASH_CHARS });
    } else {
      out.push({ t: 'lit', s: x });
    }
  }
  return tidy(out);
}

const escapeRegex = (s: string): string => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
const escapeClassChar = (s: string): string => s.replace(/[\]\\^-]/g, '\\$&');

/** A compiled string test. Insensitive tests expect the value already lower-cased. */
export type StringTest = (value: string) => boolean;

/** Compile pieces to the cheapest exact test. `cased` false: pieces and values compare lower-cased. */
export function compilePieces(input: readonly Piece[], cased: boolean): StringTest {
  const fold = (s: string): string => (cased ? s : s.toLowerCase());
  const pieces = tidy(input).map((p): Piece => (p.t === 'lit' ? { t: 'lit', s: fold(p.s) } : p.t === 'alt' ? { t: 'alt', chars: p.chars.map(fold) } : p));
  const shape = pieces.map((p) => (p.t === 'lit' ? 'L' : p.t === 'star' ? '*' : 'X')).join('');
  const lit = (i: number): string => (pieces[i] as { t: 'lit'; s: string }).s;
  switch (shape) {
    case '':
      return (v) => v === '';
    case 'L': {
      const a = lit(0);
      return (v) => v === a;
    }
    case '*':
      return () => true;
    case '*L': {
      const a = lit(1);
      return (v) => v.endsWith(a);
    }
    case 'L*': {
      const a = lit(0);
      return (v) => v.startsWith(a);
    }
    case '*L*': {
      const a = lit(1);
      return (v) => v.includes(a);
    }
    case 'L*L': {
      const a = lit(0);
      const b = lit(2);
      return (v) => v.length >= a.length + b.length && v.startsWith(a) && v.endsWith(b);
    }
    default: {
      // a leading / trailing star is an unanchored search, not `^.*` (which backtracks)
      const open = pieces[0]?.t === 'star';
      const close = pieces.length > 1 && pieces[pieces.length - 1]?.t === 'star';
      const core = pieces.slice(open ? 1 : 0, close ? -1 : undefined);
      const body = core
        .map((p) => (p.t === 'lit' ? escapeRegex(p.s) : p.t === 'star' ? '.*' : p.t === 'one' ? '.' : `[${p.chars.map(escapeClassChar).join('')}]`))
        .join('');
      const re = new RegExp(`${open ? '' : '^'}${body}${close ? '' : '$'}`, 'su');
      return (v) => re.test(v);
    }
  }
}

/** Wrap with stars for contains / startswith / endswith (no double stars). */
export function wrap(pieces: readonly Piece[], before: boolean, after: boolean): Piece[] {
  const out: Piece[] = [...pieces];
  if (before && out[0]?.t !== 'star') out.unshift({ t: 'star' });
  if (after && out[out.length - 1]?.t !== 'star') out.push({ t: 'star' });
  return out;
}

/**
 * One test for "any of these patterns" (a value list, or the expansions of windash / base64offset):
 * equalities become one Set lookup and prefix / suffix / substring needles plain loops, so a rule
 * with a hundred values costs a hundred string comparisons, not a hundred closure calls.
 */
export function compileAnyOf(list: readonly (readonly Piece[])[], cased: boolean): StringTest {
  const fold = (s: string): string => (cased ? s : s.toLowerCase());
  const eq = new Set<string>();
  const sw: string[] = [];
  const ew: string[] = [];
  const fileNames: string[] = [];
  const inc: string[] = [];
  const other: StringTest[] = [];
  let anything = false;
  for (const input of list) {
    const p = tidy(input);
    const shape = p.map((x) => (x.t === 'lit' ? 'L' : x.t === 'star' ? '*' : 'X')).join('');
    const lit = (i: number): string => fold((p[i] as { t: 'lit'; s: string }).s);
    if (shape === '') eq.add('');
    else if (shape === 'L') eq.add(lit(0));
    else if (shape === '*') anything = true;
    else if (shape === 'L*') sw.push(lit(0));
    else if (shape === '*L') {
      const n = lit(1);
      // '\\name.exe' (one leading backslash, no other): the value's last path segment is 'name.exe'
      if (n.length > 1 && n[0] === '\\' && n.indexOf('\\', 1) < 0) fileNames.push(n);
      else ew.push(n);
    }
    else if (shape === '*L*') inc.push(lit(1));
    else other.push(compilePieces(p, cased));
  }
  // many '\\name.exe' suffixes: one Set lookup of the value's last path segment; few: plain endsWith
  const lastSegment = new Set<string>();
  if (fileNames.length >= 4) for (const n of fileNames) lastSegment.add(n.slice(1));
  else ew.push(...fileNames);
  if (anything) return () => true;
  if (list.length === 1 && other.length === 1) return other[0];
  const incTest = inc.length >= MANY_NEEDLES ? manyNeedles(inc) : undefined;
  return (v) => {
    if (eq.has(v)) return true;
    if (lastSegment.size) {
      const slash = v.lastIndexOf('\\');
      if (slash >= 0 && lastSegment.has(v.slice(slash + 1))) return true;
    }
    for (let i = 0; i < sw.length; i++) if (v.startsWith(sw[i])) return true;
    for (let i = 0; i < ew.length; i++) if (v.endsWith(ew[i])) return true;
    if (incTest) {
      if (incTest(v)) return true;
    } else {
      for (let i = 0; i < inc.length; i++) if (v.includes(inc[i])) return true;
    }
    for (let i = 0; i < other.length; i++) if (other[i](v)) return true;
    return false;
  };
}

const MANY_NEEDLES = 24;

/**
 * Substring search for a long needle list (e.g. hundreds of emoji): needles are grouped by their
 * first UTF-16 unit, and the value is scanned once, trying only the needles that can start at each
 * position. Cost follows the value's length, not the number of needles.
 */
function manyNeedles(needles: readonly string[]): StringTest {
  const byFirst = new Map<number, string[]>();
  for (const n of needles) {
    const c = n.charCodeAt(0);
    const l = byFirst.get(c);
    if (l) l.push(n);
    else byFirst.set(c, [n]);
  }
  return (v) => {
    for (let i = 0; i < v.length; i++) {
      const l = byFirst.get(v.charCodeAt(i));
      if (l) for (let j = 0; j < l.length; j++) if (v.startsWith(l[j], i)) return true;
    }
    return false;
  };
}
