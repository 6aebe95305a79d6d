// Values of the PowerShell evaluator. A string is a list of segments, each known text or an
// unknown (with what it came from: a registry read, an unset variable ...), so that a value built
// from a known part and an unknown one keeps both apart and nothing unknown is ever rendered as text.

import type { Stmt } from './ps-parse';

export type Seg = string | { unknown: string; read?: string };

export type Value =
  | { t: 'str'; segs: Seg[] }
  | { t: 'num'; n: number }
  | { t: 'bool'; b: boolean }
  | { t: 'null' }
  | { t: 'arr'; items: Value[] }
  | { t: 'hash'; map: Map<string, Value> }
  | { t: 'block'; body: Stmt[] }
  | { t: 'bytes'; bytes: Uint8Array }
  | { t: 'type'; name: string }
  /** COM / .NET objects the writes go through: wscript.shell, net.webclient, regkey, shortcut, stdregprov, encoding, regvalues ... */
  | { t: 'obj'; cls: string; props: Map<string, Value> }
  | { t: 'unknown'; why: string; read?: string };

export const NULL: Value = { t: 'null' };

export const S = (s: string): Value => ({ t: 'str', segs: s === '' ? [] : [s] });
export const U = (why: string, read?: string): Value => (read === undefined ? { t: 'unknown', why } : { t: 'unknown', why, read });
export const obj = (cls: string, props: Record<string, Value> = {}): Value => ({ t: 'obj', cls, props: new Map(Object.entries(props)) });

/** The value as string segments, as PowerShell converts it to a string ($OFS ' ' between array items). */
export function segsOf(v: Value): Seg[] {
  switch (v.t) {
    case 'str':
      return v.segs;
    case 'num':
      return [String(v.n)];
    case 'bool':
      return [v.b ? 'True' : 'False'];
    case 'null':
      return [];
    case 'arr': {
      const out: Seg[] = [];
      v.items.forEach((x, i) => {
        if (i > 0) out.push(' ');
        for (const s of segsOf(x)) out.push(s);
      });
      return out;
    }
    case 'unknown':
      return [v.read === undefined ? { unknown: v.why } : { unknown: v.why, read: v.read }];
    default:
      return [{ unknown: v.t }];
  }
}

export function strOf(v: Value): Value {
  return v.t === 'str' ? v : { t: 'str', segs: segsOf(v) };
}

/** Join segments, merging adjacent known text. */
export function joinSegs(parts: Seg[][]): Value {
  const out: Seg[] = [];
  for (const p of parts) {
    for (const s of p) {
      if (typeof s === 'string') {
        if (s === '') continue;
        const last = out[out.length - 1];
        if (typeof last === 'string') out[out.length - 1] = last + s;
        else out.push(s);
      } else out.push(s);
    }
  }
  return { t: 'str', segs: out };
}

/** The whole text when every part of it is known, else undefined. */
export function textOf(v: Value | undefined): string | undefined {
  if (v === undefined) return undefined;
  if (v.t === 'type' || v.t === 'obj' || v.t === 'block' || v.t === 'hash' || v.t === 'bytes' || v.t === 'unknown') return undefined;
  let out = '';
  for (const s of segsOf(v)) {
    if (typeof s !== 'string') return undefined;
    out += s;
  }
  return out;
}

export function itemsOf(v: Value): Value[] {
  return v.t === 'arr' ? v.items : [v];
}

export function truthy(v: Value): boolean | undefined {
  switch (v.t) {
    case 'bool':
      return v.b;
    case 'null':
      return false;
    case 'num':
      return v.n !== 0;
    case 'str': {
      const t = textOf(v);
      return t === undefined ? undefined : t !== '';
    }
    case 'unknown':
      return undefined;
    default:
      return true;
  }
}
