// Winlogbeat / Elastic Agent (ECS) event documents. The System header is under `winlog.*`
// (winlogbeat 6 wrote it at the top level), EventData under `winlog.event_data`.
//
// Winlogbeat 7/8 with its Sysmon module (and the Elastic Agent Sysmon integration) MOVES several
// Sysmon EventData fields into ECS fields and deletes them from event_data: Image becomes
// process.executable, ProcessId process.pid, TargetFilename file.path, User user.domain + user.name,
// Hashes hash.*, and so on (UtcTime becomes @timestamp). A Sysmon 13 document then holds only
// TargetObject / Details / EventType / RuleName in event_data. The reader puts the moved values back
// under their Sysmon names (never overriding a value event_data still has), so the normalizer sees
// one spelling whatever the collector did. The table below is Winlogbeat's rename list read
// backwards, not a second field table: it names ECS paths, the field table names Sysmon fields.

import type { RawSystem, RawValue } from '../model/raw-event';
import { SYSMON_PROVIDER } from '../model/event-schemas';
import { parseTime } from '../model/time';
import { canonicalChannel } from './channel-names';
import { toNumber, toRawValue, toText } from './flat-layout';

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Sysmon EventData name ← the ECS path Winlogbeat's Sysmon module moves it to. */
const SYSMON_FROM_ECS: ReadonlyArray<readonly [string, string]> = [
  ['ProcessGuid', 'process.entity_id'],
  ['ProcessId', 'process.pid'],
  ['Image', 'process.executable'],
  ['CommandLine', 'process.command_line'],
  ['CurrentDirectory', 'process.working_directory'],
  ['OriginalFileName', 'process.pe.original_file_name'],
  ['ParentProcessGuid', 'process.parent.entity_id'],
  ['ParentProcessId', 'process.parent.pid'],
  ['ParentImage', 'process.parent.executable'],
  ['ParentCommandLine', 'process.parent.command_line'],
  ['TargetFilename', 'file.path'],
];

/** Sysmon's Hashes names, in the order Sysmon writes them. */
const HASH_NAMES = ['sha1', 'md5', 'sha256', 'imphash'] as const;

function at(o: Obj, path: string): unknown {
  let cur: unknown = o;
  for (const part of path.split('.')) {
    if (!isObj(cur)) return undefined;
    cur = cur[part];
  }
  return cur;
}

function missing(data: Record<string, RawValue>, name: string): boolean {
  const v = data[name];
  return v === undefined || v === null || v === '';
}

/** Puts the Sysmon fields Winlogbeat moved into ECS back under their Sysmon names. */
function restoreSysmonFields(o: Obj, data: Record<string, RawValue>): void {
  for (const [name, path] of SYSMON_FROM_ECS) {
    if (!missing(data, name)) continue;
    const v = at(o, path);
    if (typeof v === 'string' || typeof v === 'number') data[name] = typeof v === 'number' ? String(v) : v;
  }
  if (missing(data, 'User')) {
    const name = toText(at(o, 'user.name'));
    const domain = toText(at(o, 'user.domain'));
    if (name) data.User = domain ? `${domain}\\${name}` : name;
  }
  if (missing(data, 'Hashes')) {
    const h = isObj(o.hash) ? o.hash : isObj(at(o, 'process.hash')) ? (at(o, 'process.hash') as Obj) : {};
    const parts = HASH_NAMES.filter((n) => typeof h[n] === 'string' && h[n] !== '').map((n) => `${n.toUpperCase()}=${String(h[n]).toUpperCase()}`);
    if (parts.length) data.Hashes = parts.join(',');
  }
}

export function mapWinlogbeatEvent(o: Obj): { system: RawSystem; data: Record<string, RawValue> } {
  const w: Obj = isObj(o.winlog) ? o.winlog : o; // winlogbeat 6 put the fields at the top level
  const proc = isObj(w.process) ? w.process : {};
  const thread = isObj(proc.thread) ? proc.thread : {};
  const user = isObj(w.user) ? w.user : {};
  const sys: RawSystem = {
    eventId: toNumber(w.event_id),
    channel: toText(w.channel ?? w.log_name),
    computer: toText(w.computer_name),
    recordId: toNumber(w.record_id ?? w.record_number),
    provider: toText(w.provider_name ?? w.source_name),
    providerGuid: toText(w.provider_guid),
    processId: toNumber(proc.pid),
    threadId: toNumber(thread.id),
    userSid: toText(user.identifier),
    version: toNumber(w.version),
    correlationActivityId: toText(w.activity_id),
  };
  if (sys.channel) sys.channel = canonicalChannel(sys.channel);
  const ev = isObj(o.event) ? o.event : {};
  // winlog.time_created (Elastic Agent, recent beats) is TimeCreated itself; winlogbeat sets
  // @timestamp to TimeCreated cut to ms (the Sysmon module: to UtcTime); event.created is when the
  // beat saw the event, a last resort
  sys.timeCreated = (parseTime(w.time_created) ?? parseTime(o['@timestamp']) ?? parseTime(ev.created))?.iso;
  if (Array.isArray(w.keywords)) sys.keywords = w.keywords.map(String).join(',');
  const data: Record<string, RawValue> = {};
  for (const src of [w.event_data, w.user_data]) {
    if (isObj(src)) for (const [k, v] of Object.entries(src)) data[k] = toRawValue(v);
  }
  if (sys.provider?.toLowerCase() === SYSMON_PROVIDER.toLowerCase() && w !== o) restoreSysmonFields(o, data);
  for (const k of Object.keys(sys) as Array<keyof RawSystem>) if (sys[k] === undefined || sys[k] === '') delete sys[k];
  return { system: sys, data };
}
