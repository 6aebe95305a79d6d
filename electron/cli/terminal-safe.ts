// Text the CLI prints to a terminal is inert: evidence decides file names, archive member names,
// record fields and reader messages, and a member named "\x1b[2K\x1b]0;title\x07" would otherwise
// erase the line, move the cursor or set the window title of the analyst's terminal. Every line the
// CLI writes to stderr goes through terminalSafe (the `say` of each command, the progress line,
// commander's own messages); NDJSON / JSON on stdout is JSON-escaped already and is left alone.
// Escaped, as visible text: C0 (U+0000-U+001F, tab and newline included: one message stays one
// line), DEL, C1 (U+0080-U+009F: 0x9B is CSI and 0x9D OSC on terminals that take 8-bit controls)
// as \xNN, the bidi embeddings / overrides / isolates (U+202A-U+202E, U+2066-U+2069), which
// reorder what is shown after them, and the line / paragraph separators (U+2028, U+2029), which
// some terminals and log viewers break lines at, as \u{NNNN}. A backslash is not doubled: registry keys and
// Windows paths are full of them, and the output is for reading, not for parsing back.

/** True for the code units terminalSafe escapes. */
function unsafe(c: number): boolean {
  return c < 0x20 || (c >= 0x7f && c <= 0x9f) || (c >= 0x2028 && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069);
}

function escapeUnit(c: number): string {
  return c <= 0xff ? `\\x${c.toString(16).padStart(2, '0')}` : `\\u{${c.toString(16).toUpperCase()}}`;
}

/** `s` with every terminal control and bidi override shown as an escape; `s` itself when it has none. */
export function terminalSafe(s: string): string {
  let i = 0;
  // most lines have nothing to escape: no copy for them
  while (i < s.length && !unsafe(s.charCodeAt(i))) i++;
  if (i === s.length) return s;
  let out = s.slice(0, i);
  for (; i < s.length; i++) {
    const c = s.charCodeAt(i);
    out += unsafe(c) ? escapeUnit(c) : s[i];
  }
  return out;
}

/** Multi-line text (commander's help and errors) made safe line by line, its newlines kept. */
export function terminalSafeLines(text: string): string {
  return text.split('\n').map(terminalSafe).join('\n');
}

/** A `say(line)` writing `runkey-hunter: <line>` to `stream`, the line made terminal-safe. */
export function stderrSay(stream: NodeJS.WritableStream): (line: string) => void {
  return (line) => {
    stream.write(`runkey-hunter: ${terminalSafe(line)}\n`);
  };
}
