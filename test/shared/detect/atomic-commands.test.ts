// Every Atomic Red Team T1547.001 test (../shared/samples/redcanaryco_atomic-red-team), as the
// process command line its executor starts (cmd.exe /c for command_prompt, powershell.exe & {…}
// for powershell, input arguments at their defaults): on a host without registry or file
// auditing, that command line is all the evidence. Each must be found at the location it writes.

import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { HAVE_SAMPLES, samplePath } from '../../samples';
import { detectCandidate } from '../../../shared/detect/engine';
import { procStart } from './helpers';

const YAML_PATH = 'redcanaryco_atomic-red-team/atomics/T1547.001/T1547.001.yaml';

/** What each test writes, read off its description and commands. */
const EXPECTED: Record<string, string> = {
  'Reg Key Run': 'run',
  'Reg Key RunOnce': 'runonceex',
  'PowerShell Registry RunOnce': 'runonce',
  'Suspicious vbs file run from startup Folder': 'startup-folder',
  'Suspicious jse file run from startup Folder': 'startup-folder',
  'Suspicious bat file run from startup Folder': 'startup-folder',
  'Add Executable Shortcut Link to User Startup Folder': 'startup-folder',
  'Add persistance via Recycle bin': 'recycle-bin-open',
  'SystemBC Malware-as-a-Service Registry': 'run',
  'Change Startup Folder - HKLM Modify User Shell Folders Common Startup Value': 'shell-folders-startup',
  'Change Startup Folder - HKCU Modify User Shell Folders Startup Value': 'shell-folders-startup',
  'HKCU - Policy Settings Explorer Run Key': 'policies-run',
  'HKLM - Policy Settings Explorer Run Key': 'policies-run',
  'HKLM - Append Command to Winlogon Userinit KEY Value': 'winlogon-userinit',
  'HKLM - Modify default System Shell - Winlogon Shell KEY Value': 'winlogon-shell',
  'secedit used to create a Run key in the HKLM Hive': 'security-template',
  'Modify BootExecute Value': 'bootexecute',
  'Allowing custom application to execute during new RDP logon session': 'rdp-startup-programs',
  'Creating Boot Verification Program Key for application execution during successful boot': 'boot-verification',
  'Add persistence via Windows Context Menu': 'context-menu-command',
};

interface AtomicTest {
  name: string;
  input_arguments?: Record<string, { default: unknown }>;
  executor: { name: string; command?: string };
}

function commandLine(t: AtomicTest): { image: string; commandLine: string } {
  let cmd = t.executor.command ?? '';
  for (const [k, v] of Object.entries(t.input_arguments ?? {})) cmd = cmd.split(`#{${k}}`).join(String(v.default));
  cmd = cmd.replace(/\$PathToAtomicsFolder/g, 'C:\\AtomicRedTeam\\atomics').trim();
  return t.executor.name === 'powershell'
    ? { image: 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe', commandLine: `"powershell.exe" & {${cmd}}` }
    : { image: 'C:\\Windows\\System32\\cmd.exe', commandLine: `"cmd.exe" /c ${cmd.split(/\r?\n/).join(' & ')}` };
}

describe.skipIf(!HAVE_SAMPLES)('Atomic Red Team T1547.001 command lines (../shared/samples)', () => {
  const tests: AtomicTest[] = HAVE_SAMPLES ? (parse(readFileSync(samplePath(YAML_PATH), 'utf8')) as { atomic_tests: AtomicTest[] }).atomic_tests : [];

  it('knows every test of the file (a new one needs a look)', () => {
    expect(tests.map((t) => t.name.trim()).sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  it.each(Object.entries(EXPECTED))('finds "%s" at %s', (name, location) => {
    const t = tests.find((x) => x.name.trim() === name);
    expect(t, name).toBeDefined();
    const { image, commandLine: cmd } = commandLine(t as AtomicTest);
    const c = detectCandidate(procStart(image, cmd));
    expect(c?.location).toBe(location);
    expect(c?.basis).toBe('command-line');
  });

  it('names the security template secedit applies', () => {
    const t = tests.find((x) => x.name.startsWith('secedit')) as AtomicTest;
    const c = detectCandidate(procStart('C:\\Windows\\System32\\cmd.exe', commandLine(t).commandLine));
    expect(c?.value).toBe('C:\\AtomicRedTeam\\atomics\\T1547.001\\src\\regtemplate.ini');
    // secedit alone: the database it applies
    expect(detectCandidate(procStart('C:\\Windows\\System32\\SecEdit.exe', 'secedit /configure /db mytemplate.db'))?.value).toBe('mytemplate.db');
    // exporting or analysing writes nothing
    expect(detectCandidate(procStart('C:\\Windows\\System32\\SecEdit.exe', 'secedit /export /cfg C:\\x.inf'))).toBeUndefined();
    expect(detectCandidate(procStart('C:\\Windows\\System32\\SecEdit.exe', 'secedit /analyze /db x.db'))).toBeUndefined();
    // /configure must belong to the secedit command, not to another command of the chain
    expect(detectCandidate(procStart('C:\\Windows\\System32\\cmd.exe', 'cmd /c secedit /export /cfg C:\\x.inf & tool.exe /configure'))).toBeUndefined();
    expect(detectCandidate(procStart('C:\\Windows\\System32\\cmd.exe', `cmd /c ${'secedit '.repeat(4000)}/configure /db big.db`))?.value).toBe('big.db');
  });
});
