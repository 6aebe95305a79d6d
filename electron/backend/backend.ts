// The host-neutral back half: implements every handler of the API contract over the worker pool,
// the open case, the baseline store and the settings, and pushes BackendEvents to its listeners.
// Electron main and the browser host both call `invoke(name, payload)` with the payload as
// `unknown`: it is parsed with the contract's schema here, and nothing throws past this point
// (an unexpected exception is an INTERNAL error result). Only this side touches the file system.

import { readdir } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import { randomUUID } from 'node:crypto';
import { loadRuleset } from '../../shared/sigma/index';
import { readSigmaFolder } from './sigma-folder';
import type {
  AppInfo, BackendEvents, CaseSnapshot, EventName, EventSink, ExportFile, Handlers, Result, Settings,
} from '../../shared/api';
import { fail, isHandlerName, ok, parseRequest } from '../../shared/api';
import type { Problem } from '../../shared/model/problems';
import { TOOL_VERSION } from '../../shared/version';
import { expandInputs } from '../io/expand-inputs';
import { DEMO_CASE_README } from '../generate/demo-case-readme';
import { WorkerPool } from '../workers/pool';
import { BaselineStore } from './baseline-store';
import { CaseSession, type CaseSessionOptions, type EvidenceInput } from './case-session';
import { SettingsStore } from './settings-store';
import { readRawRecord } from './raw-record';
import { findingEvents } from './finding-events';
import { exportFindings } from './exports';
import { analyzeCaseMaterialPreview } from './suppression-preview';

export interface Dialogs {
  openFiles(): Promise<string[] | null>;
  openFolder(): Promise<string | null>;
  chooseFolder(title: string): Promise<string | null>;
}

export interface BackendOptions {
  host: 'electron' | 'browser';
  /** The app's data folder (baseline, settings). */
  dataDir: string;
  /** Worker threads (0 / undefined: one per core; the settings can override). */
  workers?: number;
  workerUrl?: URL;
  /** Folder holding the demo case's evidence (assets/demo/case: evidence only, never the answer keys). */
  demoDir: string;
  /** Native dialogs (Electron only). */
  dialogs?: Dialogs;
  /** Browser host: resolves an upload id to its stored files. */
  uploads?: { take(uploadId: string): EvidenceInput[] | undefined; maxBytes: number };
  progressIntervalMs?: number;
  /** Overrides of the job planning (tests, benchmarks). */
  plan?: CaseSessionOptions['plan'];
  /** Start the worker threads right away (app start-up) instead of with the first case. */
  warmWorkers?: boolean;
}

export interface Backend {
  readonly handlers: Handlers;
  /** Parses the payload from unknown and runs the handler; never throws. */
  invoke(name: string, payload: unknown): Promise<Result<unknown>>;
  subscribe(sink: EventSink): () => void;
  /** Open evidence given by path with display names (host start-up: CLI paths, --demo). */
  openInputs(title: string, inputs: EvidenceInput[], preProblems?: Problem[]): Promise<Result<CaseSnapshot>>;
  openPaths(paths: string[]): Promise<Result<CaseSnapshot>>;
  openDemo(): Promise<Result<CaseSnapshot>>;
  /** Resolves when the current case has been read and analysed. */
  whenIdle(): Promise<void>;
  close(): Promise<void>;
}

function errMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function titleFor(paths: readonly string[]): string {
  if (paths.length === 0) return 'Empty case';
  const first = resolve(paths[0]).split(sep).pop() ?? paths[0];
  return paths.length === 1 ? first : `${first} and ${paths.length - 1} more`;
}

export async function createBackend(opts: BackendOptions): Promise<Backend> {
  const listeners = new Set<EventSink>();
  const emit: EventSink = <E extends EventName>(event: E, payload: BackendEvents[E]) => {
    for (const l of listeners) {
      try {
        l(event, payload);
      } catch (e) {
        console.error(`runkey-hunter: event listener failed: ${errMessage(e)}`);
      }
    }
  };
  const settings = await SettingsStore.open(opts.dataDir, { workers: opts.workers ?? 0 });
  const baseline = await BaselineStore.open(opts.dataDir);
  let pool = new WorkerPool({ workers: settings.get().workers, workerUrl: opts.workerUrl, progressIntervalMs: opts.progressIntervalMs });
  if (opts.warmWorkers) pool.warm();
  let current: CaseSession | undefined;
  let sigmaStatus: Settings['sigmaStatus'];

  /** Reads the Sigma folder (if set) for the case about to open; the workers compile it once each. */
  async function loadSigma(): Promise<string | undefined> {
    const folder = settings.get().sigmaRulesFolder;
    sigmaStatus = undefined;
    if (!folder) return undefined;
    try {
      const { files, skipped } = await readSigmaFolder(folder);
      const { unsupported, total } = loadRuleset(files);
      sigmaStatus = { folder, rules: total - unsupported.length, unsupported: unsupported.length, skippedFiles: skipped.length };
      const id = randomUUID();
      pool.setSigmaRules(id, files);
      return id;
    } catch (e) {
      sigmaStatus = { folder, rules: 0, unsupported: 0, skippedFiles: 0, error: errMessage(e) };
      return undefined;
    }
  }
  const settingsView = (): Settings => (sigmaStatus ? { ...settings.get(), sigmaStatus } : settings.get());

  async function openInputs(title: string, inputs: EvidenceInput[], preProblems: Problem[] = []): Promise<Result<CaseSnapshot>> {
    if (current) await current.cancel();
    if (pool.size !== (settings.get().workers || pool.size)) {
      await pool.close();
      pool = new WorkerPool({ workers: settings.get().workers, workerUrl: opts.workerUrl, progressIntervalMs: opts.progressIntervalMs });
    }
    const sigmaId = await loadSigma();
    await baseline.refresh(); // another process on this data folder (the CLI, a second window) may have changed it
    const session = new CaseSession(title, { pool, emit, baseline: () => baseline.list(), progressIntervalMs: opts.progressIntervalMs, plan: opts.plan, sigmaId });
    current = session;
    return ok(await session.start(inputs, preProblems));
  }

  async function openPaths(paths: string[], namesRelativeTo?: string, title?: string): Promise<Result<CaseSnapshot>> {
    const { files, missing } = await expandInputs(paths);
    if (files.length === 0) {
      return fail('NOT_FOUND', missing.length ? `cannot read ${missing.map((m) => `${m.path} (${m.reason})`).join(', ')}` : 'no files found');
    }
    const inputs = files.map((f) => ({ path: resolve(f), name: namesRelativeTo ? relative(namesRelativeTo, resolve(f)).split(sep).join('/') : resolve(f) }));
    const pre: Problem[] = missing.map((m) => ({ code: 'UNREADABLE', level: 'error', file: m.path, message: `cannot read: ${m.reason}` }));
    return openInputs(title ?? titleFor(paths), inputs, pre);
  }

  async function openDemo(): Promise<Result<CaseSnapshot>> {
    // the folder's evidence: its README (which says the generator made it) is not evidence
    const entries = await readdir(opts.demoDir).catch(() => [] as string[]);
    const evidence = entries.filter((f) => f !== DEMO_CASE_README).sort().map((f) => join(opts.demoDir, f));
    const r = evidence.length ? await openPaths(evidence, resolve(opts.demoDir, '..'), 'Demo case') : undefined;
    if (r?.ok) return r;
    return fail('NOT_FOUND', `the demo case is missing (${opts.demoDir})`);
  }

  const snapshot = () => (current ? current.snapshot() : CaseSession.empty(pool.size));
  const needCase = () => (current ? undefined : fail<never>('NO_CASE', 'no case is open'));

  async function baselineChanged<T>(r: Result<T>): Promise<Result<T>> {
    if (r.ok) {
      emit('baseline.changed', baseline.state());
      current?.rescore('baseline');
    }
    return r;
  }

  const handlers: Handlers = {
    'app.info': async () => {
      const info: AppInfo = { host: opts.host, version: TOOL_VERSION, canOpenPaths: opts.host === 'electron', workers: pool.size };
      if (opts.uploads) info.maxUploadBytes = opts.uploads.maxBytes;
      return ok(info);
    },
    'case.openPaths': async ({ paths }) => {
      if (opts.host !== 'electron') return fail('UNSUPPORTED', 'the browser host opens uploaded files only');
      return openPaths(paths);
    },
    'case.openDialog': async ({ kind }) => {
      if (!opts.dialogs) return fail('UNSUPPORTED', 'no native dialogs in this host');
      const chosen = kind === 'files' ? await opts.dialogs.openFiles() : await opts.dialogs.openFolder().then((p) => (p ? [p] : null));
      if (!chosen || chosen.length === 0) return ok(null);
      return openPaths(chosen);
    },
    'case.openUpload': async ({ uploadId }) => {
      if (!opts.uploads) return fail('UNSUPPORTED', 'this host takes no uploads');
      const inputs = opts.uploads.take(uploadId);
      if (!inputs) return fail('NOT_FOUND', 'no such upload');
      if (inputs.length === 0) return fail('BAD_REQUEST', 'the upload holds no files');
      return openInputs(titleFor(inputs.map((i) => i.name)), inputs);
    },
    'case.openDemo': async () => openDemo(),
    'case.cancel': async () => {
      if (current) await current.cancel();
      return ok(snapshot());
    },
    'case.snapshot': async () => ok(snapshot()),
    'case.close': async () => {
      if (current) await current.cancel();
      current = undefined;
      const s = snapshot();
      emit('case.opened', s);
      return ok(s);
    },
    'findings.list': async () => {
      if (!current) return ok({ caseId: '', revision: 0, findings: [] });
      return ok(current.currentFindings());
    },
    'finding.events': async ({ findingId }) => {
      const no = needCase();
      if (no || !current) return no ?? fail('NO_CASE', 'no case is open');
      const f = current.currentFindings().findings.find((x) => x.id === findingId);
      if (!f) return fail('NOT_FOUND', `no finding ${findingId}`);
      return ok(findingEvents(f, current.isReading() ? undefined : current.correlationIndex()));
    },
    'record.raw': async ({ ref }) => {
      const no = needCase();
      if (no || !current) return no ?? fail('NO_CASE', 'no case is open');
      const path = current.pathOf(ref.file);
      if (!path) return fail('NOT_FOUND', 'that file is not part of the open case');
      return readRawRecord(path, ref);
    },
    'baseline.get': async () => {
      // another process sharing the data folder may have changed the file since: show its entries and re-score with them
      if (await baseline.refresh()) await baselineChanged(ok(undefined));
      return ok(baseline.state());
    },
    'baseline.addEntry': async ({ entry }) => baselineChanged(await baseline.add(entry)),
    'baseline.updateEntry': async ({ id, entry }) => baselineChanged(await baseline.update(id, entry)),
    'baseline.deleteEntry': async ({ id }) => baselineChanged(await baseline.remove(id)),
    'baseline.import': async ({ text, mode }) => baselineChanged(await baseline.import(text, mode)),
    'baseline.export': async () => {
      const file: ExportFile = { fileName: 'runkey-hunter-baseline.json', mime: 'application/json', text: baseline.exportText() };
      return ok(file);
    },
    'baseline.previewSuppression': async ({ entry }) => {
      if (!current) return ok({ count: 0, findingIds: [] });
      return analyzeCaseMaterialPreview(current, baseline.list(), entry);
    },
    'export.findings': async ({ format, findingIds }) => {
      const all = current ? current.currentFindings().findings : [];
      const wanted = findingIds ? new Set(findingIds) : undefined;
      const findings = wanted ? all.filter((f) => wanted.has(f.id)) : all;
      return exportFindings(format, findings, { snapshot: current?.snapshot(), problems: current?.allProblems() ?? [], baselineEntries: baseline.list().length });
    },
    'settings.get': async () => ok(settingsView()),
    'settings.update': async (req) => {
      const r = await settings.update(req);
      if (!r.ok) return r;
      // a new Sigma folder applies to the next case read (rules run on events, which are not kept)
      emit('settings.changed', settingsView());
      return ok(settingsView());
    },
    'settings.chooseSigmaFolder': async () => {
      if (!opts.dialogs) return fail('UNSUPPORTED', 'no native dialogs in this host');
      const p = await opts.dialogs.chooseFolder('Folder of Sigma rules');
      if (!p) return ok(null);
      const r: Result<Settings> = await settings.update({ sigmaRulesFolder: p });
      if (!r.ok) return r;
      emit('settings.changed', settingsView());
      return ok(settingsView());
    },
  };

  async function invoke(name: string, payload: unknown): Promise<Result<unknown>> {
    if (!isHandlerName(name)) return fail('UNKNOWN_HANDLER', `no handler ${JSON.stringify(name.slice(0, 64))}`);
    const req = parseRequest(name, payload);
    if (!req.ok) return req;
    try {
      const h = handlers[name] as (r: unknown) => Promise<Result<unknown>>;
      return await h(req.value);
    } catch (e) {
      console.error(`runkey-hunter: ${name} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      return fail('INTERNAL', `${name} failed: ${errMessage(e)}`);
    }
  }

  return {
    handlers,
    invoke,
    subscribe(sink) {
      listeners.add(sink);
      return () => listeners.delete(sink);
    },
    openInputs,
    openPaths: (paths) => openPaths(paths),
    openDemo,
    whenIdle: async () => {
      await current?.whenDone();
    },
    async close() {
      if (current) await current.cancel();
      await pool.close();
    },
  };
}
