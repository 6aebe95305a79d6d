// Text reader throughput (readEvidence on files in os.tmpdir()) for the text formats, built by
// repeating real sample events: NDJSON of OTRF flat events (psh_mshta), back-to-back pretty JSON of
// the SigmaHQ regression events (the evtx_dump layout), Event Viewer XML and EvtxECmd CSV rendered
// from the real records of PanacheSysmon_vs_AtomicRedTeam01.evtx, and a Defender CSV (ClickFix).
// BENCH_TEXT_MB sets each file's size (default 200); BENCH_TEXT_ONLY=json,xml limits the formats.
// Prints MB/s (wall and per CPU second), events/s, normalize() events/s and the peak RSS seen
// during each read.
import { closeSync, openSync, readFileSync, readdirSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import { HAVE_SAMPLES, samplePath } from '../test/samples';
import { openFileSource } from '../electron/io/file-source';
import { readEvidence } from '../shared/readers/read-evidence';
import { bytesSource } from '../shared/readers/types';
import { normalize } from '../shared/normalize/normalize';
import type { RawEvent, RawValue } from '../shared/model/raw-event';

const MB = 1024 * 1024;

async function readAll(bytes: Uint8Array, file: string): Promise<RawEvent[]> {
  const out: RawEvent[] = [];
  const gen = readEvidence(bytesSource(bytes), { file, onProblem: () => undefined });
  for (;;) {
    const r = await gen.next();
    if (r.done) return out;
    out.push(...r.value);
  }
}

/** Writes `unit` (one or more whole events, separated by `sep`) after `head` until `mb` is reached. */
function writeRepeated(path: string, head: string, unit: string, sep: string, tail: string, mb: number): number {
  const fd = openSync(path, 'w');
  const enc = new TextEncoder();
  const u = enc.encode(unit + sep);
  writeSync(fd, enc.encode(head));
  let n = 0;
  for (let written = head.length; written < mb * MB; written += u.length) {
    writeSync(fd, u);
    n++;
  }
  writeSync(fd, enc.encode(tail));
  closeSync(fd);
  return n;
}

const xmlEsc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const str = (v: RawValue | undefined) => (v === undefined || v === null ? '' : Array.isArray(v) ? v.join(',') : String(v));

function eventXml(e: RawEvent): string {
  const s = e.system;
  const data = Object.entries(e.data).map(([k, v]) => `<Data Name="${xmlEsc(k)}">${xmlEsc(str(v))}</Data>`).join('');
  return `<Event xmlns="http://schemas.microsoft.com/win/2004/08/events/event"><System><Provider Name="${s.provider ?? ''}" Guid="${s.providerGuid ?? ''}"/>` +
    `<EventID>${s.eventId}</EventID><Version>${s.version ?? 0}</Version><Level>${s.level ?? 4}</Level><Task>${s.task ?? 0}</Task><Opcode>${s.opcode ?? 0}</Opcode>` +
    `<Keywords>${s.keywords ?? '0x8000000000000000'}</Keywords><TimeCreated SystemTime="${s.timeCreated}"/><EventRecordID>${s.recordId}</EventRecordID><Correlation/>` +
    `<Execution ProcessID="${s.processId ?? 0}" ThreadID="${s.threadId ?? 0}"/><Channel>${s.channel}</Channel><Computer>${xmlEsc(s.computer ?? '')}</Computer>` +
    `<Security UserID="${s.userSid ?? ''}"/></System><EventData>${data}</EventData></Event>`;
}

const CSV_HEADER = 'RecordNumber,EventRecordId,TimeCreated,EventId,Level,Provider,Channel,ProcessId,ThreadId,Computer,ChunkNumber,UserId,MapDescription,UserName,RemoteHost,PayloadData1,PayloadData2,PayloadData3,PayloadData4,PayloadData5,PayloadData6,ExecutableInfo,HiddenRecord,SourceFile,Keywords,ExtraDataOffset,Payload';
const cell = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

function evtxecmdRow(e: RawEvent): string {
  const s = e.system;
  const payload = JSON.stringify({ EventData: { Data: Object.entries(e.data).map(([k, v]) => ({ '@Name': k, '#text': str(v) })) } });
  return [s.recordId, s.recordId, (s.timeCreated ?? '').replace('T', ' ').replace('Z', ''), s.eventId, 'Info', s.provider, s.channel, s.processId, s.threadId,
    s.computer, 0, s.userSid, '', '', '', '', '', '', '', '', '', str(e.data.Image), 'False', 'C:\\Triage\\Sysmon.evtx', 'Classic', 0, payload]
    .map((v) => cell(v === undefined ? '' : String(v))).join(',');
}

function walk(dir: string, ext: string, out: string[] = []): string[] {
  for (const n of readdirSync(dir)) {
    const p = join(dir, n);
    if (statSync(p).isDirectory()) walk(p, ext, out);
    else if (n.endsWith(ext)) out.push(p);
  }
  return out;
}

export interface Input {
  name: string;
  path: string;
}

export async function buildInputs(mb: number, only: Set<string> | undefined): Promise<Input[]> {
  const dir = tmpdir();
  const want = (n: string) => !only || [...only].some((o) => n.startsWith(o));
  const inputs: Input[] = [];
  if (want('json-ndjson')) {
    const zip = unzipSync(new Uint8Array(readFileSync(samplePath('OTRF_Security-Datasets/datasets/atomic/windows/defense_evasion/host/psh_mshta_html_application_execution.zip'))));
    const text = new TextDecoder().decode(Object.values(zip)[0]).trimEnd();
    const path = join(dir, `rk-bench-${process.pid}-otrf.ndjson`);
    writeRepeated(path, '', text, '\n', '', mb);
    inputs.push({ name: 'json-ndjson (OTRF flat)', path });
  }
  if (want('json-pretty')) {
    const files = walk(samplePath('SigmaHQ_sigma/regression_data'), '.json');
    const text = files.map((f) => readFileSync(f, 'utf8').trim()).join('\n');
    const path = join(dir, `rk-bench-${process.pid}-sigma.json`);
    writeRepeated(path, '', text, '\n', '', mb);
    inputs.push({ name: 'json-pretty (evtx_dump objects)', path });
  }
  if (want('xml') || want('csv-evtxecmd')) {
    const evtx = new Uint8Array(readFileSync(samplePath('sbousseaden_EVTX-ATTACK-SAMPLES/AutomatedTestingTools/PanacheSysmon_vs_AtomicRedTeam01.evtx')));
    const events = await readAll(evtx, 'panache.evtx');
    if (want('xml')) {
      const path = join(dir, `rk-bench-${process.pid}-events.xml`);
      writeRepeated(path, '<?xml version="1.0" encoding="utf-8" standalone="yes"?>\r\n<Events>', events.map(eventXml).join('\r\n'), '\r\n', '</Events>', mb);
      inputs.push({ name: 'xml (Event Viewer)', path });
    }
    if (want('csv-evtxecmd')) {
      const path = join(dir, `rk-bench-${process.pid}-evtxecmd.csv`);
      writeRepeated(path, CSV_HEADER + '\r\n', events.map(evtxecmdRow).join('\r\n'), '\r\n', '', mb);
      inputs.push({ name: 'csv-evtxecmd', path });
    }
  }
  if (want('csv-defender')) {
    const text = readFileSync(samplePath('SYNTHETIC_aytankhalilova_ClickFix-MDE/test/clickfix_DeviceRegistryEvents.csv'), 'utf8').replace(/^\uFEFF/, '').trimEnd();
    const nl = text.indexOf('\n');
    const path = join(dir, `rk-bench-${process.pid}-defender.csv`);
    writeRepeated(path, text.slice(0, nl + 1), text.slice(nl + 1), '\n', '', mb);
    inputs.push({ name: 'csv-defender', path });
  }
  return inputs;
}

async function measure(input: Input): Promise<void> {
  const src = await openFileSource(input.path);
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  let events = 0;
  let normalized = 0;
  let normMs = 0;
  let normCpuMs = 0;
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  try {
    const gen = readEvidence(src, { file: input.path, onProblem: () => undefined });
    for (;;) {
      const r = await gen.next();
      if (r.done) break;
      events += r.value.length;
      const n0 = performance.now();
      const nc0 = process.cpuUsage();
      for (const e of r.value) if (normalize(e)) normalized++;
      const nc = process.cpuUsage(nc0);
      normCpuMs += (nc.user + nc.system) / 1000;
      normMs += performance.now() - n0;
      peak = Math.max(peak, process.memoryUsage().rss);
    }
  } finally {
    clearInterval(timer);
    await src.close();
  }
  const s = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(c0);
  // the machine is shared: CPU seconds (this process, GC threads included) say more than the wall clock
  const readCpuS = (cpu.user + cpu.system - normCpuMs * 1000) / 1e6;
  const readS = s - normMs / 1000;
  const mb = src.size / MB;
  console.log(
    `  ${input.name.padEnd(32)} ${mb.toFixed(0).padStart(5)} MB  read ${(mb / readS).toFixed(1).padStart(6)} MB/s (${(mb / readCpuS).toFixed(1).padStart(5)} MB/cpu-s) ${Math.round(events / readS).toLocaleString('en-US').padStart(9)} ev/s` +
      `  normalize ${Math.round(events / (normMs / 1000)).toLocaleString('en-US').padStart(9)} ev/s (${normalized}/${events} used)  peak RSS ${(peak / MB).toFixed(0)} MB`,
  );
}

export async function run(): Promise<void> {
  if (!HAVE_SAMPLES) {
    console.log('  (skipped: ../shared/samples not found)');
    return;
  }
  const mb = Number(process.env.BENCH_TEXT_MB ?? 200);
  const only = process.env.BENCH_TEXT_ONLY ? new Set(process.env.BENCH_TEXT_ONLY.split(',')) : undefined;
  const inputs = await buildInputs(mb, only);
  console.log(`  text readers on ~${mb} MB files in ${tmpdir()} (read = readEvidence on a read-only file; normalize timed apart)`);
  try {
    for (const input of inputs) await measure(input);
  } finally {
    for (const i of inputs) unlinkSync(i.path);
  }
}
