// The text of a .reg file (REGEDIT4 / "Windows Registry Editor Version 5.00"): [key] sections and
// "name"="string", @="default", "name"=hex(2):.. (expand string, UTF-16LE), hex(7) (multi string),
// dword:, and deletions ([-key], "name"=-) which write nothing. Lines continued with a trailing
// backslash are joined. A line that does not parse is skipped; never throws; linear.

export interface RegFileValue {
  key: string;
  valueName: string;
  /** The data as text (strings, decoded hex(1)/hex(2)/hex(7), dword as decimal); undefined for other binary. */
  data: string | undefined;
}

function unescapeRegString(s: string, from: number): { text: string; end: number } | undefined {
  let out = '';
  for (let i = from; i < s.length; i++) {
    const c = s[i];
    if (c === '\\' && i + 1 < s.length) {
      out += s[++i];
    } else if (c === '"') return { text: out, end: i + 1 };
    else out += c;
  }
  return undefined;
}

function hexBytes(list: string): number[] {
  const out: number[] = [];
  for (const part of list.split(',')) {
    const t = part.trim();
    if (!t) continue;
    const b = parseInt(t, 16);
    if (!Number.isFinite(b) || b < 0 || b > 255) return out;
    out.push(b);
  }
  return out;
}

function utf16(bytes: number[]): string {
  let s = '';
  for (let i = 0; i + 1 < bytes.length; i += 2) s += String.fromCharCode(bytes[i] | (bytes[i + 1] << 8));
  return s;
}

function valueData(rest: string): string | undefined {
  const r = rest.trim();
  if (r.startsWith('"')) return unescapeRegString(r, 1)?.text;
  const lower = r.toLowerCase();
  if (lower.startsWith('dword:')) {
    const n = parseInt(r.slice(6), 16);
    return Number.isFinite(n) ? String(n) : undefined;
  }
  const m = /^hex\(([0-9a-f]+)\):/.exec(lower);
  if (m) {
    const type = parseInt(m[1], 16);
    const bytes = hexBytes(r.slice(m[0].length));
    if (type === 1 || type === 2) return utf16(bytes).replace(/\0+$/, '');
    if (type === 7) return utf16(bytes).replace(/\0+$/, '').split('\0').join('\n');
    return undefined;
  }
  return undefined;
}

export function readRegFile(text: string): RegFileValue[] {
  const out: RegFileValue[] = [];
  // join continuation lines (hex data wrapped at 80 columns ends them with a backslash)
  const lines: string[] = [];
  let acc = '';
  for (const raw of text.replace(/^\uFEFF/, '').split(/\r?\n/)) {
    const t = raw.replace(/\s+$/, '');
    // only hex data is wrapped: a string value ends with its closing quote
    if (t.endsWith('\\') && (acc !== '' || /=\s*hex/i.test(t))) {
      acc += t.slice(0, -1).trim();
      continue;
    }
    lines.push(acc + (acc ? t.trim() : t));
    acc = '';
  }
  if (acc) lines.push(acc);
  let key: string | undefined;
  for (const line of lines) {
    const t = line.trim();
    if (t.startsWith('[')) {
      const close = t.lastIndexOf(']');
      const inner = close > 0 ? t.slice(1, close) : '';
      key = inner && !inner.startsWith('-') ? inner : undefined;
      continue;
    }
    if (key === undefined || t === '' || t.startsWith(';')) continue;
    let name: string | undefined;
    let after: number;
    if (t.startsWith('@')) {
      name = '(Default)';
      after = 1;
    } else if (t.startsWith('"')) {
      const s = unescapeRegString(t, 1);
      if (!s) continue;
      name = s.text;
      after = s.end;
    } else continue;
    const eq = t.indexOf('=', after);
    if (eq < 0 || t.slice(after, eq).trim() !== '') continue;
    const rest = t.slice(eq + 1).trim();
    if (rest === '-') continue; // deletion
    out.push({ key, valueName: name, data: valueData(rest) });
  }
  return out;
}
