// The safety net under the command-line readers. A process start whose command line names an
// autostart location AND a write verb aimed at that kind of place (a registry write verb for a
// key, a file write verb for a Startup folder), but from which no reader extracted a write, is
// not dropped in silence: it becomes a finding at medium that says so and shows the part that
// named the location, so the analyst reads it. Reads (reg query, Get-ItemProperty, dir) and
// deletions (reg delete, Remove-ItemProperty, del) are not write verbs and never trip it; neither
// is an output redirect to nul. The test is a few regexes, run only on lines naming a location.

import { LOCATION_BY_ID, STARTUP_FOLDER, type AutostartLocation } from './catalog';
import { deobfuscateCmd } from './encoded-powershell';

export interface UnreadWrite {
  location: AutostartLocation;
  /** The part of the command line that named the location. */
  matched: string;
  /** The write verb seen. */
  verb: string;
}

/** Location mentions, most specific first; each gives the catalog id it names. */
const MENTIONS: ReadonlyArray<{ re: RegExp; id: string; file?: true }> = [
  { re: /currentversion\\+policies\\+explorer\\+run\b/i, id: 'policies-run' },
  { re: /currentversion\\+runonceex\b/i, id: 'runonceex' },
  { re: /currentversion\\+runonce\b/i, id: 'runonce' },
  { re: /currentversion\\+runservices(?:once)?\b/i, id: 'runservices' },
  { re: /currentversion\\+run\b/i, id: 'run' },
  { re: /winlogon\\*["'\s]+[-/]*(?:v\s+|name\s+)?["']?userinit\b|winlogon\\+userinit\b/i, id: 'winlogon-userinit' },
  { re: /winlogon\\*["'\s]+[-/]*(?:v\s+|name\s+)?["']?shell\b|winlogon\\+shell\b/i, id: 'winlogon-shell' },
  { re: /(?:user )?shell folders/i, id: 'shell-folders-startup' },
  { re: /session manager\\*["'\s].*bootexecute|bootexecute/i, id: 'bootexecute' },
  { re: /\\start menu\\programs\\startup\b|shell:(?:common )?startup/i, id: STARTUP_FOLDER.id, file: true },
];

/** Quick test before the mention table: most command lines name none of these. */
const ANY_MENTION = /currentversion\\|winlogon|shell folders|bootexecute|\\start menu\\programs\\startup|shell:(?:common )?startup/i;

/** Verbs that write a registry value or key (not reg query / delete, Get- / Remove-ItemProperty). */
const REGISTRY_WRITE_VERB = /\breg(?:\.exe)?["']?\s+(?:add|copy|restore|load)\b|\b(?:set|new|copy|move|rename)-itemproperty\b|\b(?:set|new)-item\b(?!property)|(?:^|[\s;|(&])(?:sp|ni|si)\s|\.setvalue\s*\(|\bset(?:string|expandedstring|multistring|dword|qword|binary)value\b|\bcreatesubkey\b|\bregwrite\b|\bregsetvalue|\bregcreatekey/i;
/** Verbs that put a file in a folder (a redirect to nul is none). */
const FILE_WRITE_VERB = /\b(?:copy|xcopy|robocopy|move|copy-item|move-item|cpi|mi|out-file|set-content|add-content|new-item|ni|createshortcut|mklink|downloadfile|start-bitstransfer)\b|\b(?:invoke-webrequest|iwr|wget|curl)\b[^\n]*(?:-outfile|-o\b)|\bbitsadmin\b[^\n]*\/transfer|\bcertutil\b[^\n]*-urlcache|\d?>>?\s*(?!\s*&?nul\b)["']?[^\s&|>]/i;

/** The write a command line seems to make but no reader could read, or undefined. */
export function unreadWrite(commandLine: string | undefined): UnreadWrite | undefined {
  if (!commandLine || !ANY_MENTION.test(commandLine)) return undefined;
  const cmd = commandLine.includes('^') || commandLine.includes('""') ? deobfuscateCmd(commandLine) : commandLine;
  for (const m of MENTIONS) {
    const hit = m.re.exec(cmd);
    if (!hit) continue;
    const verb = (m.file ? FILE_WRITE_VERB : REGISTRY_WRITE_VERB).exec(cmd);
    if (!verb) continue;
    const location = m.id === STARTUP_FOLDER.id ? STARTUP_FOLDER : LOCATION_BY_ID.get(m.id);
    if (!location) continue;
    return { location, matched: around(cmd, hit.index, hit[0].length), verb: verb[0].trim() };
  }
  return undefined;
}

/** The mention with some context either side, whole words, at most ~200 characters. */
function around(s: string, at: number, len: number): string {
  const from = Math.max(0, at - 80);
  const to = Math.min(s.length, at + len + 80);
  return `${from > 0 ? '…' : ''}${s.slice(from, to).trim()}${to < s.length ? '…' : ''}`;
}
