// Recognises which exporter wrote a JSON event object and maps it to canonical System + data.
// Layouts (RawLayout): the JSON rendering of the event XML (evtx_dump / SigmaHQ "#attributes",
// xmltodict "@Name"), Winlogbeat / Elastic ECS, OTRF / nxlog / Splunk 'flat', PowerShell
// Get-WinEvent | ConvertTo-Json, EvtxECmd, and Defender advanced-hunting rows. An object that is
// none of these returns undefined (the reader counts it as UNKNOWN_LAYOUT).

import type { RawLayout, RawSystem, RawValue } from '../model/raw-event';
import { findSchema } from '../model/event-schemas';
import { parseTime } from '../model/time';
import { fileTimePrecision } from './xml-event';
import { canonicalChannel } from './channel-names';
import { isFlatObject, mapFlat, toNumber, toRawValue, toText, type FlatEvent } from './flat-layout';
import { defenderTableOf } from './defender-layout';
import { mapWinlogbeatEvent } from './winlogbeat-layout';

type Obj = Record<string, unknown>;

export interface MappedEvent {
  layout: RawLayout;
  table?: string;
  system: RawSystem;
  data: Record<string, RawValue>;
  /** Set for 'flat' events (their time may need the stream's calibration). */
  flat?: FlatEvent;
}

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function clean(sys: RawSystem): RawSystem {
  for (const k of Object.keys(sys) as Array<keyof RawSystem>) if (sys[k] === undefined || sys[k] === '') delete sys[k];
  return sys;
}

// --- the JSON rendering of event XML -------------------------------------------------------------

/** Attributes of an XML-as-JSON element: {"#attributes":{…}}, {"@attributes":{…}} or "@Name" keys. */
function xattrs(v: unknown): Obj {
  if (!isObj(v)) return {};
  const a = v['#attributes'] ?? v['@attributes'];
  const out: Obj = isObj(a) ? { ...a } : {};
  for (const [k, val] of Object.entries(v)) if (k.startsWith('@') && k !== '@attributes') out[k.slice(1)] = val;
  return out;
}

/** Text of an XML-as-JSON element: the value itself, or its "#text" / "$" / "_". */
function xtext(v: unknown): unknown {
  if (isObj(v)) return v['#text'] ?? v.$ ?? v._;
  return v;
}

function xValue(v: unknown): RawValue {
  if (v === null || v === undefined) return '';
  const t = xtext(v);
  if (t === undefined) return isObj(v) && Object.keys(xattrs(v)).length === Object.keys(v).length ? '' : toRawValue(v);
  return toRawValue(t);
}

function windowsSystem(s: Obj): RawSystem {
  const sys: RawSystem = {};
  const prov = xattrs(s.Provider);
  sys.provider = toText(prov.Name) ?? toText(prov.EventSourceName);
  sys.providerGuid = toText(prov.Guid);
  // EventID may carry Qualifiers: {"#attributes":{"Qualifiers":0},"#text":1033}; the id is the text
  sys.eventId = toNumber(xtext(s.EventID));
  sys.qualifiers = toNumber(xattrs(s.EventID).Qualifiers);
  sys.version = toNumber(xtext(s.Version));
  sys.level = toNumber(xtext(s.Level));
  sys.task = toNumber(xtext(s.Task));
  sys.opcode = toNumber(xtext(s.Opcode));
  const kw = xtext(s.Keywords);
  if (kw !== undefined && kw !== null) sys.keywords = String(kw);
  const tc = xattrs(s.TimeCreated).SystemTime ?? xtext(s.TimeCreated);
  sys.timeCreated = fileTimePrecision(parseTime(tc)?.iso);
  sys.recordId = toNumber(xtext(s.EventRecordID));
  sys.correlationActivityId = toText(xattrs(s.Correlation).ActivityID);
  const ex = xattrs(s.Execution);
  sys.processId = toNumber(ex.ProcessID);
  sys.threadId = toNumber(ex.ThreadID);
  const ch = toText(xtext(s.Channel));
  if (ch) sys.channel = canonicalChannel(ch);
  sys.computer = toText(xtext(s.Computer));
  sys.userSid = toText(xattrs(s.Security).UserID);
  return clean(sys);
}

/** EventData as {"Name": value}, or {"Data": [{"@Name": n, "#text": v}, …]}, or unnamed Data values. */
export function windowsEventData(ed: unknown, data: Record<string, RawValue>): void {
  if (!isObj(ed)) {
    if (ed !== null && ed !== undefined && ed !== '') data.Data0 = toRawValue(ed);
    return;
  }
  let unnamed = 0;
  const addData = (item: unknown) => {
    // the common {"@Name": n, "#text": v} item (evtx_dump, EvtxECmd) without copying its attributes
    const direct = isObj(item) ? item['@Name'] : undefined;
    if (typeof direct === 'string' && direct.trim() !== '') {
      data[direct] = xValue((item as Obj)['#text'] ?? null);
      return;
    }
    const a = xattrs(item);
    const name = toText(a.Name);
    const value = isObj(item) ? xValue(item['#text'] ?? (Object.keys(a).length ? null : item)) : xValue(item);
    if (name) data[name] = value;
    else if (isObj(item) && Array.isArray(item['#text'])) for (const x of item['#text']) data[`Data${unnamed++}`] = xValue(x);
    else data[`Data${unnamed++}`] = value;
  };
  for (const [k, v] of Object.entries(ed)) {
    if (k === '#attributes' || k === '@attributes' || k.startsWith('@') || k === 'xmlns') continue;
    if (k === 'Data') {
      if (Array.isArray(v)) v.forEach(addData);
      else addData(v);
    } else if (k === '#text') {
      if (Array.isArray(v)) for (const x of v) data[`Data${unnamed++}`] = xValue(x);
      else data[`Data${unnamed++}`] = xValue(v);
    } else data[k] = xValue(v);
  }
}

function flattenUserData(v: unknown, data: Record<string, RawValue>, path: string, depth: number): void {
  if (!isObj(v) || depth > 16) return;
  for (const [k, val] of Object.entries(v)) {
    if (k === '#attributes' || k === '@attributes' || k.startsWith('@') || k === 'xmlns') continue;
    if (isObj(val) && Object.keys(val).some((x) => !x.startsWith('#') && !x.startsWith('@'))) {
      flattenUserData(val, data, path ? `${path}.${k}` : k, depth + 1);
    } else {
      const key = k in data && path ? `${path}.${k}` : k;
      data[key] = xValue(val);
    }
  }
}

function mapWindowsEvent(ev: Obj): MappedEvent {
  const system = isObj(ev.System) ? windowsSystem(ev.System) : {};
  const data: Record<string, RawValue> = {};
  if (ev.EventData !== undefined) windowsEventData(ev.EventData, data);
  if (ev.UserData !== undefined) flattenUserData(ev.UserData, data, '', 0);
  return { layout: 'windows-event', system, data };
}

// --- Winlogbeat / Elastic ECS (see winlogbeat-layout.ts) ---------------------------------------

function mapWinlogbeat(o: Obj): MappedEvent {
  return { layout: 'winlogbeat', ...mapWinlogbeatEvent(o) };
}

// --- PowerShell Get-WinEvent | ConvertTo-Json ---------------------------------------------------

const SYSMON_TIME = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}$/;

function propertyValue(v: unknown): RawValue {
  if (isObj(v)) {
    // SecurityIdentifier → {"BinaryLength":…,"Value":"S-1-5-18"}; Guid → {"Guid": …} in some versions
    const inner = v.Value ?? v.value ?? v.Guid;
    if (typeof inner === 'string' || typeof inner === 'number') return inner;
    return JSON.stringify(v);
  }
  if (Array.isArray(v) && v.every((x) => typeof x === 'number')) {
    return v.map((x) => (Number(x) & 0xff).toString(16).padStart(2, '0').toUpperCase()).join('');
  }
  return toRawValue(v);
}

function mapGetWinEvent(o: Obj): MappedEvent {
  const uid = isObj(o.UserId) ? o.UserId.Value : o.UserId;
  const sys: RawSystem = {
    eventId: toNumber(o.Id),
    qualifiers: toNumber(o.Qualifiers),
    provider: toText(o.ProviderName),
    providerGuid: toText(o.ProviderId),
    channel: toText(o.LogName),
    computer: toText(o.MachineName),
    recordId: toNumber(o.RecordId),
    processId: toNumber(o.ProcessId),
    threadId: toNumber(o.ThreadId),
    userSid: toText(uid),
    version: toNumber(o.Version),
    level: toNumber(o.Level),
    task: toNumber(o.Task),
    opcode: toNumber(o.Opcode),
    timeCreated: parseTime(o.TimeCreated)?.iso,
    correlationActivityId: toText(o.ActivityId),
  };
  if (o.Keywords !== undefined && o.Keywords !== null) sys.keywords = String(o.Keywords);
  if (sys.channel) sys.channel = canonicalChannel(sys.channel);
  const data: Record<string, RawValue> = {};
  const props = Array.isArray(o.Properties) ? o.Properties : [];
  let names = findSchema(sys.provider, sys.eventId)?.fields ?? [];
  // Sysmon before v8 wrote no RuleName: everything sits one place earlier, UtcTime included
  const at = (i: number) => String(propertyValue(isObj(props[i]) && 'Value' in props[i] ? (props[i] as Obj).Value : props[i]));
  const u = names.indexOf('UtcTime');
  if (names[0] === 'RuleName' && u > 0 && SYSMON_TIME.test(at(u - 1)) && !SYSMON_TIME.test(at(u))) names = names.slice(1);
  props.forEach((p, i) => {
    const v = propertyValue(isObj(p) && 'Value' in p ? p.Value : p);
    data[i < names.length ? names[i] : `Data${i}`] = v;
  });
  return { layout: 'get-winevent', system: clean(sys), data };
}

// --- EvtxECmd ------------------------------------------------------------------------------------

/** EvtxECmd's Payload column / property: the EventData (or UserData) as a JSON string. */
export function evtxecmdPayload(payload: unknown, data: Record<string, RawValue>): boolean {
  if (typeof payload !== 'string' || payload.trim() === '') return false;
  let p: unknown;
  try {
    p = JSON.parse(payload);
  } catch {
    data.Payload = payload; // not JSON: keep the text rather than lose it
    return false;
  }
  if (!isObj(p)) return false;
  if (p.EventData !== undefined) windowsEventData(p.EventData, data);
  if (p.UserData !== undefined) flattenUserData(p.UserData, data, '', 0);
  return true;
}

export function evtxecmdSystem(o: Obj): RawSystem {
  const sys: RawSystem = {
    eventId: toNumber(o.EventId ?? o.EventID),
    provider: toText(o.Provider),
    channel: toText(o.Channel),
    computer: toText(o.Computer),
    recordId: toNumber(o.EventRecordId ?? o.RecordNumber),
    processId: toNumber(o.ProcessId),
    threadId: toNumber(o.ThreadId),
    userSid: toText(o.UserId),
    timeCreated: parseTime(o.TimeCreated)?.iso,
    keywords: toText(o.Keywords),
  };
  if (sys.channel) sys.channel = canonicalChannel(sys.channel);
  return clean(sys);
}

function mapEvtxecmd(o: Obj): MappedEvent {
  const data: Record<string, RawValue> = {};
  evtxecmdPayload(o.Payload, data);
  return { layout: 'evtxecmd', system: evtxecmdSystem(o), data };
}

// --- Defender rows as JSON -----------------------------------------------------------------------

export function defenderSystem(row: Record<string, unknown>): RawSystem {
  return clean({ computer: toText(row.DeviceName), timeCreated: parseTime(row.Timestamp)?.iso });
}

function mapDefender(o: Obj): MappedEvent {
  const data: Record<string, RawValue> = {};
  for (const [k, v] of Object.entries(o)) data[k] = toRawValue(v);
  const table = defenderTableOf(Object.keys(o), o);
  const out: MappedEvent = { layout: 'defender', system: defenderSystem(o), data };
  if (table) out.table = table;
  return out;
}

// --- dispatch ------------------------------------------------------------------------------------

/** Objects wrapped by Elasticsearch exports ({"_source": …}). */
export function unwrapEvent(v: unknown): unknown {
  if (isObj(v) && isObj(v._source)) return v._source;
  return v;
}

/** Maps one parsed JSON value, or undefined when it is not an event layout we know. */
export function mapJsonEvent(value: unknown): MappedEvent | undefined {
  const o = unwrapEvent(value);
  if (!isObj(o)) return undefined;
  if (isObj(o.Event) && (isObj(o.Event.System) || o.Event.EventData !== undefined || o.Event.UserData !== undefined)) return mapWindowsEvent(o.Event);
  if (isObj(o.System) && (o.EventData !== undefined || o.UserData !== undefined)) return mapWindowsEvent(o);
  if (isObj(o.winlog) || (isObj(o.event_data) && (o.event_id !== undefined || o.log_name !== undefined))) return mapWinlogbeat(o);
  // nxlog's PowerShell 4103 has a Payload too (module logging's own field) beside SourceName: flat
  if ('Payload' in o && ('EventId' in o || ('EventID' in o && !('SourceName' in o)))) return mapEvtxecmd(o);
  if ('Id' in o && ('ProviderName' in o || 'LogName' in o) && ('Properties' in o || 'RecordId' in o || 'TimeCreated' in o)) return mapGetWinEvent(o);
  if ('DeviceName' in o && 'Timestamp' in o && ('ActionType' in o || defenderTableOf(Object.keys(o), o))) return mapDefender(o);
  if (isFlatObject(o)) {
    const flat = mapFlat(o);
    return { layout: 'flat', system: flat.system, data: flat.data, flat };
  }
  return undefined;
}
