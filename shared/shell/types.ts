// What reading a command line or a script yields: the autostart writes it makes. Every field is a
// fact read off the text; a part the reader could not evaluate is absent (or, for data, only the
// known part with `appended` saying what it was added to), never guessed.

import type { AutostartLocation } from '../detect/catalog';

export interface CommandLineWrite {
  kind: 'registry' | 'startup-file' | 'reg-import' | 'security-template';
  location?: AutostartLocation;
  registryKey?: string;
  valueName?: string;
  /** The data the command writes, when it can be read off the command line. */
  data?: string;
  /** For startup-file: the file written in the Startup folder. */
  targetFile?: string;
  /** The part of the command line that names the location. */
  matched: string;
  /** The tool or API that writes (reg.exe, Set-ItemProperty, StdRegProv.SetStringValue ...). */
  via?: string;
  /**
   * The write appends `data` to the value's old content (read-modify-write of Winlogon Userinit /
   * Shell): the old part is unknown, `data` is the appended program, the payload.
   */
  appended?: boolean;
}

/** Hands a nested command line (cmd /c inside PowerShell, powershell inside cmd ...) back to the dispatcher. */
export type LineReader = (commandLine: string, depth: number) => CommandLineWrite[];

/** Nesting beyond this (cmd /c cmd /c ..., iex of iex ...) is not followed: fewer facts, bounded work. */
export const MAX_NESTING = 12;
