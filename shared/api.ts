// The ONE contract between the back half (Electron main process or the browser host) and the
// renderer. Everything that crosses it is plain JSON and is typed here:
//   - `Handlers`: request → response calls. The channel names are the keys of `requestSchemas`
//     (written once); every request payload is parsed from `unknown` with its zod schema at the
//     IPC / HTTP boundary. Handlers never throw across the boundary: they answer `Result<T>`.
//   - `BackendEvents`: events the back half pushes (progress, findings batches, problems, done).
//   - `RunkeyClient`: the one client interface the renderer codes against. The Electron preload
//     implements it over IPC; the browser host's client (shared/api-http-client.ts) over HTTP + SSE.
// Transport details (IPC channel prefix, HTTP paths, token header) are at the end of this file.
// The contract only grows additively: new handlers, new events, new optional fields.

import { z } from 'zod';
import type { Finding, EventLink } from './model/finding';
import type { NormalizedEvent } from './model/events';
import type { Problem, ProblemCode } from './model/problems';
import type { EvidenceFormat, EvidenceRef } from './model/raw-event';
import { baselineEntrySchema, type BaselineEntry } from './detect/baseline';

// ---------------------------------------------------------------------------------------------
// Results and errors

export const API_ERROR_CODES = [
  'BAD_REQUEST', // the payload failed its schema (issues in `details`)
  'UNKNOWN_HANDLER',
  'UNSUPPORTED', // this host cannot do that (e.g. native dialogs in the browser host)
  'NO_CASE', // needs an open case
  'BUSY', // a case is being read and the call needs it finished (or cancelled)
  'NOT_FOUND', // no such finding / record / baseline entry / upload
  'INVALID_BASELINE', // baseline text or entry failed the baseline schema
  'IO', // a file could not be read or written (never evidence damage: that is a Problem)
  'FORBIDDEN', // browser host: missing token, foreign Host / Origin
  'TOO_LARGE', // browser host: upload over the size limit
  'INTERNAL', // a bug, caught
] as const;
export type ApiErrorCode = (typeof API_ERROR_CODES)[number];

export interface ApiError {
  code: ApiErrorCode;
  message: string;
  /** For BAD_REQUEST / INVALID_BASELINE: where the payload was wrong ("entry.scope: Invalid option"). */
  details?: string[];
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: ApiError };

export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}
export function fail<T = never>(code: ApiErrorCode, message: string, details?: string[]): Result<T> {
  return { ok: false, error: details ? { code, message, details } : { code, message } };
}

// ---------------------------------------------------------------------------------------------
// Case state as the renderer sees it

export type FileState = 'queued' | 'reading' | 'done' | 'failed' | 'cancelled';
export type CaseState = 'empty' | 'reading' | 'analyzing' | 'ready' | 'cancelled';

export interface CaseFile {
  /** Stable within the case ("f0", "f1" ...). */
  id: string;
  /** The evidence file as given (absolute path in Electron, relative upload name in the browser). EvidenceRef.file equals this. */
  name: string;
  size: number;
  /** Hex SHA-256 of the file's bytes; set once the whole file has been hashed. */
  sha256?: string;
  format?: EvidenceFormat | 'archive' | 'unknown';
  bytesRead: number;
  records: number;
  failedRecords: number;
  /** Findings made from this file's events so far. */
  findings: number;
  state: FileState;
  problemCounts: Partial<Record<ProblemCode, number>>;
  /** The first problems (at most CASE_FIRST_PROBLEMS); the counts cover all of them. */
  firstProblems: Problem[];
}

export const CASE_FIRST_PROBLEMS = 20;

export interface CaseProgress {
  bytesTotal: number;
  bytesDone: number;
  records: number;
  findings: number;
  filesTotal: number;
  filesDone: number;
  /** Milliseconds since the case started reading. */
  elapsedMs: number;
}

export interface CaseSnapshot {
  /** Changes every time a case is opened; events carry it so stale ones can be ignored. */
  caseId: string;
  /** Human title: the folder / first file name, or "Demo case". */
  title: string;
  state: CaseState;
  /** Incremented every time the finding set is replaced (analysis, re-scoring). */
  revision: number;
  startedAt?: string;
  finishedAt?: string;
  files: CaseFile[];
  progress: CaseProgress;
  findingCount: number;
  problemCounts: Partial<Record<ProblemCode, number>>;
  workers: number;
}

/** A per-file progress line (pushed at most ~10 times a second). */
export type FileProgress = Pick<CaseFile, 'id' | 'bytesRead' | 'records' | 'failedRecords' | 'findings' | 'state' | 'format' | 'sha256'>;

// ---------------------------------------------------------------------------------------------
// Correlated events and raw records

export type CorrelationRole = 'write' | 'writer-process' | 'ancestor' | 'payload-created' | 'execution' | 'deletion' | 'key-created';

export interface CorrelatedEvent {
  role: CorrelationRole;
  link: EventLink;
  /** The normalized event, when the case holds it whole. */
  event?: NormalizedEvent;
  /** The normalized fields the case keeps for correlation (image, commandLine, pid, processGuid, parentImage, targetFilename, registryKey ...). */
  fields?: Record<string, string | number>;
}

export interface FindingEvents {
  findingId: string;
  /** Ordered by time; the finding's own event has role 'write'. */
  events: CorrelatedEvent[];
}

export interface RawRecord {
  ref: EvidenceRef;
  /** 'xml' for EVTX / XML, 'json' for JSON lines / documents, 'csv' for a CSV row (with its header line). */
  syntax: 'xml' | 'json' | 'csv';
  text: string;
  /** True when the text was cut at RAW_RECORD_MAX_CHARS. */
  truncated: boolean;
}

export const RAW_RECORD_MAX_CHARS = 256 * 1024;

// ---------------------------------------------------------------------------------------------
// Baseline: the entries are the detection engine's own format (shared/detect/baseline.ts); the API
// only lets `id` be left out when adding (the back half assigns one).

export const baselineEntryInputSchema = baselineEntrySchema.extend({ id: z.string().min(1).max(256).optional() });
export type BaselineEntryInput = z.input<typeof baselineEntryInputSchema>;
export type { BaselineEntry };

export interface BaselineState {
  /** The analyst's own entries (the built-in known-good list is applied as well and not editable). */
  entries: BaselineEntry[];
  /** The built-in known-good entries (read-only, always applied; matched on name AND value AND writer). */
  builtin: { id: string; label: string; locations: string[] }[];
  /** Where the file lives (display only). */
  path: string;
  /** Set when the file on disk was unreadable at load: it was moved aside, not replaced silently. */
  loadProblem?: { code: 'CORRUPT_MOVED_ASIDE' | 'UNREADABLE'; message: string; movedTo?: string };
}

export interface SuppressionPreview {
  /** Findings of the open case this entry would mark as baselined. */
  count: number;
  findingIds: string[];
}

// ---------------------------------------------------------------------------------------------
// Exports and settings

export const EXPORT_FORMATS = ['json', 'csv', 'sigma', 'spl', 'kql'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export interface ExportFile {
  fileName: string;
  mime: string;
  text: string;
}

export interface Settings {
  /** Folder of community Sigma rules evaluated on the case (null: none). */
  sigmaRulesFolder: string | null;
  /** Worker threads used for reading (0 = one per core). */
  workers: number;
  /** What was loaded from sigmaRulesFolder for the last case opened (rules apply to cases opened after the folder is set). */
  sigmaStatus?: { folder: string; rules: number; unsupported: number; skippedFiles: number; error?: string };
}

export interface AppInfo {
  host: 'electron' | 'browser';
  version: string;
  /** Electron: the native open dialogs and absolute paths work. Browser: use openFiles (upload). */
  canOpenPaths: boolean;
  /** Browser host: the largest upload accepted (bytes, all files of one case together). */
  maxUploadBytes?: number;
  /** Worker threads actually used. */
  workers: number;
}

// ---------------------------------------------------------------------------------------------
// Requests: one schema per handler. The keys are the channel names.

const findingIds = z.array(z.string().max(512)).max(1_000_000);
const filePath = z.string().min(1).max(32_768);

const evidenceRefSchema = z.object({
  file: z.string().min(1).max(32_768),
  member: z.string().max(32_768).optional(),
  format: z.enum(['evtx', 'xml', 'json', 'csv', 'regf']),
  recordId: z.number().int().nonnegative().optional(),
  headerRecordId: z.number().int().nonnegative().optional(),
  line: z.number().int().positive().optional(),
  offset: z.number().int().nonnegative().optional(),
  chunk: z.number().int().nonnegative().optional(),
  index: z.number().int().nonnegative().optional(),
});

const empty = z.object({}).strict();

export const requestSchemas = {
  /** App capabilities. */
  'app.info': empty,
  /** Electron: open files / folders by absolute path (a folder is read recursively). Browser host: UNSUPPORTED. */
  'case.openPaths': z.object({ paths: z.array(filePath).min(1).max(100_000) }).strict(),
  /** Electron: show the native open dialog, then open what was chosen (value null when the dialog was cancelled). */
  'case.openDialog': z.object({ kind: z.enum(['files', 'folder']) }).strict(),
  /** Browser host: open files previously uploaded under this id (RunkeyClient.openFiles does both steps). */
  'case.openUpload': z.object({ uploadId: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/) }).strict(),
  /** Open the bundled demo case (assets/demo/). */
  'case.openDemo': empty,
  /** Stop reading; what was found so far is kept and analysed. */
  'case.cancel': empty,
  'case.snapshot': empty,
  /** Close the case (forget findings and events). */
  'case.close': empty,
  /** Every current finding (also pushed: findings.added while reading, findings.replaced after analysis / re-scoring). */
  'findings.list': empty,
  /** The correlated events of one finding, with their normalized fields. */
  'finding.events': z.object({ findingId: z.string().min(1).max(512) }).strict(),
  /** The raw XML / JSON / CSV of one record, re-read from the evidence by reference. */
  'record.raw': z.object({ ref: evidenceRefSchema }).strict(),
  'baseline.get': empty,
  'baseline.addEntry': z.object({ entry: baselineEntryInputSchema }).strict(),
  'baseline.updateEntry': z.object({ id: z.string().min(1).max(256), entry: baselineEntryInputSchema }).strict(),
  'baseline.deleteEntry': z.object({ id: z.string().min(1).max(256) }).strict(),
  /** Baseline file text. 'merge' adds entries (same id replaced); 'replace' swaps the analyst entries. */
  'baseline.import': z.object({ text: z.string().max(64 * 1024 * 1024), mode: z.enum(['merge', 'replace']) }).strict(),
  'baseline.export': empty,
  /** How many findings of the open case a candidate entry would suppress (nothing is saved). */
  'baseline.previewSuppression': z.object({ entry: baselineEntryInputSchema }).strict(),
  /** An export of all findings, or of the given ids. */
  'export.findings': z.object({ format: z.enum(EXPORT_FORMATS), findingIds: findingIds.optional() }).strict(),
  'settings.get': empty,
  'settings.update': z
    .object({ sigmaRulesFolder: z.string().max(32_768).nullable().optional(), workers: z.number().int().min(0).max(64).optional() })
    .strict(),
  /** Electron: pick a folder for the Sigma rules with the native dialog (null when cancelled). Browser: UNSUPPORTED. */
  'settings.chooseSigmaFolder': empty,
} as const;

export type HandlerName = keyof typeof requestSchemas;
export const HANDLER_NAMES = Object.keys(requestSchemas) as HandlerName[];
export type RequestOf<K extends HandlerName> = z.input<(typeof requestSchemas)[K]>;
export type ParsedRequestOf<K extends HandlerName> = z.output<(typeof requestSchemas)[K]>;

/** What each handler answers (inside Result). Must list exactly the keys of requestSchemas. */
export interface Responses {
  'app.info': AppInfo;
  'case.openPaths': CaseSnapshot;
  'case.openDialog': CaseSnapshot | null;
  'case.openUpload': CaseSnapshot;
  'case.openDemo': CaseSnapshot;
  'case.cancel': CaseSnapshot;
  'case.snapshot': CaseSnapshot;
  'case.close': CaseSnapshot;
  'findings.list': { caseId: string; revision: number; findings: Finding[] };
  'finding.events': FindingEvents;
  'record.raw': RawRecord;
  'baseline.get': BaselineState;
  'baseline.addEntry': BaselineState;
  'baseline.updateEntry': BaselineState;
  'baseline.deleteEntry': BaselineState;
  'baseline.import': BaselineState & { imported: number };
  'baseline.export': ExportFile;
  'baseline.previewSuppression': SuppressionPreview;
  'export.findings': ExportFile;
  'settings.get': Settings;
  'settings.update': Settings;
  'settings.chooseSigmaFolder': Settings | null;
}
type SameKeys<A, B> = [Exclude<keyof A, keyof B>, Exclude<keyof B, keyof A>] extends [never, never] ? true : never;
const _responsesCoverHandlers: SameKeys<Responses, typeof requestSchemas> = true;
void _responsesCoverHandlers;

/** The back half implements this map; hosts call it after parsing the request. */
export type Handlers = {
  [K in HandlerName]: (req: ParsedRequestOf<K>) => Promise<Result<Responses[K]>>;
};

/** Parses a request from `unknown` (IPC / HTTP boundary). */
export function parseRequest<K extends HandlerName>(name: K, payload: unknown): Result<ParsedRequestOf<K>> {
  const r = requestSchemas[name].safeParse(payload ?? {});
  if (r.success) return ok(r.data as ParsedRequestOf<K>);
  return fail('BAD_REQUEST', `bad ${name} request`, r.error.issues.map((i) => `${i.path.join('.') || '(payload)'}: ${i.message}`));
}

export function isHandlerName(s: string): s is HandlerName {
  return Object.prototype.hasOwnProperty.call(requestSchemas, s);
}

// ---------------------------------------------------------------------------------------------
// Pushed events

export interface BackendEvents {
  /** A case was opened (or closed: state 'empty'). */
  'case.opened': CaseSnapshot;
  /** At most ~10 per second while reading. `files` holds the files whose figures changed. */
  'ingest.progress': { caseId: string; progress: CaseProgress; files: FileProgress[] };
  /** Preliminary findings as they are found while reading (single-event indicators; no rarity / correlation yet). */
  'findings.added': { caseId: string; revision: number; findings: Finding[] };
  /** The whole finding set, replacing everything before: after analysis and after each re-scoring. */
  'findings.replaced': { caseId: string; revision: number; findings: Finding[]; reason: 'analysis' | 'baseline' | 'settings' };
  /** A problem in the evidence (warnings and errors; the case snapshot keeps counts and the first ones). */
  'ingest.problem': { caseId: string; fileId: string; problem: Problem };
  /** Reading and analysis finished (or were cancelled). */
  'ingest.done': { caseId: string; cancelled: boolean; snapshot: CaseSnapshot };
  'baseline.changed': BaselineState;
  'settings.changed': Settings;
}
export type EventName = keyof BackendEvents;
const eventNameSet: { [E in EventName]: true } = {
  'case.opened': true,
  'ingest.progress': true,
  'findings.added': true,
  'findings.replaced': true,
  'ingest.problem': true,
  'ingest.done': true,
  'baseline.changed': true,
  'settings.changed': true,
};
export const EVENT_NAMES = Object.keys(eventNameSet) as EventName[];
export function isEventName(s: string): s is EventName {
  return Object.prototype.hasOwnProperty.call(eventNameSet, s);
}

/** Whoever sends events (Electron window, SSE clients) implements this. */
export type EventSink = <E extends EventName>(event: E, payload: BackendEvents[E]) => void;

// ---------------------------------------------------------------------------------------------
// The client the renderer codes against

/** Structural stand-in for the DOM File (shared/ has no DOM types): a File satisfies it. */
export interface FileLike {
  readonly name: string;
  readonly size: number;
  /** Set by <input webkitdirectory> / folder drops: "folder/sub/file.evtx". */
  readonly webkitRelativePath?: string;
}

/** Bytes of an upload sent so far (browser host; Electron opens files in place). */
export interface UploadProgress {
  sentBytes: number;
  totalBytes: number;
  /** The file being sent. */
  file: string;
}

export interface RunkeyClient {
  readonly host: 'electron' | 'browser';
  invoke<K extends HandlerName>(name: K, req: RequestOf<K>): Promise<Result<Responses[K]>>;
  /** Subscribe; returns the unsubscribe function. */
  on<E extends EventName>(event: E, cb: (payload: BackendEvents[E]) => void): () => void;
  /**
   * Open dropped / chosen files as a new case: Electron resolves their paths (webUtils.getPathForFile);
   * the browser uploads them, reporting the bytes sent as it goes.
   */
  openFiles(files: readonly FileLike[] | ArrayLike<FileLike>, onProgress?: (p: UploadProgress) => void): Promise<Result<CaseSnapshot>>;
}

// ---------------------------------------------------------------------------------------------
// Transports (names written once, used by both sides)

/** Electron IPC: ipcRenderer.invoke(IPC_INVOKE, name, payload) → Result; events on IPC_EVENT as (name, payload). */
export const IPC_INVOKE = 'runkey:invoke';
export const IPC_EVENT = 'runkey:event';

/** Browser host: POST `${HTTP_API_PREFIX}<handler>` with a JSON body → Result (HTTP 200 even for ok:false; 403 / 413 for FORBIDDEN / TOO_LARGE). */
export const HTTP_API_PREFIX = '/api/';
/** Server-sent events: each event has `event: <name>` and `data: <JSON payload>`. */
export const HTTP_EVENTS_PATH = '/api/events';
/** POST raw file bytes: `${HTTP_UPLOAD_PATH}?upload=<id>&name=<relative name>`; the first call omits `upload` and gets a new id back: Result<{ uploadId }>. */
export const HTTP_UPLOAD_PATH = '/api/upload';
/** The per-run token: the page URL carries `?token=`; the server also sets it as a cookie. Send it as this header (or `token` query for SSE). */
export const HTTP_TOKEN_HEADER = 'x-runkey-token';
export const HTTP_TOKEN_QUERY = 'token';
