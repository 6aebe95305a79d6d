// PowerShell's logs and Security 4624 as normalized events. Which records are PowerShell's
// (Operational 4103 / 4104 of Windows PowerShell 5 and PowerShell 7, classic 400 / 800), and the
// parts the field table cannot express: the classic log's unnamed data joined into one text, the
// host's command line read off its "HostApplication" line, the user off "User =" / "UserId=".
// A record missing any of it gives an event with fewer fields, never an exception.

import type { RawEvent } from '../model/raw-event';
import { rawString } from '../model/raw-event';
import type { LogonEvent, ScriptEvent } from '../model/events';
import { CLASSIC_POWERSHELL_TEXT } from '../model/field-table';
import type { Classified } from './normalize';

/** Data names of the classic log normalize reads besides the field table's spellings. */
export const CLASSIC_POWERSHELL_INPUT_NAMES: readonly string[] = CLASSIC_POWERSHELL_TEXT;

const OPERATIONAL_PROVIDERS = new Set(['microsoft-windows-powershell', 'powershellcore']);
const OPERATIONAL_IDS = new Set([4103, 4104]);
const CLASSIC_IDS = new Set([400, 800]);

function lower(s: string | undefined): string {
  return s === undefined ? '' : s.toLowerCase();
}

/** A PowerShell record the engine reads, or undefined. */
export function classifyPowerShell(raw: RawEvent, id: number): Classified | undefined {
  if (!OPERATIONAL_IDS.has(id) && !CLASSIC_IDS.has(id)) return undefined;
  const provider = lower(raw.system.provider);
  const channel = lower(raw.system.channel);
  if (OPERATIONAL_IDS.has(id)) {
    if (OPERATIONAL_PROVIDERS.has(provider) || /^(microsoft-windows-powershell|powershellcore)\/operational$/.test(channel)) return { source: 'powershell', kind: 'script' };
    return undefined;
  }
  // the classic log's provider is "PowerShell", its channel "Windows PowerShell"
  if (provider === 'powershell' || channel === 'windows powershell') return { source: 'powershell', kind: 'script' };
  return undefined;
}

/** "HostApplication=..." (classic) or "Host Application = ..." (4103 ContextInfo): the host's command line. */
export function hostApplicationOf(context: string | undefined): string | undefined {
  if (!context) return undefined;
  const m = /(?:^|[\r\n\t])\s*Host ?Application\s*=\s*([^\r\n]*)/i.exec(context);
  const v = m?.[1].trim();
  return v ? v : undefined;
}

function userOf(context: string | undefined): string | undefined {
  if (!context) return undefined;
  const m = /(?:^|[\r\n\t])\s*User(?:Id)?\s*=\s*([^\r\n]*)/i.exec(context);
  const v = m?.[1].trim();
  return v ? v : undefined;
}

/** The executable a command line starts: its first token, quoted or not. */
export function imageOfCommandLine(cmd: string): string | undefined {
  const t = cmd.trim();
  const m = t.startsWith('"') ? /^"([^"]+)"/.exec(t) : /^(\S+)/.exec(t);
  return m?.[1];
}

const PIPELINE_LINE = /^\s*(CommandInvocation|ParameterBinding)\(/m;

/**
 * The classic log's text, joined: 800 gives the command line, the details (HostApplication=...)
 * and the pipeline (CommandInvocation / ParameterBinding lines); 400 the engine state and details.
 */
function classicParts(raw: RawEvent): { context?: string; pipeline?: string } {
  const context: string[] = [];
  const pipeline: string[] = [];
  for (const name of CLASSIC_POWERSHELL_TEXT) {
    const v = rawString(raw.data[name]);
    if (!v) continue;
    if (PIPELINE_LINE.test(v)) {
      // nxlog's rendered Message holds the details and, after "Details:", the pipeline lines
      const at = v.search(PIPELINE_LINE);
      if (at > 0) context.push(v.slice(0, at));
      pipeline.push(v.slice(at));
    } else {
      context.push(v);
    }
  }
  return { context: context.length ? context.join('\n') : undefined, pipeline: pipeline.length ? pipeline.join('\n') : undefined };
}

export function finishScript(out: Record<string, unknown>, raw: RawEvent): ScriptEvent {
  const ev = out as unknown as ScriptEvent;
  if (CLASSIC_IDS.has(ev.eventId ?? -1)) {
    const { context, pipeline } = classicParts(raw);
    if (context !== undefined) ev.contextInfo = context;
    if (pipeline !== undefined) ev.payload ??= pipeline;
  }
  // the classic log has no process id (0); the Operational log names the host process
  if (ev.process.pid === 0) delete ev.process.pid;
  const host = hostApplicationOf(ev.contextInfo);
  if (host !== undefined) {
    ev.process.commandLine = host;
    const image = imageOfCommandLine(host);
    if (image !== undefined) ev.process.image = image;
  }
  const user = userOf(ev.contextInfo);
  if (user !== undefined && ev.user === undefined) ev.user = user;
  return ev;
}

export function finishLogon(out: Record<string, unknown>): LogonEvent {
  const ev = out as unknown as LogonEvent;
  if (ev.process.pid === 0) delete ev.process.pid;
  return ev;
}
