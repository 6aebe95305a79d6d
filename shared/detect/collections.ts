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

/** `fn` with its results cached by argument, for one pass over a case. */
export function memoized(fn: (s: string) => string): (s: string) => string {
  const cache = new Map<string, string>();
  return (s) => {
    let v = cache.get(s);
    if (v === undefined) cache.set(s, (v = fn(s)));
    return v;
  };
}
