// The dispatcher: a command line is its program's to read. argv[0] picks the reader (cmd, the
// PowerShell hosts, reg, regedit, secedit, wmic, mshta, rundll32, the script hosts, the file
// copiers); each reads its own arguments and hands any command line it runs back here, so
// cmd /c powershell -enc ... cmd /c reg add ... is read to the end, MAX_NESTING levels deep at most.
// Context that outlives one command (cmd's set variables, files written earlier, secedit's last
// /cfg) travels in ReadContext.

import { programBaseName, splitArgs, splitProgram } from './argv';
import { cmdBody, cmdSet, expandCmdVars, ifBody, splitCmdLine } from './cmd';
import { readPowerShellLaunch } from './powershell-launch';
import { regExeWrites, regeditWrites, seceditWrites } from './reg-exe';
import { wmicWrites } from './wmic';
import { inlineScript, scriptFileWrites, scriptHostWrites } from './wscript-mshta';
import { startupFileWrite } from './locate';
import { parseScript } from './ps-parse';
import { tokenize } from './ps-tokens';
import { evaluateScript } from './ps-evaluate';
import type { CommandLineWrite } from './types';
import { MAX_NESTING } from './types';

export interface ReadContext {
  depth: number;
  /** Lower-case path -> text of files written earlier in the same line or script. */
  files: Map<string, string>;
  cmdVars: Map<string, string>;
  lastCfg?: string;
  /** PowerShell script texts met (decoded -EncodedCommand, -Command), in order. */
  scripts: string[];
}

export function newContext(): ReadContext {
  return { depth: 0, files: new Map(), cmdVars: new Map(), scripts: [] };
}

const isSwitch = (a: string) => a.length > 1 && (a[0] === '/' || a[0] === '-');

/** The destination a file copier / downloader writes (and its source), read off its arguments. */
function copierWrite(base: string, args: string[]): CommandLineWrite | undefined {
  const plain = args.filter((a) => !isSwitch(a));
  const lower = args.map((a) => a.toLowerCase());
  let src: string | undefined;
  let dest: string | undefined;
  switch (base) {
    case 'copy':
    case 'move':
    case 'xcopy':
    case 'replace':
    case 'expand':
      // copy a + b dest: the last plain argument is the destination
      if (plain.length >= 2) {
        src = plain[0];
        dest = plain[plain.length - 1];
      }
      break;
    case 'robocopy':
      if (plain.length >= 2) {
        dest = plain[1];
        src = plain[2];
      }
      break;
    case 'mklink':
      dest = plain[0];
      src = plain[1];
      break;
    case 'bitsadmin':
      if (lower.includes('/transfer') || lower.includes('/addfile')) {
        dest = plain[plain.length - 1];
        src = plain[plain.length - 2];
      }
      break;
    case 'certutil':
      if (lower.some((a) => a === '-urlcache' || a === '/urlcache' || a === '-decode' || a === '-decodehex' || a === '/decode')) {
        dest = plain[plain.length - 1];
        src = plain[plain.length - 2];
      }
      break;
    case 'curl': {
      const o = lower.findIndex((a) => a === '-o' || a === '--output');
      if (o >= 0) dest = args[o + 1];
      break;
    }
    case 'esentutl': {
      const d = lower.indexOf('/d');
      const y = lower.indexOf('/y');
      if (d >= 0) dest = args[d + 1];
      if (y >= 0) src = args[y + 1];
      break;
    }
  }
  return dest === undefined ? undefined : startupFileWrite(dest, base, src);
}

/** A PowerShell script's writes (the script text itself, as the 4104 reader will have it). */
export function readScriptText(script: string, ctx: ReadContext): CommandLineWrite[] {
  ctx.scripts.push(script);
  const stmts = parseScript(tokenize(script));
  return evaluateScript(stmts, {
    depth: ctx.depth,
    files: ctx.files,
    readLine: (line, depth) => readLine(line, { ...ctx, depth }),
  });
}

/** The body of cmd /c (or a whole batch line): each simple command in turn. */
export function readCmdBody(body: string, delayed: boolean, ctx: ReadContext): CommandLineWrite[] {
  const out: CommandLineWrite[] = [];
  for (const c of splitCmdLine(body)) {
    const text = delayed ? expandCmdVars(c.text, ctx.cmdVars, true) : c.text;
    const set = cmdSet(text);
    if (set) {
      ctx.cmdVars.set(set.name, set.value);
      continue;
    }
    for (const r of c.redirects) {
      // echo X > file: the file holds X (a .reg / .vbs read later in the line, or a Startup script)
      const echo = /^echo[\s.]/i.exec(text) ? text.slice(5) : undefined;
      if (echo !== undefined) {
        const k = r.target.toLowerCase();
        ctx.files.set(k, r.append ? (ctx.files.get(k) ?? '') + echo + '\r\n' : echo + '\r\n');
      }
      const w = startupFileWrite(r.target, r.append ? 'cmd >>' : 'cmd >', undefined, echo?.trim());
      if (w) out.push(w);
    }
    if (text) for (const w of readLine(text, ctx)) out.push(w);
  }
  return out;
}

/** Every write one command line makes, read as its program reads it. */
export function readLine(line: string, ctx: ReadContext): CommandLineWrite[] {
  if (ctx.depth > MAX_NESTING) return [];
  const { program, end } = splitProgram(line);
  const base = programBaseName(program);
  const rest = line.slice(end);
  const inner = { ...ctx, depth: ctx.depth + 1 };
  switch (base) {
    case 'cmd': {
      // what the parent cmd set is in this cmd's environment
      const b = cmdBody(expandCmdVars(rest, ctx.cmdVars));
      return b ? readCmdBody(b.body, b.delayed, inner) : [];
    }
    case 'call':
      return readLine(expandCmdVars(rest.trim(), ctx.cmdVars), inner);
    case 'start': {
      // start ["title"] [/b /min /wait /d dir ...] command
      let r = rest.trim();
      if (r.startsWith('"')) {
        const close = r.indexOf('"', 1);
        r = close < 0 ? '' : r.slice(close + 1).trim();
      }
      for (;;) {
        const m = /^\/(d|node|affinity)\s+("[^"]*"|\S+)\s*|^\/[a-z]+\s*/i.exec(r);
        if (!m) break;
        r = r.slice(m[0].length);
      }
      return readLine(r, inner);
    }
    case 'if': {
      const b = ifBody(line.trim());
      return b === undefined ? [] : readLine(b, inner);
    }
    case 'powershell':
    case 'pwsh':
    case 'powershell_ise': {
      const launch = readPowerShellLaunch(rest, base === 'pwsh' ? 'pwsh' : 'powershell');
      return launch.script === undefined ? [] : readScriptText(launch.script, inner);
    }
    case 'reg':
      return regExeWrites(splitArgs(rest).args, ctx.files, line.trim());
    case 'regedit':
    case 'regedt32':
      return regeditWrites(splitArgs(rest).args, ctx.files);
    case 'secedit': {
      const r = seceditWrites(splitArgs(rest).args, ctx.lastCfg, line);
      if (r.cfg !== undefined) ctx.lastCfg = r.cfg;
      return r.writes;
    }
    case 'wmic':
      return wmicWrites(splitArgs(rest).args, line.trim());
    case 'mshta':
    case 'rundll32': {
      const s = inlineScript(rest);
      return s ? scriptHostWrites(s.script, s.lang) : [];
    }
    case 'cscript':
    case 'wscript':
      return scriptFileWrites(splitArgs(rest).args, ctx.files);
    case 'copy':
    case 'move':
    case 'xcopy':
    case 'robocopy':
    case 'replace':
    case 'expand':
    case 'mklink':
    case 'bitsadmin':
    case 'certutil':
    case 'curl':
    case 'esentutl': {
      const w = copierWrite(base, splitArgs(rest).args);
      return w ? [w] : [];
    }
    default:
      return [];
  }
}
