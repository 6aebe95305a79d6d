// `runkey-hunter scan FILE|DIR… [--baseline F] [--format json|csv|sigma|spl|kql|ndjson]
// [--min-severity S] [--sigma DIR] [--out F]`: reads every evidence file (folders recursively, read-only), runs
// the detection engine single-threaded (per-event stage, then the case stage) and writes the chosen
// format to stdout or --out. Progress goes to stderr only when it is a terminal. Exit codes: 0 when
// nothing is at or above the threshold, 1 when findings are, 2 on an error (an unreadable input, a
// bad baseline, bad options); unreadable files are reported with file and reason and the rest are
// still scanned. --sigma DIR loads the analyst's Sigma rules (every .yml / .yaml under DIR),
// evaluates them on every event and hands the hits to the case stage (a hit on the event of a
// finding is a reason of it; any other hit is a finding of its own, correlated and scored); rules the engine cannot run
// are summarised on stderr (count and the first few with file:line and why).
// --out is never evidence under another name (electron/io/output-target.ts) and is written through
// a temp file renamed into place, so a failed write leaves neither a partial report nor the temp.
// Everything on stderr is terminal-safe (terminal-safe.ts): evidence names its files and members.
// Stderr ends with one line per file with failed or recovered records, then the summary line,
// which says how many records failed (exit codes do not depend on it: a failed record is a warning).

import { regfRole, readHiveFile } from '../io/read-hive-file';
import { openReadOnceSource, type ReadOnceSource } from '../io/read-once-source';
import { collectState, type HiveSource } from '../../shared/state/collect-state';
import { Command, InvalidArgumentError, Option } from 'commander';
import { readFile } from 'node:fs/promises';
import { expandInputs } from '../io/expand-inputs';
import { readEvidenceFile } from '../io/read-evidence-file';
import { scanReadOptions } from '../io/scan-read-options';
import { refuseOutput, refusalMessage } from '../io/output-target';
import { writeFileAtomic } from '../backend/atomic-write';
import { normalize } from '../../shared/normalize/normalize';
import { CaseCollector, analyzeCase } from '../../shared/detect/engine';
import { EMPTY_BASELINE, parseBaseline, type Baseline } from '../../shared/detect/baseline';
import { OUTPUT_FORMATS, renderExport, type OutputFormat, type ReportInput } from '../../shared/export/index';
import { SEVERITIES, severityRank, type Severity } from '../../shared/model/finding';
import { formatProblem, type Problem } from '../../shared/model/problems';
import { progressLine, formatBytes } from './progress-line';
import { buildRuleset, compileRules, evaluate, loadSigmaRules, sigmaHitToFinding, sigmaReferencedFields, type SigmaRuleset, type SigmaUnsupported } from '../../shared/sigma/index';
import type { ScanFieldRules } from '../../shared/detect/scan-fields';
import type { Finding } from '../../shared/model/finding';
import { readSigmaFolder } from '../backend/sigma-folder';
import { stderrSay } from './terminal-safe';
import { DamageTally, damageLine } from './damage-tally';

export interface ScanOptions {
  baseline?: string;
  builtinBaseline: boolean;
  format: OutputFormat;
  minSeverity: Severity;
  out?: string;
  payloadWindow: number;
  /** Seconds within which records of one write by several sources (Sysmon 13, 4657, Defender) are merged. */
  sightingWindow?: number;
  /** Folder of Sigma rules evaluated on every event (recursively, *.yml / *.yaml). */
  sigma?: string;
}

export interface ScanIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WriteStream | NodeJS.WritableStream;
}

async function loadBaseline(path: string): Promise<{ baseline?: Baseline; error?: string }> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    return { error: `${path}: cannot read baseline (${(e as NodeJS.ErrnoException).code ?? String(e)})` };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return { error: `${path}: baseline is not JSON (${(e as Error).message})` };
  }
  const r = parseBaseline(json);
  return r.ok ? { baseline: r.baseline } : { error: `${path}: invalid baseline: ${r.errors.join('; ')}` };
}

/** How many unsupported rules the stderr summary names. */
const UNSUPPORTED_SHOWN = 3;

/** One line: how many rules cannot run, and the first few with file:line and why. */
export function unsupportedSummary(unsupported: readonly SigmaUnsupported[], total: number): string {
  const shown = unsupported.slice(0, UNSUPPORTED_SHOWN).map((u) => `${u.file}:${u.line} ${u.code} (${u.message})`);
  const more = unsupported.length > UNSUPPORTED_SHOWN ? `; and ${unsupported.length - UNSUPPORTED_SHOWN} more` : '';
  return `sigma: ${unsupported.length} of ${total} rule(s) not supported, skipped: ${shown.join('; ')}${more}`;
}

async function loadSigma(dir: string, say: (line: string) => void): Promise<{ ruleset?: SigmaRuleset; fields?: ScanFieldRules; rules: number; error?: string }> {
  const folder = await readSigmaFolder(dir);
  const unreadableRoot = folder.skipped.find((s) => s.path === dir);
  if (unreadableRoot) return { rules: 0, error: `--sigma ${dir}: cannot read folder (${unreadableRoot.reason})` };
  for (const s of folder.skipped) say(`warning: sigma: ${s.path}: skipped (${s.reason})`);
  if (folder.files.length === 0) return { rules: 0, error: `--sigma ${dir}: no .yml / .yaml rule files` };
  const loaded = loadSigmaRules(folder.files);
  const compiled = compileRules(loaded.rules);
  const unsupported = [...loaded.unsupported, ...compiled.unsupported];
  const total = loaded.rules.length + loaded.unsupported.length;
  if (unsupported.length > 0) say(unsupportedSummary(unsupported, total));
  // The raw fields the rules that compiled can read: the EVTX fast path decodes those too.
  const used = new Set(compiled.rules.map((r) => r.meta));
  const fields = { fields: sigmaReferencedFields(loaded.rules.filter((r) => used.has(r.meta))) };
  return { ruleset: buildRuleset(compiled.rules), fields, rules: total - unsupported.length };
}

/** Runs a scan and returns the exit code (the command sets process.exitCode from it). */
export async function runScan(paths: readonly string[], opts: ScanOptions, io: ScanIo): Promise<number> {
  const say = stderrSay(io.stderr);
  let baseline: Baseline = EMPTY_BASELINE;
  if (opts.baseline) {
    const b = await loadBaseline(opts.baseline);
    if (!b.baseline) {
      say(b.error ?? 'invalid baseline');
      return 2;
    }
    baseline = b.baseline;
  }
  let sigma: SigmaRuleset | undefined;
  let sigmaFields: ScanFieldRules | undefined;
  let sigmaRules = 0;
  if (opts.sigma) {
    const r = await loadSigma(opts.sigma, say);
    if (!r.ruleset) {
      say(r.error ?? `--sigma ${opts.sigma}: no rules`);
      return 2;
    }
    sigma = r.ruleset;
    sigmaFields = r.fields;
    sigmaRules = r.rules;
  }
  const sigmaFindings: Finding[] = [];
  const expanded = await expandInputs(paths);
  const { files, missing } = expanded;
  const problems: Problem[] = missing.map((m) => ({ code: 'UNREADABLE', level: 'error', file: m.path, message: `cannot read (${m.reason})` }));
  for (const p of problems) say(`error: ${formatProblem(p)}`);
  if (opts.out) {
    // before reading: a refused --out should not cost the analyst the whole scan
    const refusal = await refuseOutput(opts.out, expanded);
    if (refusal) {
      say(refusalMessage(opts.out, refusal));
      return 2;
    }
  }
  const progress = progressLine(io.stderr as NodeJS.WriteStream);
  const collector = new CaseCollector();
  const damage = new DamageTally();
  // EVTX is read on the wantedFields fast path, with the options the workers build: the same findings as a full decode.
  const readOptions = scanReadOptions(sigmaFields);
  const inputs: ReportInput[] = [];
  const hiveSources: HiveSource[] = [];
  let logsSkipped = 0;
  for (const file of files) {
    let records = 0;
    const onProblem = (p: Problem) => {
      problems.push(p);
      damage.problem(p);
      progress.done();
      say(`${p.level}: ${formatProblem(p)}`);
    };
    // hives are told by content; their transaction logs are read with them, not as evidence
    // one source per file: its first bytes tell a hive from a log from other evidence, and the same
    // source reads (and hashes) the rest, so the file is still read once
    let src: ReadOnceSource;
    try {
      src = await openReadOnceSource(file, { hash: true });
    } catch (e) {
      onProblem({ code: 'UNREADABLE', level: 'error', file, message: `cannot open: ${(e as NodeJS.ErrnoException).code ?? String(e)}` });
      continue;
    }
    let role: ReturnType<typeof regfRole>;
    try {
      role = regfRole(await src.read(0, 32));
    } catch (e) {
      onProblem({ code: 'UNREADABLE', level: 'error', file, message: `cannot read: ${(e as NodeJS.ErrnoException).code ?? String(e)}` });
      await src.close();
      continue;
    }
    if (role === 'log') {
      await src.close();
      logsSkipped++;
      continue;
    }
    if (role === 'hive') {
      const h = await readHiveFile(file, src, onProblem);
      if (h.hive) hiveSources.push({ file, hive: h.hive, origin: h.replay?.origin });
      inputs.push({ file, sha256: h.sha256, format: 'regf', size: h.size, records: 0 });
      continue;
    }
    damage.begin(file);
    // hashed as read: the bytes parsed are the bytes hashed, no second read of the file
    let sha256: string | undefined;
    const gen = readEvidenceFile(file, {
      onProblem,
      onSha256: (h) => (sha256 = h),
      onProgress: (done, size) => progress.update(`${file}: ${formatBytes(done)} / ${formatBytes(size)}, ${records} records, ${collector.candidates.length} candidates`),
    }, readOptions, src);
    let summary;
    for (;;) {
      const r = await gen.next();
      if (r.done) {
        summary = r.value;
        break;
      }
      damage.events(r.value);
      for (const raw of r.value) {
        const ev = normalize(raw);
        if (!ev) continue;
        collector.add(ev);
        if (sigma) for (const hit of evaluate(sigma, ev, raw)) sigmaFindings.push(sigmaHitToFinding(hit, ev));
      }
      records += r.value.length;
    }
    damage.finish(summary);
    inputs.push({
      file, sha256, format: summary?.format ?? 'unknown', size: summary?.bytes, records: summary?.records ?? records, failedRecords: summary?.failedRecords,
      ...(summary?.recoveredRecords ? { recoveredRecords: summary.recoveredRecords } : {}),
      ...(summary?.deletedFragments ? { deletedFragments: summary.deletedFragments } : {}),
    });
  }
  progress.done();
  const options = {
    payloadWindowMs: opts.payloadWindow * 60_000, builtinBaseline: opts.builtinBaseline,
    ...(opts.sightingWindow !== undefined ? { sightingWindowMs: opts.sightingWindow * 1000 } : {}),
  };
  if (logsSkipped) say(`note: ${logsSkipped} registry transaction log(s) read with their hives, not as evidence of their own`);
  // hives name their machine through SYSTEM; without one, the logs' only host (or none) stands in
  const logHosts = Object.keys(collector.index.hosts);
  const state = hiveSources.length ? collectState(hiveSources, logHosts.length === 1 ? logHosts[0] : 'unknown host') : undefined;
  if (state) {
    for (const h of state.hives) {
      const i = inputs.find((x) => x.file === h.file);
      if (i) i.records = h.entries;
    }
  }
  const findings = analyzeCase({ candidates: collector.candidates, index: collector.index, baseline, options, sigmaFindings, state: state?.input });
  const listed = findings.filter((f) => severityRank(f.severity) >= severityRank(opts.minSeverity));
  const rendered = renderExport(opts.format, {
    findings: opts.format === 'json' ? findings : listed,
    inputs, problems, events: collector.events, analysisTime: new Date(),
    settings: {
      minSeverity: opts.minSeverity,
      baseline: { name: baseline.name ?? opts.baseline, entries: baseline.entries.length, builtin: opts.builtinBaseline },
      options: { ...options, format: opts.format, ...(opts.sigma ? { sigma: { folder: opts.sigma, rules: sigmaRules } } : {}) },
    },
  });
  let writeError: string | undefined;
  if (opts.out) {
    try {
      await writeFileAtomic(opts.out, rendered.text);
    } catch (e) {
      writeError = `${opts.out}: cannot write output (${(e as NodeJS.ErrnoException).code ?? String(e)})`;
    }
  } else {
    await new Promise<void>((res) => (io.stdout.write(rendered.text) ? res() : io.stdout.once('drain', () => res())));
  }
  for (const d of damage.damaged()) say(damageLine(d));
  if (writeError) {
    say(writeError);
    return 2;
  }
  const failed = problems.some((p) => p.level === 'error');
  const failedRecords = damage.failedRecords();
  const damaged = failedRecords > 0 ? `, ${failedRecords} record(s) failed in ${damage.damaged().filter((d) => d.failed > 0).length} file(s)` : '';
  say(`${files.length} file(s), ${collector.events} events, ${findings.length} finding(s), ${listed.length} at or above ${opts.minSeverity}${damaged}${failed ? ', with errors' : ''}`);
  if (failed) return 2;
  return listed.length > 0 ? 1 : 0;
}

export function registerScanCommand(program: Command): void {
  program
    .command('scan')
    .description('hunt Run-key / autostart persistence in evidence files and write a report or rules')
    .argument('<paths...>', 'evidence files or folders (read-only; folders are walked recursively)')
    .option('--baseline <file>', 'known-good baseline (runkey-hunter-baseline JSON)')
    .option('--no-builtin-baseline', 'do not apply the built-in known-good list')
    .addOption(new Option('--format <format>', 'output format').choices([...OUTPUT_FORMATS]).default('json'))
    .addOption(new Option('--min-severity <severity>', 'report and exit 1 only for findings at or above this').choices([...SEVERITIES]).default('medium'))
    .option('--out <file>', 'write the output to this file instead of stdout')
    .option('--payload-window <minutes>', 'link payload file creations up to this long before the write', (v) => {
      const n = Number(v);
      if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError('not a number of minutes');
      return n;
    }, 10)
    .option('--sighting-window <seconds>', 'merge records of one write logged by several sources (Sysmon, Security, Defender) this close in time (default 2)', (v) => {
      const n = Number(v);
      if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError('not a number of seconds');
      return n;
    })
    .option('--sigma <dir>', 'also evaluate the Sigma rules in this folder (every .yml / .yaml, recursively) on every event; their hits become reasons of the findings they hit, or findings of their own')
    .action(async (paths: string[], opts: ScanOptions) => {
      process.exitCode = await runScan(paths, opts, { stdout: process.stdout, stderr: process.stderr });
    });
}
