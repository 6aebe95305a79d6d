// Command-line reading per process start: the shell reader (shared/shell, issue #19) beside the
// regex reader it replaced (kept here, and only here, for this comparison), on the same starts:
// the process starts of the generator's 'mixed' fleet (seed 1547) and the Atomic Red Team
// T1547.001 / T1547.004 commands in their three forms when ../shared/samples is there. Both are
// timed uncached (each distinct line read once per pass, best of BENCH_RUNS) and the new one also
// through commandLineWrites' caches, as detection calls it. The share of detection in a whole scan
// is `npm run bench scan`'s figure (target < 20 %).
// Size: BENCH_EVENTS (default 100000 logical events); runs: BENCH_RUNS (default 5).

import { existsSync, readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { generateToMemory } from '../shared/generator/generate';
import { readEvidence } from '../shared/readers/read-evidence';
import { bytesSource } from '../shared/readers/types';
import { normalize } from '../shared/normalize/normalize';
import { matchRegistryKey, matchRegistryLocation, matchStartupFile } from '../shared/detect/catalog';
import { canonicalRegistryPath } from '../shared/model/registry-path';
import { deobfuscateCmd } from '../shared/detect/encoded-powershell';
import { commandLineWrites, mayWriteAutostart } from '../shared/detect/command-line';
import { readCommandLine, type CommandLineWrite } from '../shared/shell';

// ---- the old regex reader, verbatim but for names (bench only) ----
const REG_WRITE_VERB = /\b(reg(?:\.exe)?["']?\s+add|set-itemproperty|new-itemproperty|set-item|new-item|\bsp\s|setstringvalue|setexpandedstringvalue|setmultistringvalue|setdwordvalue|\.setvalue\s*\(|regwrite|\[microsoft\.win32\.registry\])/i;
const STARTUP_WRITE_VERB = /\b(copy|xcopy|robocopy|move|copy-item|move-item|cpi|cp|mv|out-file|set-content|add-content|new-item|createshortcut|invoke-webrequest|iwr|wget|curl|start-bitstransfer|downloadfile|-urlcache|\/transfer|mklink|echo|type)\b|>/i;

/** Registry paths spelled in a command line: HKCU\..., HKEY_LOCAL_MACHINE\..., HKLM:\..., Registry::... */
const REG_PATH_RE = /(?:registry::)?\b(hkey_local_machine|hkey_current_user|hkey_users|hkey_classes_root|hklm|hkcu|hku|hkcr)(:?\\[^"'\r\n]*?)(?=["']|\s+\/[a-z]{1,2}\b|\s+-[a-z]+\b|\s*$|\s*[;|)])/gi;

function old_unquote(s: string): string {
  return s.trim().replace(/^(["'`])(.*)\1$/s, '$2').replace(/`"/g, '"');
}

/** The argument after a switch, quoted or not: /v "Name", -Name 'x', -Value "...". */
function old_argAfter(cmd: string, switches: RegExp): string | undefined {
  const m = new RegExp(`(?:^|\\s)(?:${switches.source})\\s+("(?:[^"\\\\]|\\\\.|\`")*"|'[^']*'|[^\\s]+)`, 'i').exec(cmd);
  return m ? old_unquote(m[1]) : undefined;
}

/** PowerShell variables assigned in the same command: $RunKey = "HKCU:\...". */
function old_psVariables(cmd: string): Map<string, string> {
  const vars = new Map<string, string>();
  const re = /\$([a-z_][a-z0-9_]*)\s*=\s*("[^"]*"|'[^']*')/gi;
  let m: RegExpExecArray | null;
  while ((m = re.exec(cmd)) !== null) vars.set(m[1].toLowerCase(), old_unquote(m[2]));
  return vars;
}

function old_regWrites(cmd: string): CommandLineWrite[] {
  if (!REG_WRITE_VERB.test(cmd)) return [];
  const out: CommandLineWrite[] = [];
  const vars = old_psVariables(cmd);
  const isReg = /\breg(?:\.exe)?["']?\s+add\b/i.test(cmd);
  const valueName = isReg
    ? /(?:^|\s)\/ve\b/i.test(cmd) ? '(Default)' : old_argAfter(cmd, /\/v/)
    : old_argAfter(cmd, /-name|-n/) ?? old_positionalPsName(cmd);
  const data = isReg ? old_argAfter(cmd, /\/d/) : old_argAfter(cmd, /-value|-val/) ?? old_positionalPsValue(cmd);
  const paths: string[] = [];
  let m: RegExpExecArray | null;
  const re = new RegExp(REG_PATH_RE.source, 'gi');
  while ((m = re.exec(cmd)) !== null) paths.push(m[1] + m[2]);
  for (const [, v] of vars) if (/^(registry::)?hk/i.test(v)) paths.push(v);
  // WMI StdRegProv: the hive is a number or &H8000000x, the key has no hive
  if (/stdregprov/i.test(cmd)) {
    const hive = /(?:&h80000001|2147483649)/i.test(cmd) ? 'HKCU' : 'HKLM';
    const sub = old_argAfter(cmd, /ssubkeyname\s*=/) ?? /["'](software\\[^"']+)["']/i.exec(cmd)?.[1];
    if (sub) paths.push(`${hive}\\${sub}`);
  }
  const seen = new Set<string>();
  for (const raw of paths) {
    const key = canonicalRegistryPath(raw.replace(/\\+$/, '').trim());
    if (seen.has(key.toLowerCase())) continue;
    seen.add(key.toLowerCase());
    const loc = matchRegistryLocation(key, valueName) ?? (valueName === undefined ? undefined : undefined);
    const keyOnly = loc ? undefined : matchRegistryKey(key);
    const found = loc?.location ?? (keyOnly && !keyOnly.values ? keyOnly : undefined);
    if (!found) continue;
    out.push({ kind: 'registry', location: found, registryKey: key, valueName, data, matched: raw });
  }
  return out;
}

/** set-itemproperty $key "Name" 'Value' — PowerShell's positional -Path -Name -Value. */
function old_positionalPsName(cmd: string): string | undefined {
  const m = /\b(?:set-itemproperty|new-itemproperty|sp)\s+(?:-path\s+)?("[^"]*"|'[^']*'|\$\w+|\S+)\s+("[^"]*"|'[^']*'|[^\s-]\S*)/i.exec(cmd);
  return m ? old_unquote(m[2]) : undefined;
}

function old_positionalPsValue(cmd: string): string | undefined {
  const m = /\b(?:set-itemproperty|new-itemproperty|sp)\s+(?:-path\s+)?("[^"]*"|'[^']*'|\$\w+|\S+)\s+("[^"]*"|'[^']*'|[^\s-]\S*)\s+("(?:[^"`]|`.)*"|'[^']*'|[^\s-]\S*)/i.exec(cmd);
  return m ? old_unquote(m[3]) : undefined;
}

/** A Startup folder named in a command line (case-insensitive, without a lower-cased copy of the line). */
const STARTUP_MENTION = /\\start menu\\programs\\startup|shell:(common )?startup/i;

function old_startupWrites(cmd: string): CommandLineWrite[] {
  if (!STARTUP_MENTION.test(cmd) || !STARTUP_WRITE_VERB.test(cmd)) return [];
  // the last Startup-folder path is the destination of copy / move / out-file
  const re = /((?:[a-z]:|%[a-z]+%|\$env:[a-z]+|\$home|\\\\[^\\\s"']+)[^"'<>|\r\n]*?\\start menu\\programs\\startup(?:\\[^"'<>|\r\n;]*[^"'<>|\r\n;\s])?)/gi;
  let m: RegExpExecArray | null;
  let last: string | undefined;
  let first: number | undefined;
  while ((m = re.exec(cmd)) !== null) {
    last = m[1];
    first ??= m.index;
  }
  if (last === undefined) return [{ kind: 'startup-file', matched: /shell:(common )?startup/i.exec(cmd)?.[0] ?? 'startup' }];
  // a script host or mshta given a Startup file as its first argument runs it; it does not write it
  const before = cmd.slice(0, first ?? 0);
  if (/\b(mshta|wscript|cscript|cmd|rundll32|start-process|start)(\.exe)?["']?\s*(\/[a-z]:\S+\s*)*["']?\s*$/i.test(before) && !/copy|move|out-file|set-content|createshortcut|>/i.test(cmd)) return [];
  const file = matchStartupFile(last.replace(/[\\"]+$/, ''));
  return [{ kind: 'startup-file', targetFile: last, matched: last, ...(file ? {} : {}) }];
}

function old_regImports(cmd: string): CommandLineWrite[] {
  const m = /\breg(?:\.exe)?["']?\s+import\s+("[^"]+"|\S+)/i.exec(cmd);
  return m ? [{ kind: 'reg-import', data: old_unquote(m[1]), matched: m[0] }] : [];
}

/**
 * secedit /configure applies a security template, whose [Registry Values] section can set any value
 * (the Atomic test writes a Run key this way). The template is named by /cfg (often on the /import
 * before it, in the same cmd /c line), else the database by /db.
 */
function old_securityTemplates(cmd: string): CommandLineWrite[] {
  if (!/secedit/i.test(cmd)) return [];
  // one command of a chain (a & b, a | b, a; b) at a time: linear however often "secedit" repeats
  const configure = cmd.split(/[&|;\r\n]/).find((c) => /\bsecedit(?:\.exe)?["']?\s/i.test(c) && /\s\/configure\b/i.test(c));
  if (configure === undefined) return [];
  const template = old_argAfter(cmd, /\/cfg/) ?? old_argAfter(cmd, /\/db/);
  const matched = configure.trim();
  return [template === undefined ? { kind: 'security-template', matched } : { kind: 'security-template', data: template, matched }];
}

const WRITE_WORDS = /run|winlogon|startup|shell folders|bootexecute|session manager|rdpwd|bootverification|windows nt|reg(\.exe)?["']?\s+import|secedit|inprocserver32|\\shell\\/i;

function oldFindWrites(commandLine: string): CommandLineWrite[] {
  // carets and doubled quotes are the only things deobfuscateCmd removes: skip it (two regex
  // passes and a copy per process start) on the common command line that has neither
  const cmd = commandLine.includes('^') || commandLine.includes('""') ? deobfuscateCmd(commandLine) : commandLine;
  // cheap pre-filter (case-insensitive, no lower-cased copy): nothing to see without one of these words
  if (!WRITE_WORDS.test(cmd)) return [];
  return [...old_regWrites(cmd), ...old_startupWrites(cmd), ...old_regImports(cmd), ...old_securityTemplates(cmd)];
}

// ---- end of the old reader ----

async function fleetStarts(events: number): Promise<string[]> {
  const { files } = generateToMemory({ scenario: 'mixed', seed: 1547, format: 'evtx', events });
  const out: string[] = [];
  for (const [file, bytes] of files) {
    if (!file.endsWith('.evtx')) continue;
    for await (const batch of readEvidence(bytesSource(bytes), { file, onProblem: () => undefined })) {
      for (const raw of batch) {
        const ev = normalize(raw);
        if (ev?.kind === 'process' && ev.process.commandLine) out.push(ev.process.commandLine);
      }
    }
  }
  return out;
}

function atomicStarts(): string[] {
  const root = new URL('../../shared/samples/redcanaryco_atomic-red-team/atomics/', import.meta.url);
  const out: string[] = [];
  for (const tech of ['T1547.001', 'T1547.004']) {
    const path = new URL(`${tech}/${tech}.yaml`, root);
    if (!existsSync(path)) return [];
    const doc = parse(readFileSync(path, 'utf8')) as { atomic_tests: Array<{ input_arguments?: Record<string, { default: unknown }>; executor: { name: string; command?: string } }> };
    for (const t of doc.atomic_tests) {
      let cmd = t.executor.command ?? '';
      for (const [k, v] of Object.entries(t.input_arguments ?? {})) cmd = cmd.split(`#{${k}}`).join(String(v.default));
      cmd = cmd.trim();
      if (t.executor.name === 'powershell') {
        out.push(`"powershell.exe" & {${cmd.replace(/"/g, '\\""')}}`, `powershell.exe -EncodedCommand ${Buffer.from(cmd, 'utf16le').toString('base64')}`);
      } else out.push(`"cmd.exe" /c ${cmd.split(/\r?\n/).join(' & ')}`);
    }
  }
  return out;
}

function time(lines: readonly string[], read: (l: string) => unknown, runs: number): number {
  let best = Infinity;
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    for (const l of lines) read(l);
    best = Math.min(best, performance.now() - t0);
  }
  return best;
}

export async function run(): Promise<void> {
  const events = Number(process.env.BENCH_EVENTS ?? 100_000);
  const runs = Math.max(1, Number(process.env.BENCH_RUNS ?? 5));
  const fleet = await fleetStarts(events);
  const art = atomicStarts();
  const distinct = [...new Set(fleet)];
  const passing = distinct.filter(mayWriteAutostart).length;
  console.log(`  starts: ${fleet.length} fleet process starts (${distinct.length} distinct lines, ${passing} past the pre-filter; generator 'mixed', seed 1547, ${events} events) + ${art.length} ART command lines; best of ${runs}`);
  const newRead = (l: string) => (mayWriteAutostart(l) ? readCommandLine(l).writes : []);
  for (const [name, lines] of [['fleet, every start uncached', fleet], ['fleet, distinct lines', distinct], ['ART T1547.001/.004 launches', art]] as const) {
    if (lines.length === 0) {
      console.log(`  ${name}: none (../shared/samples absent)`);
      continue;
    }
    const o = time(lines, oldFindWrites, runs);
    const n = time(lines, newRead, runs);
    const per = (ms: number) => `${((ms * 1000) / lines.length).toFixed(2)} us/start`;
    console.log(`  ${name} (${lines.length}): old regex reader ${o.toFixed(1)} ms (${per(o)}), shell reader ${n.toFixed(1)} ms (${per(n)}), ${(n / o).toFixed(2)}x`);
  }
  const cached = time(fleet, (l) => commandLineWrites(l), runs);
  console.log(`  fleet through commandLineWrites (cached, as detection calls it): ${cached.toFixed(1)} ms (${((cached * 1000) / fleet.length).toFixed(2)} us/start)`);
  const found = (read: (l: string) => readonly CommandLineWrite[]) => art.filter((l) => read(l).length > 0).length;
  if (art.length) console.log(`  ART launches with a write read: old ${found(oldFindWrites)}/${art.length}, shell ${found((l) => readCommandLine(l).writes)}/${art.length}`);
}
