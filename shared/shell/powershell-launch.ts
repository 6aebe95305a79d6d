// powershell.exe / pwsh.exe arguments, as their parameter parser reads them: switches by prefix in
// the parser's own order (-e is -EncodedCommand, -ex / -ep -ExecutionPolicy, -c -Command, -f -File,
// -w -WindowStyle ...), written with -, / or a dash; -Command takes the rest of the arguments
// joined by blanks (so `& {...}` with \"" escapes comes back as the script Invoke-AtomicTest
// wrote); -EncodedCommand is decoded (UTF-16LE, as PowerShell does); -File names a script that is
// not in the evidence. A first argument that is no switch is -Command for powershell.exe and -File
// for pwsh. An unknown switch ends the reading: PowerShell would refuse the line.

import { decodeBase64Text } from '../detect/encoded-powershell';
import { splitArgs } from './argv';

export interface PowerShellLaunch {
  /** The script text run (from -Command or -EncodedCommand), if any. */
  script?: string;
  encoded?: boolean;
  /** -File's script path. */
  file?: string;
}

/** [name, shortest accepted prefix, takes a value], in the order the parser tries them. */
const SWITCHES: ReadonlyArray<readonly [string, string, boolean]> = [
  ['help', 'h', false], ['?', '?', false], ['psconsolefile', 'psc', true], ['version', 'v', true], ['nologo', 'nol', false],
  ['noexit', 'noe', false], ['sta', 's', false], ['mta', 'mta', false], ['noprofile', 'nop', false], ['noninteractive', 'noni', false],
  ['noprofileloadtime', 'noprofileloadtime', false], ['inputformat', 'in', true], ['outputformat', 'o', true], ['windowstyle', 'w', true],
  ['encodedcommand', 'e', true], ['ec', 'ec', true], ['configurationname', 'config', true], ['file', 'f', true],
  ['executionpolicy', 'ex', true], ['ep', 'ep', true], ['command', 'c', true], ['commandwithargs', 'commandwithargs', true], ['cwa', 'cwa', true],
  ['workingdirectory', 'wo', true], ['wd', 'wd', true], ['settingsfile', 'settings', true], ['login', 'l', false], ['interactive', 'i', false],
  ['encodedarguments', 'encodeda', true], ['ea', 'ea', true], ['custompipename', 'custom', true], ['removeworkingdirectorytrailingcharacter', 'removeworkingdirectorytrailingcharacter', false],
];

function switchOf(arg: string): readonly [string, string, boolean] | undefined {
  const c = arg[0];
  if (c !== '-' && c !== '/' && c !== '\u2013' && c !== '\u2014' && c !== '\u2015') return undefined;
  const key = arg.slice(arg[1] === '-' ? 2 : 1).toLowerCase();
  if (!key) return undefined;
  // -encodedcommand takes an exact prefix at least as long as the shortest; the first such wins
  return SWITCHES.find(([name, min]) => name.startsWith(key) && key.length >= min.length && key.startsWith(min)) ?? undefined;
}

/** Read a PowerShell host's arguments (the text after the program name). */
export function readPowerShellLaunch(argsText: string, program: 'powershell' | 'pwsh'): PowerShellLaunch {
  const { args } = splitArgs(argsText);
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const sw = switchOf(a);
    if (!sw) {
      // a bare argument: the command (Windows PowerShell) or the script file (pwsh)
      if (program === 'pwsh') return { file: a };
      return { script: args.slice(i).join(' ') };
    }
    const [name, , takesValue] = sw;
    if (name === 'command' || name === 'commandwithargs' || name === 'cwa') {
      const rest = args.slice(i + 1);
      if (rest.length === 1 && rest[0] === '-') return {}; // the script comes on stdin
      return { script: rest.join(' ') };
    }
    if (name === 'encodedcommand' || name === 'ec') {
      const b64 = args[i + 1];
      if (b64 === undefined) return {};
      const dec = decodeBase64Text(b64);
      return dec ? { script: dec.text, encoded: true } : {};
    }
    if (name === 'file') return args[i + 1] === undefined ? {} : { file: args[i + 1] };
    if (takesValue) i++;
  }
  return {};
}
