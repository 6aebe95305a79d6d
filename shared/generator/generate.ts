// The generator's output stage, host-independent: plan a scenario, merge the hosts' event streams
// in time order, number records per host + channel, render them for the chosen format and emit
// file operations (open / append / write-at / close). The host (electron/generate) performs the
// operations with streams and may pause between them, so memory stays bounded: at most one EVTX
// chunk per open file plus a small text buffer. The answer key is the last file written.

import { Prng } from './prng';
import { planScenario, DEFAULT_SCENARIO, type GenerateOptions, type OutputFormat, type Plan } from './scenarios';
import { hostEvents } from './timeline';
import type { HostSpec, LogicalEvent } from './model';
import { renderWindows, sysmonDetails, type WinRecord } from './render/windows-event';
import { renderDefender, type DefenderRow, type DefenderTable } from './render/defender';
import { EvtxWriter } from './evtx-writer/evtx-writer';
import { eventXml, XML_FOOTER, XML_HEADER } from './writers/xml-writer';
import { eventNdjson } from './writers/ndjson-writer';
import { csvHeader, csvRow } from './writers/csv-writer';
import { filetimeIso } from './writers/time-format';
import { ANSWER_KEY_FILE, ANSWER_KEY_VERSION, type AnswerKey, type AnswerRecord, type AnswerRecordRef } from './answer-key';
import { GENERATOR_VERSION } from './version';
import { concatBytes } from '../bytes/byte-stream';

export type OutputOp =
  | { op: 'open'; file: string }
  | { op: 'append'; file: string; data: Uint8Array }
  | { op: 'writeAt'; file: string; position: number; data: Uint8Array }
  | { op: 'close'; file: string };

export interface RunOptions extends GenerateOptions {
  format?: OutputFormat;
  /**
   * Keep the answer-key records in the returned key (default true). The file always holds them;
   * huge runs pass false so memory does not grow with the near-miss records of the noise.
   */
  keepRecords?: boolean;
  /** Sees every record as it is written (tests compare what readers return with it). */
  observe?: (file: string, record: WinRecord | DefenderRow) => void;
}

const TEXT_FLUSH = 256 * 1024;
const enc = new TextEncoder();

interface OutFile {
  name: string;
  bytes: number;
  records: number;
  /** Next 1-based line (text formats). */
  line: number;
  text: string;
  evtx?: EvtxWriter;
}

export function commandFor(o: Required<Pick<RunOptions, 'scenario' | 'seed' | 'format'>> & Omit<RunOptions, 'observe'>): string {
  const parts = ['runkey-hunter generate', `--scenario ${o.scenario}`];
  if (o.hosts !== undefined) parts.push(`--hosts ${o.hosts}`);
  if (o.events !== undefined) parts.push(`--events ${o.events}`);
  parts.push(`--format ${o.format}`, `--seed ${o.seed}`);
  return parts.join(' ');
}

/** Merge per-host streams by (time, tick, host index). */
function* mergeHosts(plan: Plan, rng: Prng): Generator<LogicalEvent> {
  const its = plan.hosts.map((h, i) => hostEvents(h, rng.fork(`host${i}`)));
  const heads: (LogicalEvent | undefined)[] = its.map((it) => it.next().value ?? undefined);
  for (;;) {
    let best = -1;
    for (let i = 0; i < heads.length; i++) {
      const h = heads[i];
      if (!h) continue;
      const b = best >= 0 ? heads[best] as LogicalEvent : undefined;
      if (!b || h.ms < b.ms || (h.ms === b.ms && h.sub < b.sub)) best = i;
    }
    if (best < 0) return;
    yield heads[best] as LogicalEvent;
    const n = its[best].next();
    heads[best] = n.done ? undefined : n.value;
  }
}

function fieldsOf(e: LogicalEvent): AnswerRecord['fields'] {
  const user = `${e.proc.user.domain}\\${e.proc.user.name}`;
  // a PowerShell record names its host process by pid only; a logon names the account
  if (e.kind === 'script' || e.kind === 'logon') return { user };
  if (e.kind === 'process') return { image: e.proc.image, commandLine: e.proc.commandLine, parentImage: e.proc.parent?.image, user };
  if (e.kind === 'file') return { targetFilename: e.target, image: e.proc.image, user };
  const op = e.op;
  const valueOp = op.action === 'set-value' || op.action === 'delete-value';
  return {
    registryKey: op.action === 'rename-key' ? op.key : op.key, valueName: valueOp ? op.valueName : undefined,
    details: op.action === 'set-value' ? sysmonDetails(op) : undefined, image: e.proc.image, user,
  };
}

function actionOf(e: LogicalEvent): string {
  return e.kind === 'registry' ? e.op.action : e.kind === 'file' ? 'create' : e.kind === 'process' ? 'start' : e.kind === 'script' ? `ps-${e.eventId}` : 'logon';
}

/** Run the generator: yields file operations; the answer key is the last file. */
export function* generate(opts: RunOptions): Generator<OutputOp, AnswerKey> {
  const scenarioId = opts.scenario || DEFAULT_SCENARIO;
  const plan = planScenario({ ...opts, scenario: scenarioId });
  const format = opts.format ?? plan.scenario.defaultFormat;
  const rng = new Prng(opts.seed ^ 0x5eed);
  const files = new Map<string, OutFile>();
  const pending: OutputOp[] = [];
  const records: AnswerRecord[] = [];
  const recordIds = new Map<string, number>();
  const reportIds = new Map<string, number>();
  const idRng = new Prng(opts.seed ^ 0x1d5);

  const open = (name: string, header?: Uint8Array | string): OutFile => {
    let f = files.get(name);
    if (f) return f;
    f = { name, bytes: 0, records: 0, line: 1, text: '' };
    files.set(name, f);
    pending.push({ op: 'open', file: name });
    if (format === 'evtx') {
      const file = f;
      file.evtx = new EvtxWriter((chunk) => {
        pending.push({ op: 'append', file: name, data: chunk.slice() });
        file.bytes += chunk.length;
      });
      pending.push({ op: 'append', file: name, data: EvtxWriter.placeholder() });
      f.bytes += 4096;
    } else if (header !== undefined) {
      appendText(f, typeof header === 'string' ? header : new TextDecoder().decode(header));
    }
    return f;
  };
  const appendText = (f: OutFile, s: string) => {
    f.text += s;
    for (let i = s.indexOf('\n'); i >= 0; i = s.indexOf('\n', i + 1)) f.line++;
    if (f.text.length >= TEXT_FLUSH) flushText(f);
  };
  const flushText = (f: OutFile) => {
    if (!f.text) return;
    const data = enc.encode(f.text);
    f.bytes += data.length;
    f.text = '';
    pending.push({ op: 'append', file: f.name, data });
  };

  const nextRecordId = (host: HostSpec, channel: string): number => {
    const k = `${host.fqdn}|${channel}`;
    const id = recordIds.get(k) ?? idRng.int(1_000, 400_000);
    recordIds.set(k, id + 1);
    return id;
  };

  // The key file is streamed: records first, as they are written; the rest at the end.
  const keyFile: OutFile = { name: ANSWER_KEY_FILE, bytes: 0, records: 0, line: 1, text: '' };
  pending.push({ op: 'open', file: ANSWER_KEY_FILE });
  appendText(keyFile, '{\n"records": [\n');
  const summary = { malicious: 0, benign: 0 };
  const note = (e: LogicalEvent, ref: AnswerRecordRef, eventId?: number) => {
    const l = e.label;
    if (!l) return;
    const rec: AnswerRecord = {
      story: l.story, title: l.title, role: l.role, malicious: l.malicious, host: e.host.fqdn, time: filetimeIso(e.ms, e.sub),
      kind: e.kind, action: actionOf(e), eventId, techniques: l.techniques, minSeverity: l.minSeverity, maxSeverity: l.maxSeverity, ref, fields: fieldsOf(e),
    };
    appendText(keyFile, (keyFile.records++ ? ',\n' : '') + JSON.stringify(rec));
    if (l.malicious) summary.malicious++;
    else summary.benign++;
    if (opts.keepRecords !== false) records.push(rec);
  };

  const channelFile = (r: WinRecord, ext: string) => `${r.host.name}-${r.channel === 'sysmon' ? 'Sysmon' : r.channel === 'powershell' ? 'PowerShell' : 'Security'}.${ext}`;

  if (format === 'ndjson') open('events.ndjson');
  for (const e of mergeHosts(plan, rng)) {
    if (format === 'csv') {
      // Defender's tables hold no PowerShell log records or logons
      if (e.kind === 'script' || e.kind === 'logon') continue;
      const k = e.host.fqdn;
      const rid = (reportIds.get(k) ?? idRng.int(1_000, 90_000)) + 1;
      reportIds.set(k, rid);
      const row: DefenderRow = renderDefender(e, rid);
      const name = `${row.table}.csv`;
      const f = open(name, csvHeaderFor(row.table));
      note(e, { file: name, format, line: f.line, table: row.table });
      opts.observe?.(name, row);
      appendText(f, csvRow(row));
      f.records++;
    } else {
      for (const r of renderWindows(e)) {
        r.recordId = nextRecordId(r.host, r.channel);
        if (format === 'evtx') {
          const f = open(channelFile(r, 'evtx'));
          opts.observe?.(f.name, r);
          const place = (f.evtx as EvtxWriter).add(r);
          f.records++;
          note(e, { file: f.name, format, recordId: r.recordId, offset: place.offset, channel: r.channelName }, r.eventId);
        } else if (format === 'xml') {
          const f = open(channelFile(r, 'xml'), XML_HEADER);
          opts.observe?.(f.name, r);
          note(e, { file: f.name, format, recordId: r.recordId, line: f.line, channel: r.channelName }, r.eventId);
          appendText(f, eventXml(r));
          f.records++;
        } else {
          const f = open('events.ndjson');
          opts.observe?.(f.name, r);
          note(e, { file: f.name, format, recordId: r.recordId, line: f.line, channel: r.channelName }, r.eventId);
          appendText(f, eventNdjson(r));
          f.records++;
        }
      }
    }
    while (pending.length) yield pending.shift() as OutputOp;
  }

  for (const f of files.values()) {
    if (f.evtx) {
      pending.push({ op: 'writeAt', file: f.name, position: 0, data: f.evtx.finish() });
    } else {
      if (format === 'xml') appendText(f, XML_FOOTER);
      flushText(f);
    }
    pending.push({ op: 'close', file: f.name });
  }
  while (pending.length) yield pending.shift() as OutputOp;

  const meta: Omit<AnswerKey, 'records'> = {
    version: ANSWER_KEY_VERSION, generator: `runkey-hunter generator ${GENERATOR_VERSION}`, scenario: plan.scenario.id, seed: opts.seed, format,
    command: commandFor({ scenario: plan.scenario.id, hosts: opts.hosts, events: opts.events, seed: opts.seed, format }),
    span: { start: new Date(plan.startMs).toISOString(), end: new Date(plan.endMs).toISOString() },
    hosts: plan.hosts.map((h) => ({ name: h.host.name, fqdn: h.host.fqdn, logging: format === 'csv' ? 'defender' : h.host.logging, users: h.host.users.map((u) => ({ name: `${u.domain}\\${u.name}`, sid: u.sid })) })),
    files: [...files.values()].map((f) => ({ file: f.name, records: f.records, bytes: f.bytes })).sort((a, b) => a.file.localeCompare(b.file)),
    stories: plan.hosts.flatMap((h) => h.stories.map((s) => ({ id: s.story.id, title: s.story.title, host: h.host.fqdn, techniques: s.story.techniques }))),
    summary,
  };
  appendText(keyFile, `\n],\n${JSON.stringify(meta, null, 1).slice(2)}\n`);
  flushText(keyFile);
  yield* pending.splice(0);
  yield { op: 'close', file: ANSWER_KEY_FILE };
  return { ...meta, records };
}

function csvHeaderFor(t: DefenderTable): string {
  return csvHeader(t);
}

/** Run to completion in memory (tests, the demo builder): file name → bytes, plus the key. */
export function generateToMemory(opts: RunOptions): { files: Map<string, Uint8Array>; key: AnswerKey } {
  const parts = new Map<string, Uint8Array[]>();
  const patches: { file: string; position: number; data: Uint8Array }[] = [];
  const it = generate(opts);
  let r = it.next();
  while (!r.done) {
    const op = r.value;
    if (op.op === 'open') parts.set(op.file, []);
    else if (op.op === 'append') parts.get(op.file)?.push(op.data);
    else if (op.op === 'writeAt') patches.push(op);
    r = it.next();
  }
  const files = new Map<string, Uint8Array>();
  for (const [name, chunks] of parts) files.set(name, concatBytes(chunks));
  for (const p of patches) files.get(p.file)?.set(p.data, p.position);
  return { files, key: r.value };
}
