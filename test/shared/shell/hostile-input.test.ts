// The readers on hostile input: unbalanced quotes and braces, 1 MB lines, deep nesting, backtick
// and caret storms, quote and backslash storms for the argv splitter. None may throw, and time
// must grow linearly: for each shape, reading 4x the input takes under 8x the time of 1x (a linear
// reader takes ~4x, a quadratic one ~16x: the margin both ways survives a shared, loaded machine,
// where 2x against 3x did not; best of a few runs, and up to three tries), and a 1 MB line reads
// within seconds.

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readCommandLine, readScript } from '../../../shared/shell';
import { tokenize } from '../../../shared/shell/ps-tokens';
import { parseScript } from '../../../shared/shell/ps-parse';
import { splitArgv } from '../../../shared/shell/argv';
import { splitCmdLine } from '../../../shared/shell/cmd';
import { readRegFile } from '../../../shared/shell/reg-file';

const SHAPES: Record<string, (n: number) => string> = {
  'unbalanced double quotes': (n) => '"a'.repeat(n),
  'unbalanced single quotes': (n) => "'a".repeat(n),
  'open braces': (n) => '{'.repeat(n),
  'open parentheses': (n) => '('.repeat(n),
  'nested subexpressions in strings': (n) => '"$('.repeat(n),
  'nested closed subexpressions': (n) => '$('.repeat(n) + ')'.repeat(n),
  'backtick storm': (n) => '`'.repeat(n),
  'backtick-quote storm': (n) => '"' + '`"'.repeat(n),
  'caret storm': (n) => 'cmd /c ' + '^'.repeat(n),
  'backslash-quote storm': (n) => 'reg add ' + '\\"'.repeat(n),
  'type brackets': (n) => '['.repeat(n),
  'here-string openers': (n) => '@"\n'.repeat(n),
  'member chain': (n) => '$a' + '.b'.repeat(n),
  'plus chain': (n) => '$a' + '+$a'.repeat(n),
  'variable braces': (n) => '${'.repeat(n),
  'comment openers': (n) => '<#'.repeat(n),
  'nested cmd': (n) => 'cmd /c '.repeat(n) + 'reg add HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run /v x /d y',
  'Set-ItemProperty repeated': (n) => 'Set-ItemProperty HKCU:\\Software\\Microsoft\\Windows\\CurrentVersion\\Run a b;'.repeat(Math.max(1, n >> 6)),
};

/** Read `text` every way the readers are used; never throws. */
function readAll(text: string): void {
  readScript(text);
  readCommandLine(`powershell.exe -Command ${text}`);
  readCommandLine(`cmd.exe /c ${text}`);
  readCommandLine(text);
}

function best(fn: () => void, runs = 5): number {
  let b = Infinity;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn();
    b = Math.min(b, performance.now() - t0);
  }
  return b;
}

describe('hostile input', () => {
  it.each(Object.keys(SHAPES))('reads %s in linear time without throwing', { timeout: 120_000 }, (name) => {
    const make = SHAPES[name];
    // 20,000 units: large enough to show a quadratic reader (400x at 2x), small enough that the
    // token arrays stay in the young generation (old-space collection made 50,000 noisy under load)
    const n = 10_000;
    const small = make(n);
    const big = make(4 * n);
    readAll(small); // warm-up
    let t1 = 0, t2 = Infinity;
    // a floor of 50 ms keeps timer and collector noise on small figures from failing a linear reader
    for (let attempt = 0; attempt < 3 && t2 >= 8 * Math.max(t1, 50); attempt++) {
      t1 = best(() => readAll(small));
      t2 = best(() => readAll(big));
    }
    expect(t2, `${name}: ${t1.toFixed(1)} ms for 1x, ${t2.toFixed(1)} ms for 4x`).toBeLessThan(8 * Math.max(t1, 50));
  });

  it('reads a 1 MB line of each shape within seconds', { timeout: 400_000 }, () => {
    for (const [name, make] of Object.entries(SHAPES)) {
      let line = make(1);
      let n = 1;
      while (line.length < 1 << 20) line = make((n *= 2));
      const t0 = performance.now();
      readAll(line);
      // four readings of the line (script, -Command, cmd /c, bare); nested cmd /c is read 12 levels deep
      expect(performance.now() - t0, name).toBeLessThan(20_000);
    }
  });

  it('never throws on arbitrary text, and reads 4x of any text in under 8x the time (fast-check)', { timeout: 120_000 }, () => {
    const alphabet = fc.constantFrom(...'"\'`$(){}[]@|&;^\\/-:=+,.#<> \nabcHKCU:RunSet-ItemPropertyreg add/v/d%'.split(''));
    fc.assert(
      fc.property(fc.array(alphabet, { minLength: 1, maxLength: 400 }), (chars) => {
        const text = chars.join('');
        readAll(text);
        splitArgv(text);
        splitCmdLine(text);
        readRegFile(text);
        parseScript(tokenize(text));
        const unit = text.repeat(Math.ceil(10_000 / text.length));
        const quad = unit.repeat(4);
        readAll(unit);
        let t1 = 0, t2 = Infinity;
        for (let attempt = 0; attempt < 3 && t2 >= 8 * Math.max(t1, 20); attempt++) {
          t1 = best(() => readAll(unit), 2);
          t2 = best(() => readAll(quad), 2);
        }
        return t2 < 8 * Math.max(t1, 20);
      }),
      { numRuns: 40, seed: 1547 },
    );
  });

  it('keeps the writes it can read in a damaged script and drops the rest', () => {
    const ws = readScript('Set-ItemProperty HKCU:\\Software\\Microsoft\\Windows\\CurrentVersion\\Run -Name a -Value "x.exe"\n$(((( "unclosed\n{{{{');
    expect(ws.map((w) => [w.location?.id, w.valueName, w.data])).toEqual([['run', 'a', 'x.exe']]);
  });
});
