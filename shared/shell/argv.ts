// CommandLineToArgvW's rules, the ones every Windows program built on the C runtime uses to split
// its command line (reg.exe, powershell.exe, wmic ...). argv[0] is special: it runs to the next
// blank, or between quotes with no backslash processing. For the others: 2n backslashes before a
// quote give n and the quote toggles quoting; 2n+1 give n and a literal quote; a run of quotes
// inside quoting follows the undocumented "three quotes make one" rule (Wine's reading of
// shell32). Linear, never throws; an unclosed quote runs to the end of the line.

export interface SplitArgv {
  program: string;
  args: string[];
  /** Offset in the line where each argument starts (so a caller can take the raw rest). */
  starts: number[];
  /** Offset just past argv[0]. */
  programEnd: number;
}

const isBlank = (c: string) => c === ' ' || c === '\t' || c === '\r' || c === '\n';

/** The program name as argv[0] reads it, and where the arguments start. */
export function splitProgram(line: string): { program: string; end: number } {
  let i = 0;
  while (i < line.length && isBlank(line[i])) i++;
  let program: string;
  if (line[i] === '"') {
    const close = line.indexOf('"', i + 1);
    const end = close < 0 ? line.length : close;
    program = line.slice(i + 1, end);
    i = close < 0 ? line.length : close + 1;
    // "C:\a b"\c.exe: argv[0] is the quoted part joined with what follows up to a blank
    let j = i;
    while (j < line.length && !isBlank(line[j])) j++;
    program += line.slice(i, j);
    i = j;
  } else {
    const start = i;
    while (i < line.length && !isBlank(line[i])) i++;
    program = line.slice(start, i);
  }
  return { program, end: i };
}

/** Split the arguments of `line` from offset `from` (no argv[0] rule). */
export function splitArgs(line: string, from = 0): { args: string[]; starts: number[] } {
  const args: string[] = [];
  const starts: number[] = [];
  let i = from;
  const n = line.length;
  while (i < n) {
    while (i < n && (line[i] === ' ' || line[i] === '\t')) i++;
    if (i >= n) break;
    starts.push(i);
    // characters in an array: dropping the backslashes before a quote must not copy the argument
    const out: string[] = [];
    let bcount = 0;
    let qcount = 0;
    for (; i < n; i++) {
      const c = line[i];
      if ((c === ' ' || c === '\t') && qcount === 0) break;
      if (c === '\\') {
        out.push(c);
        bcount++;
      } else if (c === '"') {
        if (bcount % 2 === 0) {
          out.length -= bcount / 2;
          qcount++;
        } else {
          out.length -= (bcount + 1) / 2;
          out.push('"');
        }
        bcount = 0;
        while (i + 1 < n && line[i + 1] === '"') {
          i++;
          if (++qcount === 3) {
            out.push('"');
            qcount = 0;
          }
        }
        if (qcount === 2) qcount = 0;
      } else {
        out.push(c);
        bcount = 0;
      }
    }
    args.push(out.join(''));
  }
  return { args, starts };
}

export function splitArgv(line: string): SplitArgv {
  const { program, end } = splitProgram(line);
  const { args, starts } = splitArgs(line, end);
  return { program, args, starts, programEnd: end };
}

/** The lower-case file name of a program path without .exe / .com: C:\Windows\System32\REG.EXE -> reg. */
export function programBaseName(program: string): string {
  const slash = Math.max(program.lastIndexOf('\\'), program.lastIndexOf('/'));
  let base = program.slice(slash + 1).toLowerCase();
  if (base.endsWith('.exe') || base.endsWith('.com')) base = base.slice(0, -4);
  return base;
}

/** Quote an argument the way a caller building a command line for CommandLineToArgvW must. */
export function quoteArg(arg: string): string {
  if (arg !== '' && !/[\s"]/.test(arg)) return arg;
  let out = '"';
  let bs = 0;
  for (const c of arg) {
    if (c === '\\') {
      bs++;
      continue;
    }
    out += c === '"' ? '\\'.repeat(bs * 2 + 1) + '"' : '\\'.repeat(bs) + c;
    bs = 0;
  }
  return out + '\\'.repeat(bs * 2) + '"';
}
