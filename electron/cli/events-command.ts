// `runkey-hunter events FILE|DIR…`: one NDJSON line per record read — every record, not only the
// ones detection uses — with the normalized fields where they apply and, with --all-fields, the
// full System header and EventData. A file that cannot be read is reported on stderr (file,
// offset, code) and the command goes on with the others, exiting 2 at the end. Stderr is
// terminal-safe (terminal-safe.ts) and ends with one line per file with failed or recovered records.

import type { Command } from 'commander';
import { expandInputs } from '../io/expand-inputs';
import { readEvidenceFile } from '../io/read-evidence-file';
import { normalize } from '../../shared/normalize/normalize';
import { formatProblem, type Problem } from '../../shared/model/problems';
import type { RawEvent } from '../../shared/model/raw-event';
import { progressLine, formatBytes } from './progress-line';
import { writeOut } from './write-lines';
import { stderrSay } from './terminal-safe';
import { DamageTally, damageLine } from './damage-tally';
import type { ReadSummary } from '../../shared/readers/types';

export interface EventLine {
  file: string;
  member?: string;
  format: string;
  recordId?: number;
  /** EVTX record header id, when it differs from the EventRecordID (exported / forwarded logs). */
  headerRecordId?: number;
  line?: number;
  chunk?: number;
  offset?: number;
  /** EVTX: carved from a chunk's slack or a headerless chunk (a deleted record), not read as allocated. */
  recovered?: boolean;
  provider?: string;
  channel?: string;
  eventId?: number;
  computer?: string;
  time?: string;
  normalized?: Record<string, unknown>;
  system?: RawEvent['system'];
  data?: RawEvent['data'];
}

export function eventLine(raw: RawEvent, allFields: boolean): EventLine {
  const n = normalize(raw);
  const line: EventLine = {
    file: raw.ref.file, member: raw.ref.member, format: raw.ref.format, recordId: raw.ref.recordId, headerRecordId: raw.ref.headerRecordId, line: raw.ref.line,
    chunk: raw.ref.chunk, offset: raw.ref.offset, recovered: raw.ref.recovered,
    provider: raw.system.provider, channel: raw.system.channel, eventId: raw.system.eventId,
    computer: raw.system.computer, time: raw.system.timeCreated,
  };
  if (n) {
    const { ref: _ref, key: _key, ...rest } = n;
    line.normalized = rest as Record<string, unknown>;
  }
  if (allFields) {
    line.system = raw.system;
    line.data = raw.data;
  }
  return line;
}

export interface EventsIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WriteStream | NodeJS.WritableStream;
}

/** Prints the events of every file and returns the exit code (the command sets process.exitCode from it). */
export async function runEvents(paths: readonly string[], opts: { allFields: boolean }, io: EventsIo): Promise<number> {
  const say = stderrSay(io.stderr);
  const { files, missing } = await expandInputs(paths);
  let failed = missing.length > 0;
  for (const m of missing) say(`${m.path}: cannot read (${m.reason})`);
  const progress = progressLine(io.stderr as NodeJS.WriteStream);
  const damage = new DamageTally();
  for (const file of files) {
    let records = 0;
    const onProblem = (p: Problem) => {
      if (p.level === 'error') failed = true;
      damage.problem(p);
      progress.done();
      say(`${p.level}: ${formatProblem(p)}`);
    };
    damage.begin(file);
    const gen = readEvidenceFile(file, {
      onProblem,
      onProgress: (done, size) => progress.update(`${file}: ${formatBytes(done)} / ${formatBytes(size)}, ${records} records`),
    });
    let summary: ReadSummary | undefined;
    for (;;) {
      const r = await gen.next();
      if (r.done) {
        summary = r.value;
        break;
      }
      damage.events(r.value);
      let text = '';
      for (const raw of r.value) text += JSON.stringify(eventLine(raw, opts.allFields)) + '\n';
      records += r.value.length;
      await writeOut(text, io.stdout);
    }
    damage.finish(summary);
  }
  progress.done();
  for (const d of damage.damaged()) say(damageLine(d));
  return failed ? 2 : 0;
}

export function registerEventsCommand(program: Command): void {
  program
    .command('events')
    .description('print one NDJSON line per record read from the evidence (EVTX, XML, JSON, CSV, archives)')
    .argument('<paths...>', 'evidence files or folders')
    .option('--all-fields', 'include every System and EventData field of each record', false)
    .action(async (paths: string[], opts: { allFields: boolean }) => {
      process.exitCode = await runEvents(paths, opts, { stdout: process.stdout, stderr: process.stderr });
    });
}
