// PowerShell's own logs as evidence of autostart writes. A 4104 script block (its parts joined by
// ScriptBlockId, MessageNumber / MessageTotal), a 4103 / 800 pipeline's bound parameters, and the
// HostApplication command line of the classic 400 / 800 records each say what PowerShell ran;
// this module reads the writes out of them. Script text is read by one adapter, scriptWrites():
// the shell reader (shared/shell readScript) once that lands, until then the command-line reader
// on the script's relevant lines. Nothing here throws on odd text: it finds fewer writes.

import type { ScriptEvent } from '../model/events';
import { commandLineWrites, type CommandLineWrite } from './command-line';
import { moduleLoggingWrites } from './module-logging';

/** Where in a PowerShell log record a write was read. */
export type ScriptOrigin = 'script-block' | 'module-logging' | 'host-application';

export interface ScriptWrite {
  write: CommandLineWrite;
  origin: ScriptOrigin;
}

/** Lines that can take part in a write: a hive, a write verb, a Startup folder or a variable assignment. */
const RELEVANT_LINE = /hk(?:lm|cu|u|cr|ey_)|registry::|itemproperty|new-item|set-item|\bsp\b|setvalue|regwrite|stdregprov|reg(?:\.exe)?\s+(?:add|import)|startup|currentversion|winlogon|shell folders|session manager|copy|move|out-file|set-content|add-content|createshortcut|^\s*\$[\w:]+\s*=/i;
/** The command-line reader memoizes by the whole text: what it is handed stays small. */
const MAX_READ_CHARS = 16 * 1024;

/**
 * The autostart writes a PowerShell script makes. The command-line reader reads a script
 * tolerably when handed its relevant lines as one text (a variable assigned on one line and used
 * on another resolves); a long script is cut to MAX_READ_CHARS of them. Switch to readScript
 * (shared/shell) on the whole text once it is committed.
 */
export function scriptWrites(text: string | undefined): readonly CommandLineWrite[] {
  if (!text) return [];
  let kept = '';
  for (const line of text.split(/\r?\n/)) {
    if (!RELEVANT_LINE.test(line)) continue;
    const t = line.trim();
    if (kept.length + t.length + 1 > MAX_READ_CHARS) break;
    kept += (kept ? '\n' : '') + t;
  }
  if (!kept) return [];
  const direct = commandLineWrites(kept);
  if (direct.length) return direct;
  // a reader that reads command lines as argv (the shell readers) reads a script as the
  // -EncodedCommand of a PowerShell start, as PowerShell itself would run it
  return commandLineWrites(`powershell.exe -NoProfile -EncodedCommand ${utf16Base64(kept)}`);
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Base64 of the text's UTF-16LE bytes (what -EncodedCommand takes). */
function utf16Base64(text: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    bytes.push(c & 0xff, c >>> 8);
  }
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i] << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    out += B64[(n >>> 18) & 63] + B64[(n >>> 12) & 63] + (i + 1 < bytes.length ? B64[(n >>> 6) & 63] : '=') + (i + 2 < bytes.length ? B64[n & 63] : '=');
  }
  return out;
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
