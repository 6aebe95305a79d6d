// cmd.exe's reading of a line: its own switches (/c /k /r, /v:on), the quote rule of /c (a first
// quote and the last one are stripped unless the body is one quoted program name), then the body
// cut into simple commands at & && || | and parentheses outside quotes, with ^ escapes removed
// outside quotes and > / >> redirections taken off with their target. `set NAME=value` earlier in
// the line is known to what cmd parses again later: a nested cmd /c, call, and !NAME! with delayed
// expansion; a %NAME% of the same line was expanded before set ran, so it stays as written.
// Linear: one pass per nesting level, which the caller bounds.

export interface Redirect {
  append: boolean;
  target: string;
}

export interface SimpleCommand {
  /** The command text with carets removed, quotes kept (the program splits its own arguments). */
  text: string;
  redirects: Redirect[];
}

export interface CmdBody {
  body: string;
  delayed: boolean;
}

/** cmd's switches up to /c, /k or /r, and the body after it; undefined when there is none (interactive cmd). */
export function cmdBody(rest: string): CmdBody | undefined {
  let i = 0;
  let delayed = false;
  const n = rest.length;
  for (;;) {
    while (i < n && (rest[i] === ' ' || rest[i] === '\t')) i++;
    if (i >= n || rest[i] !== '/') return undefined;
    const c = rest.charAt(i + 1).toLowerCase();
    if (c === 'c' || c === 'k' || c === 'r') {
      let body = rest.slice(i + 2).replace(/^[ \t]+/, '');
      body = stripOuterQuotes(body);
      return { body, delayed };
    }
    let j = i + 1;
    while (j < n && rest[j] !== ' ' && rest[j] !== '\t' && rest[j] !== '/') j++;
    if (/^v:on$/i.test(rest.slice(i + 1, j))) delayed = true;
    i = j;
  }
}

/** `cmd /?`: a quoted body keeps its quotes only when it is one quoted name with a blank and no special character. */
function stripOuterQuotes(body: string): string {
  if (!body.startsWith('"')) return body;
  const last = body.lastIndexOf('"');
  if (last <= 0) return body.slice(1);
  let quotes = 0;
  for (let i = 0; i < body.length && quotes < 3; i++) if (body[i] === '"') quotes++;
  const inner = body.slice(1, last);
  // (rule 1 also asks that the quoted text be an executable file: read off its extension, the
  // only sign the line itself gives; "reg.exe import x.reg" is a command and loses its quotes)
  if (quotes === 2 && /\s/.test(inner) && !/[&<>()@^|]/.test(inner) && /\.(exe|com|bat|cmd)$/i.test(inner) && body.slice(last + 1).trim() === '') return body;
  return body.slice(1, last) + body.slice(last + 1);
}

const SEPARATORS = new Set(['&', '|', '(', ')', '\r', '\n']);

/** Cut a cmd line into simple commands. */
export function splitCmdLine(line: string): SimpleCommand[] {
  const out: SimpleCommand[] = [];
  let text = '';
  let redirects: Redirect[] = [];
  let inQuote = false;
  let depth = 0;
  // the last characters added, kept apart: slicing the end of a growing string would flatten it
  // each time (quadratic on a line of many parentheses)
  let tail = '';
  let head = '';
  const add = (s: string) => {
    text += s;
    tail = (tail + s).slice(-12);
    if (head.length < 6) head = (head + s).slice(0, 6);
  };
  const flush = () => {
    const t = text.trim();
    if (t || redirects.length) out.push({ text: t, redirects });
    text = '';
    tail = '';
    head = '';
    redirects = [];
  };
  const n = line.length;
  for (let i = 0; i < n; i++) {
    const c = line[i];
    if (inQuote) {
      add(c);
      if (c === '"') inQuote = false;
      else if (c === '\n') {
        inQuote = false;
        flush();
      }
      continue;
    }
    if (text === '' && (c === ' ' || c === '\t')) continue; // a command's text starts at its first non-blank
    if (c === '"') {
      inQuote = true;
      add(c);
    } else if (c === '^') {
      if (i + 1 < n) add(line[++i] === '\n' ? '' : line[i]);
    } else if (c === '>' || c === '<') {
      // a handle glued before it (2>, 1>>) belongs to the redirection
      if (/(^|\s)[0-9]$/.test(tail.slice(-2))) text = text.slice(0, -1);
      const append = c === '>' && line[i + 1] === '>';
      if (append) i++;
      if (line[i + 1] === '&') {
        i += 2; // >&1: a handle, not a file
        continue;
      }
      let j = i + 1;
      while (j < n && (line[j] === ' ' || line[j] === '\t')) j++;
      let target = '';
      if (line[j] === '"') {
        const close = line.indexOf('"', j + 1);
        const end = close < 0 ? n : close;
        target = line.slice(j + 1, end);
        j = close < 0 ? n : close + 1;
      } else {
        while (j < n && !/[\s&|<>()]/.test(line[j])) {
          target += line[j] === '^' && j + 1 < n ? line[++j] : line[j];
          j++;
        }
      }
      if (c === '>') redirects.push({ append, target });
      i = j - 1;
    } else if (SEPARATORS.has(c)) {
      if (c === '(') {
        // a parenthesis opens a block only where a command starts: `echo (x)` keeps it
        // (only the head and tail of the text are looked at: a line of many parentheses stays linear)
        if (text !== '' && !/^(if|for|else)\b/i.test(head) && !/\bdo\s*$|\belse\s*$|\)\s*$/i.test(tail)) {
          add(c);
          depth++;
          continue;
        }
        flush();
        depth++;
        continue;
      }
      if (c === ')') {
        if (depth > 0) depth--;
        else {
          add(c);
          continue;
        }
      }
      flush();
      if ((c === '&' || c === '|') && line[i + 1] === c) i++;
    } else add(c);
  }
  flush();
  return out;
}

/** `set NAME=value` / `set "NAME=value"`: the variable it sets; undefined for /a, /p and listings. */
export function cmdSet(text: string): { name: string; value: string } | undefined {
  const m = /^set\s+(.*)$/is.exec(text);
  if (!m) return undefined;
  let arg = m[1].trim();
  if (arg.startsWith('/')) return undefined;
  if (arg.startsWith('"')) {
    const close = arg.lastIndexOf('"');
    arg = close > 0 ? arg.slice(1, close) : arg.slice(1);
  }
  const eq = arg.indexOf('=');
  if (eq <= 0) return undefined;
  return { name: arg.slice(0, eq).toLowerCase(), value: arg.slice(eq + 1) };
}

/** Expand %NAME% (or !NAME! with `bang`) from the known variables; unknown ones stay as written. */
export function expandCmdVars(text: string, vars: ReadonlyMap<string, string>, bang = false): string {
  if (vars.size === 0) return text;
  const mark = bang ? '!' : '%';
  let out = '';
  let i = 0;
  while (i < text.length) {
    const a = text.indexOf(mark, i);
    if (a < 0) break;
    const b = text.indexOf(mark, a + 1);
    if (b < 0) break;
    const name = text.slice(a + 1, b);
    const v = /^[^\s%!]{1,64}$/.test(name) ? vars.get(name.toLowerCase()) : undefined;
    if (v !== undefined) {
      out += text.slice(i, a) + v;
      i = b + 1;
    } else {
      out += text.slice(i, b);
      i = b;
    }
  }
  return out + text.slice(i);
}

/** `if [/i] [not] exist X cmd`, `if a==b cmd`, `if errorlevel 1 cmd`: the command it runs. */
export function ifBody(text: string): string | undefined {
  const m = /^if\s+(?:\/i\s+)?(?:not\s+)?(?:(?:exist|defined|errorlevel|cmdextversion)\s+("[^"]*"|\S+)|("[^"]*"|[^\s=]+)\s*(?:==|\s(?:equ|neq|lss|leq|gtr|geq)\s)\s*("[^"]*"|\S+))\s+(.*)$/is.exec(text);
  return m ? m[4] : undefined;
}
