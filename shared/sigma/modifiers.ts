// Field modifiers, registered in one map. Transformation modifiers (contains, startswith, endswith,
// windash, base64, base64offset, wide / utf16*) rewrite each value in the order written and may
// expand one value into several; type modifiers (re, cidr, exists, fieldref, lt / lte / gt / gte,
// neq, cased, all) say how the result is compared. compileFieldTest turns `Field|mods: values` into
// one predicate, with every regex, needle and lower-cased literal prepared once.

import type { EventPredicate, FieldForm, FieldValue, SigmaEventView, SigmaUnsupportedCode } from './types';
import { compileAnyOf, isPlain, literalPieces, parseSigmaString, plainText, windash, wrap, type Piece } from './sigma-string';
import { base64, base64Offsets, utf16Bytes, utf8Bytes } from './encoding';
import { parseCidr } from './cidr';

export type RuleScalar = string | number | boolean | null;

/** A value on its way through the transformation modifiers. */
type Working = { t: 'str'; p: Piece[] } | { t: 'bytes'; b: Uint8Array };

type Transform = (v: Working) => Working[] | string;

const needPlain = (v: Working, name: string): Uint8Array | string => {
  if (v.t === 'bytes') return v.b;
  if (!isPlain(v.p)) return `${name} cannot encode a value with wildcards`;
  return utf8Bytes(plainText(v.p));
};

const strOnly = (name: string, f: (p: Piece[]) => Piece[]): Transform => (v) =>
  v.t === 'bytes' ? `${name} after an encoding modifier needs base64 / base64offset first` : [{ t: 'str', p: f(v.p) }];

const utf16 = (order: 'le' | 'be', bom: boolean, name: string): Transform => (v) => {
  if (v.t === 'bytes') return `${name} applied twice`;
  if (!isPlain(v.p)) return `${name} cannot encode a value with wildcards`;
  return [{ t: 'bytes', b: utf16Bytes(plainText(v.p), order, bom) }];
};

const TRANSFORMS: Readonly<Record<string, Transform>> = {
  contains: strOnly('contains', (p) => wrap(p, true, true)),
  startswith: strOnly('startswith', (p) => wrap(p, false, true)),
  endswith: strOnly('endswith', (p) => wrap(p, true, false)),
  windash: strOnly('windash', windash),
  base64: (v) => {
    const b = needPlain(v, 'base64');
    return typeof b === 'string' ? b : [{ t: 'str', p: literalPieces(base64(b)) }];
  },
  base64offset: (v) => {
    const b = needPlain(v, 'base64offset');
    return typeof b === 'string' ? b : base64Offsets(b).map((s) => ({ t: 'str' as const, p: literalPieces(s) }));
  },
  wide: utf16('le', false, 'wide'),
  utf16le: utf16('le', false, 'utf16le'),
  utf16be: utf16('be', false, 'utf16be'),
  utf16: utf16('le', true, 'utf16'),
};

const TYPE_MODIFIERS = new Set(['re', 'i', 'm', 's', 'cidr', 'exists', 'fieldref', 'lt', 'lte', 'gt', 'gte', 'neq', 'cased', 'all']);
/** Defined by the specification but not evaluated here (each needs context we do not have). */
const NOT_SUPPORTED = new Set(['minute', 'hour', 'day', 'week', 'month', 'year']);

export type FieldTestResult = { ok: true; test: EventPredicate } | { ok: false; code: SigmaUnsupportedCode; message: string };

const fail = (code: SigmaUnsupportedCode, message: string): FieldTestResult => ({ ok: false, code, message });

/** How a field is read for a rule's form. `field` '' means keyword search over every value. */
interface Accessor {
  raw: (v: SigmaEventView) => FieldValue;
  lower: (v: SigmaEventView) => string | undefined;
}

export function accessor(form: FieldForm, field: string): Accessor {
  return form === 'security'
    ? { raw: (v) => v.getRaw(field), lower: (v) => v.lower('security', field) }
    : { raw: (v) => v.get(field), lower: (v) => v.lower('taxonomy', field) };
}

const asString = (x: FieldValue): string | undefined => (x === undefined || x === null ? undefined : typeof x === 'string' ? x : String(x));

function asNumber(x: FieldValue): number | undefined {
  if (x === undefined || x === null) return undefined;
  if (typeof x === 'number') return x;
  const t = x.trim();
  if (t === '') return undefined;
  const n = /^0x[0-9a-f]+$/i.test(t) ? parseInt(t, 16) : Number(t);
  return Number.isFinite(n) ? n : undefined;
}

/** Leading inline flags `(?i)` / `(?ims)` are PCRE; JavaScript wants them as RegExp flags. */
function compileRegex(src: string, flags: Set<string>): RegExp | string {
  let body = src;
  const m = /^\(\?([ims]+)\)/.exec(body);
  if (m) {
    for (const f of m[1]) flags.add(f);
    body = body.slice(m[0].length);
  }
  try {
    return new RegExp(body, [...flags].sort().join(''));
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

const anyOf = (tests: EventPredicate[]): EventPredicate =>
  tests.length === 1 ? tests[0] : (v) => tests.some((t) => t(v));
const allOf = (tests: EventPredicate[]): EventPredicate =>
  tests.length === 1 ? tests[0] : (v) => tests.every((t) => t(v));

/**
 * Compile `field|mods: values` (values already a list: a scalar rule value is a one-item list).
 * field '' is keyword search: every value of the event is searched (substring, wildcards honoured).
 */
export function compileFieldTest(form: FieldForm, field: string, mods: readonly string[], values: readonly RuleScalar[]): FieldTestResult {
  const transforms: string[] = [];
  const type = new Set<string>();
  for (const raw of mods) {
    const m = raw.toLowerCase();
    if (m === 'expand') return fail('PLACEHOLDER', `modifier "expand" needs placeholder values (${field})`);
    if (NOT_SUPPORTED.has(m)) return fail('BAD_MODIFIER', `time modifier "${m}" is not evaluated`);
    if (TRANSFORMS[m]) {
      transforms.push(m);
    } else if (TYPE_MODIFIERS.has(m)) {
      if ((m === 'i' || m === 'm' || m === 's') && !type.has('re')) return fail('UNKNOWN_MODIFIER', `modifier "${m}" is only defined after "re"`);
      type.add(m);
    } else {
      return fail('UNKNOWN_MODIFIER', `unknown modifier "${raw}"`);
    }
  }
  if (values.length === 0) return fail('BAD_DETECTION', `field ${field || '(keywords)'} has an empty value list`);
  const acc = accessor(form, field);
  const keyword = field === '';
  const join = type.has('all') ? allOf : anyOf;
  const cased = type.has('cased');

  if (type.has('exists')) {
    if (values.length !== 1 || typeof values[0] !== 'boolean') return fail('BAD_MODIFIER', `exists needs true or false (${field})`);
    const want = values[0];
    return { ok: true, test: (v) => (acc.raw(v) !== undefined) === want };
  }

  const tests: EventPredicate[] = [];
  const stringValues: Piece[][][] = [];
  const cmp = ['lt', 'lte', 'gt', 'gte'].find((c) => type.has(c));
  for (const value of values) {
    if (cmp) {
      const n = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : Number.NaN;
      if (!Number.isFinite(n)) return fail('BAD_MODIFIER', `${cmp} needs a number (${field})`);
      const ok = cmp === 'lt' ? (x: number) => x < n : cmp === 'lte' ? (x: number) => x <= n : cmp === 'gt' ? (x: number) => x > n : (x: number) => x >= n;
      tests.push((v) => {
        const x = asNumber(acc.raw(v));
        return x !== undefined && ok(x);
      });
      continue;
    }
    if (value === null) {
      if (transforms.length || type.size > (type.has('all') ? 1 : 0)) return fail('BAD_MODIFIER', `null cannot take modifiers (${field})`);
      tests.push((v) => acc.raw(v) === undefined || acc.raw(v) === null);
      continue;
    }
    const text = typeof value === 'string' ? value : String(value);
    if (type.has('fieldref')) {
      const other = accessor(form, text);
      const mode = transforms.join('|');
      if (!['', 'contains', 'startswith', 'endswith'].includes(mode)) return fail('BAD_MODIFIER', `fieldref with "${mode}" is not evaluated`);
      const read = cased ? (v: SigmaEventView, a: Accessor) => asString(a.raw(v)) : (v: SigmaEventView, a: Accessor) => a.lower(v);
      tests.push((v) => {
        const a = read(v, acc);
        const b = read(v, other);
        if (a === undefined || b === undefined) return false;
        return mode === 'contains' ? a.includes(b) : mode === 'startswith' ? a.startsWith(b) : mode === 'endswith' ? a.endsWith(b) : a === b;
      });
      continue;
    }
    if (type.has('re')) {
      if (transforms.length) return fail('BAD_MODIFIER', `re cannot follow ${transforms.join('|')} (${field})`);
      const flags = new Set<string>(['i', 'm', 's'].filter((f) => type.has(f)));
      const re = compileRegex(text, flags);
      if (typeof re === 'string') return fail('BAD_REGEX', `${field}|re: ${re}`);
      if (keyword) tests.push((v) => v.values().some((s) => re.test(s)));
      else tests.push((v) => {
        const s = asString(acc.raw(v));
        return s !== undefined && re.test(s);
      });
      continue;
    }
    if (type.has('cidr')) {
      const net = parseCidr(text);
      if (!net) return fail('BAD_MODIFIER', `${field}|cidr: "${text}" is not a network`);
      tests.push((v) => {
        const s = asString(acc.raw(v));
        return s !== undefined && net(s.trim());
      });
      continue;
    }
    // string (or number compared as its text) through the transformations
    let work: Working[] = [{ t: 'str', p: typeof value === 'number' ? literalPieces(text) : parseSigmaString(text) }];
    for (const name of transforms) {
      const next: Working[] = [];
      for (const w of work) {
        const r = TRANSFORMS[name](w);
        if (typeof r === 'string') return fail('BAD_MODIFIER', `${field}|${name}: ${r}`);
        next.push(...r);
      }
      work = next;
    }
    const expansions: Piece[][] = [];
    for (const w of work) {
      if (w.t === 'bytes') return fail('BAD_MODIFIER', `${field}: an encoding modifier must be followed by base64 or base64offset`);
      expansions.push(keyword ? wrap(w.p, true, true) : w.p);
    }
    // the expansions of one value (base64offset, windash) are alternatives: OR, even under `all`
    stringValues.push(expansions);
  }
  if (stringValues.length) {
    // OR over values: one combined test; `all`: one combined test per value
    const groups = join === anyOf ? [stringValues.flat()] : stringValues;
    for (const g of groups) {
      const m = compileAnyOf(g, cased);
      if (keyword) {
        tests.push(cased ? (v) => v.values().some(m) : (v) => v.lowerValues().some(m));
      } else if (cased) {
        tests.push((v) => {
          const s = asString(acc.raw(v));
          return s !== undefined && m(s);
        });
      } else {
        tests.push((v) => {
          const s = acc.lower(v);
          return s !== undefined && m(s);
        });
      }
    }
  }
  const test = join(tests);
  return { ok: true, test: type.has('neq') ? (v) => !test(v) : test };
}
