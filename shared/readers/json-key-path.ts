// Names the member a position of a JSON item's text belongs to, for a warning about a value the
// splitter cut (json-splitter.ts): the keys of the enclosing objects, outermost first, joined by
// dots ("winlog.event_data.ScriptBlockText"); array levels add no name. Runs only when a value was
// cut, over the item as kept (so bounded by the item limit). Damaged text gives a partial path,
// never an error: the name is for a message.

/** The key path of the value whose first character is at `at` in `text` ("value" when it has none). */
export function jsonKeyPathAt(text: string, at: number): string {
  // per open container, the key of the member being read (undefined in arrays and before a ':')
  const keys: Array<string | undefined> = [];
  let strStart = -1;
  let strEnd = -1;
  let i = 0;
  const end = Math.min(at, text.length);
  while (i < end) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      let j = i + 1;
      for (;;) {
        j = text.indexOf('"', j);
        if (j < 0 || j >= end) return named(keys);
        let k = j - 1;
        while (text.charCodeAt(k) === 0x5c) k--;
        if ((j - 1 - k) % 2 === 0) break; // not an escaped quote
        j++;
      }
      strStart = i + 1;
      strEnd = j;
      i = j + 1;
      continue;
    }
    if (c === 0x3a && keys.length > 0) keys[keys.length - 1] = strEnd - strStart <= 256 ? text.slice(strStart, strEnd) : '…';
    else if (c === 0x2c && keys.length > 0) keys[keys.length - 1] = undefined;
    else if (c === 0x7b || c === 0x5b) keys.push(undefined);
    else if (c === 0x7d || c === 0x5d) keys.pop();
    i++;
  }
  return named(keys);
}

function named(keys: ReadonlyArray<string | undefined>): string {
  const path = keys.filter((k): k is string => k !== undefined).join('.');
  return path === '' ? 'value' : path;
}
