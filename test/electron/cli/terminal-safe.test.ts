// Terminal output is inert: evidence names files, archive members and fields, and what the CLI
// prints of them to stderr must not reach the terminal as control sequences (erase the line, move
// the cursor, set the window title, reorder the text after it).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { zipSync } from 'fflate';
import { terminalSafe, terminalSafeLines } from '../../../electron/cli/terminal-safe';
import { progressLine } from '../../../electron/cli/progress-line';
import { runScanCaptured } from './run-scan';
import { runBin } from './run-bin';

/** Any C0 (but the newline ending each line), DEL, C1 or bidi control: what must not reach a terminal. */
function rawControls(text: string): string[] {
  const found: string[] = [];
  for (const ch of text) {
    const c = ch.codePointAt(0) ?? 0;
    if ((c < 0x20 && c !== 0x0a) || (c >= 0x7f && c <= 0x9f) || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069)) found.push(`U+${c.toString(16)}`);
  }
  return found;
}

// ESC[2K erases the line, ESC[1A moves up, OSC 0 sets the title (ended by BEL), U+202E reverses what follows
const HOSTILE_MEMBER = 'logs/\x1b[2K\x1b[1A\x1b]0;owned\x07ok\u202Etxt.evtx';

function hostileZip(): { dir: string; zip: string } {
  const dir = mkdtempSync(join(tmpdir(), 'rkh-ansi-'));
  const zip = join(dir, 'evidence.zip');
  // not a format the tool reads: the member is named in an UNKNOWN_FORMAT problem on stderr
  writeFileSync(zip, zipSync({ [HOSTILE_MEMBER]: new TextEncoder().encode('neither EVTX nor text '.repeat(20)) }));
  return { dir, zip };
}

describe('terminalSafe', () => {
  it('shows C0, DEL and C1 controls as \\xNN and bidi overrides and isolates as \\u{...}', () => {
    expect(terminalSafe('a\x1b[2Kb')).toBe('a\\x1b[2Kb');
    expect(terminalSafe('\x00\x07\x08\t\n\r\x7f')).toBe('\\x00\\x07\\x08\\x09\\x0a\\x0d\\x7f');
    expect(terminalSafe('\x80\x9b31m\x9d0;t\x9c')).toBe('\\x80\\x9b31m\\x9d0;t\\x9c');
    expect(terminalSafe('\u202A\u202B\u202C\u202D\u202E\u2066\u2067\u2068\u2069')).toBe('\\u{202A}\\u{202B}\\u{202C}\\u{202D}\\u{202E}\\u{2066}\\u{2067}\\u{2068}\\u{2069}');
    expect(terminalSafe('a\u2028b\u2029c')).toBe('a\\u{2028}b\\u{2029}c');
  });

  it('leaves printable text alone, backslashes and letters outside ASCII included', () => {
    const s = 'HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run: Ünïcödé 中文 \u00a0\u00ff \u{1F600} \u2027\u202f\u2065\u206a';
    expect(terminalSafe(s)).toBe(s);
  });

  it('keeps the newlines of multi-line text and escapes the rest', () => {
    expect(terminalSafeLines("error: unknown option '\x1b]0;x\x07'\n")).toBe("error: unknown option '\\x1b]0;x\\x07'\n");
  });

  it('makes the progress line safe: only its own carriage returns reach the terminal', () => {
    const writes: string[] = [];
    const tty = { isTTY: true, columns: 200, write: (s: string) => (writes.push(s), true) } as unknown as NodeJS.WriteStream;
    const p = progressLine(tty);
    p.update(`evidence.zip!${HOSTILE_MEMBER}: 1 KiB / 2 KiB`);
    p.done();
    const out = writes.join('');
    expect(out).toContain('\\x1b[2K\\x1b[1A\\x1b]0;owned\\x07ok\\u{202E}txt.evtx');
    expect(rawControls(out.replaceAll('\r', ''))).toEqual([]);
  });
});

describe('CLI stderr with a hostile archive member name', () => {
  it('scan shows the member name escaped, with no control character on stderr', async () => {
    const { zip } = hostileZip();
    const r = await runScanCaptured([zip]);
    expect(r.code).toBe(2); // the member cannot be read: an error, as before
    expect(r.err).toContain('UNKNOWN_FORMAT');
    expect(r.err).toContain('logs/\\x1b[2K\\x1b[1A\\x1b]0;owned\\x07ok\\u{202E}txt.evtx');
    expect(rawControls(r.err)).toEqual([]);
  });

  it('events (the real bin) shows it escaped too, and a hostile file name as well', async () => {
    const { dir, zip } = hostileZip();
    const named = join(dir, 'x\x1b]0;title\x07.evtx');
    writeFileSync(named, 'junk that is no evidence format at all');
    const r = await runBin(['events', zip, named]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('logs/\\x1b[2K\\x1b[1A\\x1b]0;owned\\x07ok\\u{202E}txt.evtx');
    expect(r.stderr).toContain('x\\x1b]0;title\\x07.evtx');
    expect(rawControls(r.stderr)).toEqual([]);
  }, 60_000);
});
