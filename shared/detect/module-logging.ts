// PowerShell module logging (Operational 4103 Payload, classic 800 pipeline details): the
// commands a pipeline ran and the values PowerShell bound to their parameters, one line each:
//   CommandInvocation(Set-ItemProperty): "Set-ItemProperty"
//   ParameterBinding(Set-ItemProperty): name="Path"; value="HKCU:\...\Run"
// The bound values are what the command really received (variables, concatenations and
// expressions already evaluated), so a write read here needs no script reading. A value may span
// lines (a script block argument); a line that fits neither form belongs to the value before it.
// Damaged or cut text gives fewer bindings, never an exception.

import { matchRegistryKey, matchRegistryLocation, matchStartupFile, STARTUP_FOLDER } from './catalog';
import type { CommandLineWrite } from './command-line';
import { canonicalRegistryPath } from '../model/registry-path';

export interface PipelineCommand {
  name: string;
  /** Bound parameters in logged order (a parameter bound twice keeps both, the last wins in get()). */
  params: Array<{ name: string; value: string }>;
}

const LINE_START = /(?:^|\r?\n)(?=(?:CommandInvocation|ParameterBinding)\()/;
const INVOCATION = /^CommandInvocation\(([^)]*)\):\s*"?([^"\r\n]*)"?/;
const BINDING = /^ParameterBinding\(([^)]*)\):\s*name="([^"]*)";\s*value="([\s\S]*)"\s*$/;

/** The commands of one pipeline's details text, in order. */
export function pipelineCommands(payload: string | undefined): PipelineCommand[] {
  if (!payload || (!payload.includes('CommandInvocation(') && !payload.includes('ParameterBinding('))) return [];
  const out: PipelineCommand[] = [];
  const byName = new Map<string, PipelineCommand>();
  const commandOf = (name: string): PipelineCommand => {
    const k = name.toLowerCase();
    let c = byName.get(k);
    if (!c) {
      c = { name, params: [] };
      byName.set(k, c);
      out.push(c);
    }
    return c;
  };
  for (const part of payload.split(LINE_START)) {
    const line = part.replace(/^\r?\n/, '').replace(/\s+$/, '');
    const inv = INVOCATION.exec(line);
    if (inv) {
      commandOf(inv[1].trim());
      continue;
    }
    const b = BINDING.exec(line);
    if (b) commandOf(b[1].trim()).params.push({ name: b[2], value: b[3] });
  }
  return out;
}

function param(c: PipelineCommand, ...names: string[]): string | undefined {
  let v: string | undefined;
  for (const p of c.params) if (names.includes(p.name.toLowerCase())) v = p.value;
  return v;
}

const REGISTRY_WRITERS = new Set(['set-itemproperty', 'new-itemproperty', 'set-item', 'new-item']);
const FILE_WRITERS = new Set(['copy-item', 'move-item', 'out-file', 'set-content', 'add-content', 'new-item', 'invoke-webrequest', 'start-bitstransfer']);

/** A registry provider path (HKCU:\..., Registry::HKEY_...), or undefined for a file path. */
function registryPathOf(path: string): string | undefined {
  const p = path.trim().replace(/^microsoft\.powershell\.core\\registry::/i, 'Registry::');
  if (!/^(registry::)?(hkey_[a-z_]+|hklm|hkcu|hku|hkcr)(:|\\|$)/i.test(p)) return undefined;
  return canonicalRegistryPath(p.replace(/[\\/]+$/, ''));
}

/** The autostart writes a pipeline's bound parameters make. */
export function moduleLoggingWrites(payload: string | undefined): CommandLineWrite[] {
  const out: CommandLineWrite[] = [];
  for (const c of pipelineCommands(payload)) {
    const verb = c.name.toLowerCase();
    if (REGISTRY_WRITERS.has(verb)) {
      const path = param(c, 'path', 'literalpath', 'pspath');
      const key = path !== undefined ? registryPathOf(path) : undefined;
      if (key !== undefined) {
        const isItem = verb === 'set-item' || verb === 'new-item';
        // Set-Item / New-Item on a key set its default value
        const valueName = isItem ? '(Default)' : param(c, 'name');
        const data = param(c, 'value');
        const m = matchRegistryLocation(key, valueName);
        const keyOnly = m ? undefined : matchRegistryKey(key);
        const location = m?.location ?? (keyOnly && !keyOnly.values && !isItem ? keyOnly : undefined);
        if (location) {
          out.push({ kind: 'registry', location, registryKey: key, valueName, data, matched: bindingText(c) });
          continue;
        }
      }
    }
    if (FILE_WRITERS.has(verb)) {
      const target = param(c, 'destination', 'filepath', 'outfile') ?? (verb === 'copy-item' || verb === 'move-item' ? undefined : param(c, 'path', 'literalpath'));
      if (target !== undefined && matchStartupFile(target.replace(/[\\"]+$/, ''))) {
        out.push({ kind: 'startup-file', location: STARTUP_FOLDER, targetFile: target, matched: bindingText(c) });
      }
    }
  }
  return out;
}

/** "Set-ItemProperty -Path ... -Name ... -Value ...": the command as PowerShell bound it. */
function bindingText(c: PipelineCommand): string {
  const parts = c.params.map((p) => `-${p.name} ${/[\s"]/.test(p.value) || p.value === '' ? `"${p.value}"` : p.value}`);
  return [c.name, ...parts].join(' ').slice(0, 2000);
}
