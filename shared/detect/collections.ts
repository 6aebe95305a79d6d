// Small collection helpers the detection and export stages share: a multimap push, an ordered
// set-union into an array (ATT&CK id lists keep their first-seen order, T1547.001 first), and a
// per-call memo for string keys (host and key forms computed once per distinct input).

/** Append `v` to the list under `k`, creating it. */
export function pushTo<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const a = m.get(k);
  if (a) a.push(v);
  else m.set(k, [v]);
}

/** Append each item not already in `list` (in order); returns `list`. */
export function addUnique<T>(list: T[], items: Iterable<T>): T[] {
  for (const x of items) if (!list.includes(x)) list.push(x);
  return list;
}

/**
 * A small cache for values computed from strings that repeat but arrive as fresh string objects (a
 * log's command lines, paths, users, registry keys). A Map hashes every character of every lookup
 * string, which costs about as much as the work it would save; this picks a slot pair from the
 * length and a few sampled characters and confirms a hit by string equality (a memory compare).
 * Strings alike in length and in those characters (keys that differ only in a user's SID, command
 * lines that differ only in one argument) share a pair: it holds the two last used, so two that
 * alternate both stay (direct-mapped, they evicted each other on every lookup: a tenth of a log's
 * command lines and a quarter of its registry keys were worked out again). Memory stays bounded.
 */
export class StringCache<V> {
  private readonly keys: (string | undefined)[];
  private readonly vals: (V | undefined)[];
  private readonly mask: number;

  constructor(bits = 12) {
    this.keys = new Array<string | undefined>(1 << bits).fill(undefined);
    this.vals = new Array<V | undefined>(1 << bits).fill(undefined);
    // pairs: an even slot (the last used) and the odd one after it
    this.mask = (1 << bits) - 2;
  }

  /** The value cached for `s`, or `make(s)` (then cached). */
  get(s: string, make: (s: string) => V): V {
    const keys = this.keys;
    const vals = this.vals;
    const i = this.slot(s);
    if (keys[i] === s) return vals[i] as V;
    const v = keys[i + 1] === s ? (vals[i + 1] as V) : make(s);
    // s becomes the pair's last used, the other moves to second
    keys[i + 1] = keys[i];
    vals[i + 1] = vals[i];
    keys[i] = s;
    vals[i] = v;
    return v;
  }

  private slot(s: string): number {
    const n = s.length;
    if (n === 0) return 0;
    let h = n;
    h = Math.imul(h ^ s.charCodeAt(n - 1), 0x9e3779b1);
    h = Math.imul(h ^ s.charCodeAt(n >> 1), 0x9e3779b1);
    h = Math.imul(h ^ s.charCodeAt(n >> 2), 0x9e3779b1);
    h = Math.imul(h ^ s.charCodeAt(n >> 3), 0x9e3779b1);
    h = Math.imul(h ^ s.charCodeAt((3 * n) >> 2), 0x9e3779b1);
    h = Math.imul(h ^ s.charCodeAt((3 * n) >> 3), 0x9e3779b1);
    h = Math.imul(h ^ s.charCodeAt((5 * n) >> 3), 0x9e3779b1);
    h = Math.imul(h ^ s.charCodeAt((7 * n) >> 3), 0x9e3779b1);
    return (h ^ (h >>> 15)) & this.mask;
  }
}

/** `fn` with its results cached by argument, for one pass over a case. */
export function memoized(fn: (s: string) => string): (s: string) => string {
  const cache = new Map<string, string>();
  return (s) => {
    let v = cache.get(s);
    if (v === undefined) cache.set(s, (v = fn(s)));
    return v;
  };
}
