// Finds which of many needles occur in a string with one pass over the string: needles are keyed
// by their first three UTF-16 units (a 48-bit number), so each position costs one Map lookup and
// only the needles sharing those three units are compared. Needles must be at least 3 units long.

export class NeedleIndex<T> {
  private readonly byPrefix = new Map<number, { needle: string; items: T[] }[]>();
  private readonly byNeedle = new Map<string, T[]>();
  size = 0;

  add(needle: string, item: T): void {
    if (needle.length < 3) throw new RangeError('needle shorter than 3 units');
    let items = this.byNeedle.get(needle);
    if (!items) {
      items = [];
      this.byNeedle.set(needle, items);
      const key = prefixKey(needle, 0);
      const list = this.byPrefix.get(key);
      const slot = { needle, items };
      if (list) list.push(slot);
      else this.byPrefix.set(key, [slot]);
      this.size++;
    }
    items.push(item);
  }

  /** Calls `found` with the items of every needle that occurs in `value` (once per needle). */
  find(value: string, found: (items: readonly T[]) => void): void {
    const end = value.length - 2;
    if (end <= 0) return;
    let seen: Set<string> | undefined;
    for (let i = 0; i < end; i++) {
      const list = this.byPrefix.get(prefixKey(value, i));
      if (!list) continue;
      for (const slot of list) {
        if (!value.startsWith(slot.needle, i)) continue;
        seen ??= new Set();
        if (seen.has(slot.needle)) continue;
        seen.add(slot.needle);
        found(slot.items);
      }
    }
  }
}

function prefixKey(s: string, i: number): number {
  return s.charCodeAt(i) * 4294967296 + s.charCodeAt(i + 1) * 65536 + s.charCodeAt(i + 2);
}
