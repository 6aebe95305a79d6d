// PowerShell's own logs as evidence of autostart writes. A 4104 script block (its parts joined by
// ScriptBlockId, MessageNumber / MessageTotal), a 4103 / 800 pipeline's bound parameters, and the
// HostApplication command line of the classic 400 / 800 records each say what PowerShell ran;
// this module reads the writes out of them. Script text is read by the shell reader (shared/shell
// readScript) through one adapter, scriptWrites(). Nothing here throws on odd text: it finds fewer
// writes.

import type { ScriptEvent } from '../model/events';
import { commandLineWrites, type CommandLineWrite } from './command-line';
import { readScript } from '../shell';
import { moduleLoggingWrites } from './module-logging';

/** Where in a PowerShell log record a write was read. */
export type ScriptOrigin = 'script-block' | 'module-logging' | 'host-application';

export interface ScriptWrite {
  write: CommandLineWrite;
  origin: ScriptOrigin;
}

/** Script text read whole; a longer one (a pathological joined block) is read up to here. */
const MAX_SCRIPT_CHARS = 4 * 1024 * 1024;

/**
 * The autostart writes a PowerShell script makes, read by the shell reader (shared/shell
 * readScript: tokenized, variables and expressions evaluated as far as they are known).
 */
export function scriptWrites(text: string | undefined): readonly CommandLineWrite[] {
  if (!text) return [];
  return readScript(text.length > MAX_SCRIPT_CHARS ? text.slice(0, MAX_SCRIPT_CHARS) : text);
}

const CLASSIC_IDS = new Set([400, 800]);

/** A 4104 part that needs its siblings before it can be read (the block has more than one part). */
export function isPartialBlock(ev: ScriptEvent): boolean {
  return ev.eventId === 4104 && ev.messageTotal !== undefined && ev.messageTotal > 1 && ev.scriptBlockId !== undefined;
}

/**
 * Every write one PowerShell record shows, most specific first: a pipeline's bound parameters
 * (already evaluated), then the script block's text, then the host's command line (classic 400 /
 * 800 only: 4103 repeats the same host line on every pipeline, and the 400 / 800 of that host
 * already give it).
 */
export function scriptEventWrites(ev: ScriptEvent): ScriptWrite[] {
  const out: ScriptWrite[] = [];
  if (ev.eventId === 4103 || ev.eventId === 800) for (const w of moduleLoggingWrites(ev.payload)) out.push({ write: w, origin: 'module-logging' });
  if (ev.eventId === 4104 && !isPartialBlock(ev)) for (const w of scriptWrites(ev.scriptText)) out.push({ write: w, origin: 'script-block' });
  if (CLASSIC_IDS.has(ev.eventId ?? -1) && ev.process.commandLine) {
    for (const w of commandLineWrites(ev.process.commandLine)) out.push({ write: w, origin: 'host-application' });
  }
  return out;
}

/** One line for a reason: which log and record kind the write was read from. */
export function originSentence(ev: ScriptEvent, origin: ScriptOrigin, parts?: number): string {
  switch (origin) {
    case 'module-logging':
      return ev.eventId === 800
        ? 'Read off the pipeline execution details of the Windows PowerShell log (800): the parameter values PowerShell bound, variables already resolved.'
        : 'Read off PowerShell module logging (4103): the command and the parameter values PowerShell bound to it, variables already resolved.';
    case 'script-block':
      return parts !== undefined && parts > 1
        ? `Read off a PowerShell script block (4104) logged in ${parts} parts, joined by its ScriptBlockId${ev.scriptBlockId ? ` ${ev.scriptBlockId}` : ''}.`
        : `Read off a PowerShell script block (4104)${ev.scriptPath ? ` from ${ev.scriptPath}` : ''}: the code PowerShell compiled.`;
    case 'host-application':
      return `Read off the HostApplication line of the Windows PowerShell log (${ev.eventId}): the command line the PowerShell host was started with.`;
  }
}
