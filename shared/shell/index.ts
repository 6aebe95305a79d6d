// Reading command lines and PowerShell as the shells do (issue #19): the entry points.
//   readCommandLine(line): a process start's command line, dispatched on its program.
//   readScript(text): a PowerShell script's text (a 4104 script block, a decoded -EncodedCommand).
// Both are pure, linear in the input and bounded in nesting; odd input yields fewer facts, never a
// throw. Nothing is cached here: callers on a hot path cache (shared/detect/command-line.ts).

import { newContext, readLine, readScriptText } from './read-line';
import type { CommandLineWrite } from './types';

export type { CommandLineWrite } from './types';

export interface CommandLineReading {
  writes: CommandLineWrite[];
  /** The PowerShell texts the line runs (decoded -EncodedCommand, -Command), outermost first. */
  scripts: string[];
}

/** Same write reported twice (the same key, name and data, or the same file): once. */
function dedupe(ws: CommandLineWrite[]): CommandLineWrite[] {
  const seen = new Set<string>();
  const out: CommandLineWrite[] = [];
  for (const w of ws) {
    const k = [w.kind, w.registryKey?.toLowerCase(), w.valueName?.toLowerCase(), w.data, w.targetFile?.toLowerCase(), w.appended].join('\0');
    if (seen.has(k)) continue;
    seen.add(k);
    out.push(w);
  }
  return out;
}

export function readCommandLine(commandLine: string): CommandLineReading {
  const ctx = newContext();
  const writes = dedupe(readLine(commandLine, ctx));
  return { writes, scripts: ctx.scripts };
}

export function readScript(scriptText: string): CommandLineWrite[] {
  return dedupe(readScriptText(scriptText, newContext()));
}
