// `runkey-hunter generate`: writes a trainer scenario as evidence (EVTX per host + channel, Event
// Viewer XML, Winlogbeat NDJSON, or Defender CSV tables) plus answer-key.json into --out.
// Deterministic for a seed; `--list` prints the scenarios and what each teaches. Names the user
// typed are echoed terminal-safe (terminal-safe.ts).

import { InvalidArgumentError, type Command } from 'commander';
import { SCENARIOS, DEFAULT_SCENARIO, findScenario, type OutputFormat } from '../../shared/generator/scenarios';
import { ANSWER_KEY_FILE } from '../../shared/generator/answer-key';
import { writeGenerated, OutputFolderNotEmptyError } from '../generate/write-generated';
import { terminalSafe } from './terminal-safe';

const FORMATS: readonly OutputFormat[] = ['evtx', 'xml', 'ndjson', 'csv'];

function positiveInt(name: string, min: number) {
  return (v: string): number => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < min) throw new InvalidArgumentError(`${name} must be an integer >= ${min}`);
    return n;
  };
}

export function listScenarios(): string {
  const w = Math.max(...SCENARIOS.map((s) => s.id.length));
  return SCENARIOS.map((s) => `${s.id.padEnd(w)}  ${s.teaches}${s.id === DEFAULT_SCENARIO ? ' (default)' : ''}`).join('\n') + '\n';
}

export function registerGenerateCommand(program: Command): void {
  program
    .command('generate')
    .description('Write a trainer scenario as evidence (EVTX / XML / NDJSON / Defender CSV) with its answer key')
    .option('--scenario <name>', `scenario to generate (see --list)`, DEFAULT_SCENARIO)
    .option('--hosts <n>', 'number of hosts (default: the scenario\'s)', positiveInt('--hosts', 1))
    .option('--events <n>', 'approximate number of events (default: the scenario\'s)', positiveInt('--events', 0))
    .option('--format <fmt>', `evtx | xml | ndjson | csv (default: the scenario's)`, (v: string) => {
      if (!FORMATS.includes(v as OutputFormat)) throw new InvalidArgumentError(`--format must be one of ${FORMATS.join(', ')}`);
      return v as OutputFormat;
    })
    .option('--seed <n>', 'seed: the same seed gives byte-identical output', positiveInt('--seed', 0), 1)
    .option('--out <dir>', 'output folder (created; must be empty unless --force)')
    .option('--force', 'write into a folder that already holds files')
    .option('--list', 'list the scenarios and what each teaches')
    .action(async (o: { scenario: string; hosts?: number; events?: number; format?: OutputFormat; seed: number; out?: string; force?: boolean; list?: boolean }) => {
      if (o.list) {
        process.stdout.write(listScenarios());
        return;
      }
      if (!findScenario(o.scenario)) {
        process.stderr.write(`runkey-hunter generate: unknown scenario '${terminalSafe(o.scenario)}'\n${listScenarios()}`);
        process.exitCode = 2;
        return;
      }
      if (!o.out) {
        process.stderr.write('runkey-hunter generate: --out <dir> is required\n');
        process.exitCode = 2;
        return;
      }
      const t0 = performance.now();
      try {
        const key = await writeGenerated({ scenario: o.scenario, hosts: o.hosts, events: o.events, format: o.format, seed: o.seed, keepRecords: false }, o.out, {
          overwrite: o.force,
          onProgress: process.stderr.isTTY ? (b) => process.stderr.write(`\r${(b / 1048576).toFixed(0)} MB written`) : undefined,
        });
        if (process.stderr.isTTY) process.stderr.write('\r');
        const bytes = key.files.reduce((n, f) => n + f.bytes, 0);
        process.stdout.write(`${key.command}\n`);
        for (const f of key.files) process.stdout.write(`  ${f.file}  ${f.records} records  ${f.bytes} bytes\n`);
        process.stdout.write(`  ${ANSWER_KEY_FILE}  ${key.stories.length} attack stories, ${key.summary.malicious} malicious records, ${key.summary.benign} benign / near-miss records\n`);
        process.stdout.write(`  ${(bytes / 1048576).toFixed(1)} MB in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
      } catch (e) {
        if (e instanceof OutputFolderNotEmptyError) {
          process.stderr.write(`runkey-hunter generate: ${terminalSafe(e.message)}\n`);
          process.exitCode = 2;
          return;
        }
        throw e;
      }
    });
}
