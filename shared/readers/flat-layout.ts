// The 'flat' layout: one object / row per event with the System fields and the EventData names
// side by side (OTRF Security-Datasets via nxlog or Logstash, Splunk, generic CSV). The System
// spellings are listed here once; everything that is not a System field or collector metadata is
// event data under its own name.
//
// Time. Flat exports are unreliable about zones, as the OTRF samples show:
//  - nxlog (EventTime, EventReceivedTime) writes LOCAL time without a zone; Logstash's @timestamp
//    is the UTC time the collector received it (seconds to minutes later).
//  - other OTRF sets write TimeCreated with a "Z" that is in fact local time (psh_mshta_…: 03:52Z
//    while Sysmon's UtcTime says 07:52), or TimeCreated without a zone (16 h off UtcTime).
// So: Sysmon's own UtcTime (explicitly UTC, ms) wins. Else nxlog's EventTime is corrected by the
// host's offset, derived per event as (EventReceivedTime − @timestamp) rounded to 15 minutes.
// Else TimeCreated is used, corrected by an offset the reader learns from events carrying both
// TimeCreated and UtcTime (see TimeCalibration). @timestamp (ingest time) is the last resort.

import type { RawSystem, RawValue } from '../model/raw-event';
import { parseTime, type ParsedTime } from '../model/time';
import { canonicalChannel } from './channel-names';

export const FLAT_EVENT_ID_KEYS = ['EventID', 'EventId', 'EventCode', 'event_id', 'Event ID'] as const;

/** System header spellings, in order of preference. */
const SYSTEM_KEYS = {
  channel: ['Channel', 'LogName', 'channel', 'log_name', 'Log Name'],
  computer: ['Hostname', 'Computer', 'ComputerName', 'computer_name', 'MachineName'],
  provider: ['SourceName', 'ProviderName', 'Provider', 'provider_name', 'Source'],
  providerGuid: ['ProviderGuid', 'provider_guid'],
  recordId: ['EventRecordID', 'RecordNumber', 'EventRecordId', 'RecordId', 'record_number', 'record_id'],
  processId: ['ExecutionProcessID'],
  threadId: ['ThreadID', 'ExecutionThreadID'],
  userSid: ['UserID'],
  version: ['Version'],
  task: ['Task'],
  opcode: ['OpcodeValue'],
  keywords: ['Keywords'],
  level: ['Level'],
} as const;

/** Keys that name the event's context: one of these beside an event id makes an object / header 'flat'. */
export const FLAT_CONTEXT_KEYS: readonly string[] = [
  ...SYSTEM_KEYS.channel, ...SYSTEM_KEYS.computer, ...SYSTEM_KEYS.provider, ...SYSTEM_KEYS.recordId,
  'TimeCreated', 'EventTime', 'UtcTime', '@timestamp', 'Date and Time', 'host',
];

const TIME_KEYS = ['TimeCreated', 'EventTime', 'Date and Time', 'TimeGenerated', 'SystemTime'] as const;

/** Collector / transport metadata and rendered text: not event data. */
const DROPPED = new Set([
  '@version', '@timestamp', 'port', 'tags', 'EventReceivedTime', 'SourceModuleName', 'SourceModuleType', 'Severity',
  'SeverityValue', 'EventTypeOrignal', 'Message', 'Category', 'Opcode', 'Level', 'Task Category', 'Date and Time',
  '_raw', '_time', 'sourcetype', 'source', 'index', 'linecount', 'splunk_server', 'punct', 'beat', 'agent', 'ecs', 'input',
  'log', 'fields', 'TimeGenerated', 'SystemTime',
]);

export function toRawValue(v: unknown): RawValue {
  if (v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  if (Array.isArray(v)) return v.map(toRawValue);
  if (v === undefined) return null;
  return JSON.stringify(v);
}

export function toNumber(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v !== 'string') return undefined;
  const t = v.trim();
  if (t === '') return undefined;
  const n = /^0x[0-9a-f]+$/i.test(t) ? parseInt(t, 16) : Number(t);
  return Number.isFinite(n) ? n : undefined;
}

export function toText(v: unknown): string | undefined {
  if (typeof v === 'string') return v.trim() === '' ? undefined : v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return undefined;
}

function first(o: Record<string, unknown>, keys: readonly string[]): [string, unknown] | undefined {
  for (const k of keys) if (o[k] !== undefined && o[k] !== null && o[k] !== '') return [k, o[k]];
  return undefined;
}

export function isFlatObject(o: Record<string, unknown>): boolean {
  const id = first(o, FLAT_EVENT_ID_KEYS);
  if (!id || toNumber(id[1]) === undefined) return false;
  return FLAT_CONTEXT_KEYS.some((k) => o[k] !== undefined);
}

const ZONED = /(?:Z|[+-]\d{2}:?\d{2}|UTC)\s*$/i;
const QUARTER_HOUR = 15 * 60 * 1000;

/** ISO text for `ms` keeping the fraction the source wrote. */
function isoWithFraction(ms: number, source: string): string {
  const frac = /[.,](\d{1,9})/.exec(source.slice(17))?.[1];
  return `${new Date(ms).toISOString().slice(0, 19)}${frac ? '.' + frac : ''}Z`;
}

export type FlatTimeSource = 'utc' | 'nxlog' | 'created' | 'ingest' | 'none';

export interface FlatEvent {
  system: RawSystem;
  data: Record<string, RawValue>;
  timeSource: FlatTimeSource;
  /** For 'created': the TimeCreated text, to be corrected once the calibration is known. */
  createdText?: string;
}

function pickTime(o: Record<string, unknown>): { t?: ParsedTime; source: FlatTimeSource; text?: string } {
  const utc = parseTime(o.UtcTime);
  if (utc) return { t: utc, source: 'utc' };
  const ev = typeof o.EventTime === 'string' ? o.EventTime : undefined;
  const recv = parseTime(o.EventReceivedTime);
  const ts = parseTime(o['@timestamp']);
  if (ev && !ZONED.test(ev) && recv && ts) {
    const local = parseTime(ev);
    if (local) {
      const offset = Math.round((recv.ms - ts.ms) / QUARTER_HOUR) * QUARTER_HOUR;
      const ms = local.ms - offset;
      return { t: { ms, iso: isoWithFraction(ms, ev) }, source: 'nxlog' };
    }
  }
  const created = first(o, TIME_KEYS);
  if (created && typeof created[1] === 'string') {
    const t = parseTime(created[1]);
    if (t) return { t, source: 'created', text: created[1] };
  }
  if (ts) return { t: ts, source: 'ingest' };
  return { source: 'none' };
}

export function mapFlat(o: Record<string, unknown>): FlatEvent {
  const used = new Set<string>();
  const take = (keys: readonly string[]): unknown => {
    const f = first(o, keys);
    if (!f) return undefined;
    used.add(f[0]);
    return f[1];
  };
  const system: RawSystem = {};
  const id = take(FLAT_EVENT_ID_KEYS);
  system.eventId = toNumber(id);
  const channel = toText(take(SYSTEM_KEYS.channel));
  if (channel) system.channel = canonicalChannel(channel);
  // 'host' is the collector (OTRF: wec.internal.cloudapp.net) when the event names its own computer
  system.computer = toText(take(SYSTEM_KEYS.computer)) ?? toText(o.host);
  used.add('host');
  system.provider = toText(take(SYSTEM_KEYS.provider));
  system.providerGuid = toText(take(SYSTEM_KEYS.providerGuid));
  system.recordId = toNumber(take(SYSTEM_KEYS.recordId));
  system.processId = toNumber(take(SYSTEM_KEYS.processId));
  system.threadId = toNumber(take(SYSTEM_KEYS.threadId));
  const sid = toText(take(SYSTEM_KEYS.userSid));
  if (sid && /^S-1-/i.test(sid)) system.userSid = sid;
  system.version = toNumber(take(SYSTEM_KEYS.version));
  system.task = toNumber(take(SYSTEM_KEYS.task));
  system.opcode = toNumber(take(SYSTEM_KEYS.opcode));
  system.level = toNumber(o.Level);
  const kw = take(SYSTEM_KEYS.keywords);
  if (kw !== undefined) system.keywords = String(kw);
  const time = pickTime(o);
  if (time.t) system.timeCreated = time.t.iso;
  for (const k of TIME_KEYS) used.add(k);
  for (const k of Object.keys(system) as Array<keyof RawSystem>) if (system[k] === undefined) delete system[k];

  const data: Record<string, RawValue> = {};
  for (const [k, v] of Object.entries(o)) {
    if (used.has(k) || DROPPED.has(k)) continue;
    data[k] = toRawValue(v);
  }
  // the classic Windows PowerShell log (400 / 800) names none of its data: nxlog keeps its
  // HostApplication= and pipeline lines only in the rendered Message
  if (typeof o.Message === 'string' && system.channel?.toLowerCase() === 'windows powershell') data.Message = o.Message;
  const out: FlatEvent = { system, data, timeSource: time.source };
  if (time.source === 'created') out.createdText = time.text;
  return out;
}

/**
 * Learns how far a stream's TimeCreated is from the truth, from events that carry both TimeCreated
 * and Sysmon's UtcTime (rounded to 15 minutes, so the ms between logging and the event vanish).
 */
export class TimeCalibration {
  /** Offset to subtract from TimeCreated, once known. */
  offsetMs: number | undefined;

  observe(o: Record<string, unknown>): boolean {
    if (this.offsetMs !== undefined) return false;
    const created = first(o, TIME_KEYS);
    if (!created) return false;
    const c = parseTime(created[1]);
    const u = parseTime(o.UtcTime);
    if (!c || !u) return false;
    this.offsetMs = Math.round((c.ms - u.ms) / QUARTER_HOUR) * QUARTER_HOUR;
    return true;
  }

  /** The corrected ISO time for a TimeCreated text (unchanged while nothing was learned). */
  correct(text: string): string | undefined {
    const t = parseTime(text);
    if (!t) return undefined;
    if (!this.offsetMs) return t.iso;
    return isoWithFraction(t.ms - this.offsetMs, text.replace(/\s*(Z|[+-]\d{2}:?\d{2}|UTC)$/i, ''));
  }
}
