// runkey-hunter: the headless CLI. Each subcommand lives in electron/cli/<name>-command.ts and
// registers itself here. Exit codes: 0 ok (scan: nothing at or above the threshold), 1 findings
// (scan), 2 an input could not be read or the command was used wrongly. What reaches stderr is
// terminal-safe, commander's messages (which quote arguments, e.g. globbed file names) included.

import { Command, CommanderError } from 'commander';
import { registerEventsCommand } from './cli/events-command';
import { registerScanCommand } from './cli/scan-command';
import { registerGenerateCommand } from './cli/generate-command';
import { registerHiveCommand } from './cli/hive-command';
import { TOOL_VERSION } from '../shared/version';
import { terminalSafeLines } from './cli/terminal-safe';
import { installNativeHooks } from './io/native-hooks';

// before any command reads evidence: Node's zlib.crc32 for every checksum the readers verify
const hooks = installNativeHooks();
// the bin's start explanation (RUNKEY_HUNTER_EXPLAIN_START=1) names the CRC-32 in use too, for the tests
if (process.env.RUNKEY_HUNTER_EXPLAIN_START === '1') process.stderr.write(`runkey-hunter: crc32: ${hooks.crc32}\n`);

const program = new Command();
program
  .name('runkey-hunter')
  .description('Hunt Windows Registry Run-key persistence (MITRE ATT&CK T1547.001) in offline evidence')
  .version(TOOL_VERSION)
  .exitOverride()
  .configureOutput({ writeErr: (text) => process.stderr.write(terminalSafeLines(text)) })
  .showHelpAfterError();

registerEventsCommand(program);
registerScanCommand(program);
registerGenerateCommand(program);
registerHiveCommand(program);

try {
  await program.parseAsync(process.argv);
} catch (e) {
  if (e instanceof CommanderError) process.exit(e.exitCode === 0 ? 0 : 2);
  console.error(terminalSafeLines(`runkey-hunter: ${(e as Error).stack ?? String(e)}`));
  process.exit(2);
}
