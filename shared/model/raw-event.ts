// The one shape every reader produces: an event's System header in canonical names plus its
// EventData (or the row's columns) as a flat map. Readers never interpret the data; the
// normalizer (shared/normalize) does that, driven by the field table.

export type EvidenceFormat = 'evtx' | 'xml' | 'json' | 'csv' | 'regf';

/**
 * The layout a text reader recognised. EVTX and Windows XML are always 'windows-event';
 * JSON / CSV say which exporter wrote them so the normalizer knows the spellings.
 */
export type RawLayout =
  | 'windows-event' // EVTX, Event Viewer / wevtutil XML, SigmaHQ-style JSON of the XML
  | 'winlogbeat' // Elastic ECS / Winlogbeat: winlog.event_data.*
  | 'flat' // OTRF / nxlog / Splunk-style flattened fields (EventID, Channel, Hostname, TargetObject ...)
  | 'get-winevent' // PowerShell Get-WinEvent | ConvertTo-Json (Properties by position)
  | 'evtxecmd' // EvtxECmd JSON / CSV (Payload holds the EventData)
  | 'defender'; // Microsoft Defender advanced hunting (Device*Events)

/** Where an event came from: enough to find it again and to cite it in a report. */
export interface EvidenceRef {
  /** The evidence file as given by the user (path or upload name). */
  file: string;
  /** Path of the member inside an archive, if any. */
  member?: string;
  format: EvidenceFormat;
  /**
   * The event's own record id (EventRecordID / RecordNumber) where the source has one. For EVTX
   * this is the System EventRecordID of the record's XML (what Event Viewer, wevtutil, SIEMs and
   * `evtxexport -f xml` show), falling back to the record header's identifier when the XML has none.
   */
  recordId?: number;
  /**
   * EVTX only, and only when it differs from recordId: the identifier in the record HEADER (the
   * "Event number" of `evtxexport`'s text output, python-evtx's record_num()). Exported and
   * forwarded logs renumber the headers, so it differs there. For locating a record use
   * chunk + offset; this is kept to compare with tools that print the header id.
   */
  headerRecordId?: number;
  /** 1-based line (text formats) where the event starts. */
  line?: number;
  /** Byte offset of the record (EVTX) or of the event's first byte (text). */
  offset?: number;
  /** EVTX chunk index. */
  chunk?: number;
  /** JSON: 0-based position of the event in its array (a top-level array, or the hits of an Elasticsearch response). */
  index?: number;
  /**
   * EVTX only, true when the record was carved rather than read as an allocated record: found in
   * a chunk's slack (past its free space offset: deleted or overwritten records of an earlier use
   * of the chunk) or in a chunk whose header is gone (its allocation cannot be known). Absent for
   * allocated records. Carried by every copy of the ref, so findings and reports show it.
   */
  recovered?: boolean;
}

export type RawValue = string | number | boolean | null | RawValue[];

/** The canonical System header. Every field is optional: exports often drop some. */
export interface RawSystem {
  provider?: string;
  providerGuid?: string;
  /** The event id as Windows shows it (the low 16 bits for classic events). */
  eventId?: number;
  /** EventID's Qualifiers attribute (the high 16 bits of a classic event's id), when the source has it. */
  qualifiers?: number;
  version?: number;
  level?: number;
  task?: number;
  opcode?: number;
  keywords?: string;
  /** ISO 8601 UTC with the source's precision, e.g. 2019-03-19T02:38:12.1234567Z. */
  timeCreated?: string;
  recordId?: number;
  correlationActivityId?: string;
  processId?: number;
  threadId?: number;
  channel?: string;
  computer?: string;
  userSid?: string;
}

export interface RawEvent {
  ref: EvidenceRef;
  layout: RawLayout;
  /** For 'defender': the advanced-hunting table (DeviceRegistryEvents ...), when known. */
  table?: string;
  system: RawSystem;
  /** EventData / UserData fields by name, or the export's columns. Unnamed Data items are Data0, Data1 ... */
  data: Record<string, RawValue>;
}

/**
 * A stable key for an event within a case: file (+ member) and record id / line / offset. Unique per
 * record within a file: record ids repeat (a log holding the same record twice, or EventRecordIDs
 * of forwarded events from several hosts), so EVTX keys carry the record's byte offset too and text keys its line.
 */
export function eventKey(ref: EvidenceRef): string {
  const where = ref.recordId !== undefined ? `r${ref.recordId}` : ref.line !== undefined ? `l${ref.line}` : `o${ref.offset ?? 0}`;
  const base = ref.member ? `${ref.file}!${ref.member}` : ref.file;
  // offset disambiguates duplicated record ids (e.g. a file holding the same record twice)
  // a record id alone repeats in exports of many hosts (Winlogbeat NDJSON, CSV): the line tells them apart
  const at = ref.recordId !== undefined && ref.line !== undefined ? `@l${ref.line}` : '';
  const key = ref.recordId !== undefined && ref.offset !== undefined ? `${base}#${where}@${ref.offset}`
    // events of one JSON array share a line when the array is on one line; their index tells them apart
    : ref.index !== undefined ? `${base}#${where}${at}[${ref.index}]` : `${base}#${where}${at}`;
  lastKeyedRef = ref;
  lastKey = key;
  return key;
}

/** The last ref eventKey keyed and its key: normalize keys an event just before the case indexes it. */
let lastKeyedRef: EvidenceRef | undefined;
let lastKey = '';

/** Where in `key` the text of `n` ends when it starts at `p`, or -1. */
function numberEnd(key: string, p: number, n: number): number {
  const t = String(n);
  return key.startsWith(t, p) ? p + t.length : -1;
}

/**
 * Whether `key` is eventKey(ref), read off the key instead of building it (the case checks every
 * process start's key this way; it follows eventKey above part for part).
 */
export function isEventKey(key: string, ref: EvidenceRef): boolean {
  // the key eventKey just made for this ref: the same string, compared without reading it
  if (ref === lastKeyedRef && key === lastKey) return true;
  if (!key.startsWith(ref.file)) return false;
  let p = ref.file.length;
  if (ref.member) {
    if (key.charCodeAt(p) !== 33 || !key.startsWith(ref.member, p + 1)) return false; // '!'
    p += 1 + ref.member.length;
  }
  if (key.charCodeAt(p++) !== 35) return false; // '#'
  const [tag, n] = ref.recordId !== undefined ? [114, ref.recordId] : ref.line !== undefined ? [108, ref.line] : [111, ref.offset ?? 0]; // r, l, o
  if (key.charCodeAt(p++) !== tag) return false;
  p = numberEnd(key, p, n);
  if (p < 0) return false;
  if (ref.recordId !== undefined && ref.offset !== undefined) {
    if (key.charCodeAt(p++) !== 64) return false; // '@'
    p = numberEnd(key, p, ref.offset);
    return p === key.length;
  }
  if (ref.recordId !== undefined && ref.line !== undefined) {
    if (key.charCodeAt(p++) !== 64 || key.charCodeAt(p++) !== 108) return false; // '@l'
    p = numberEnd(key, p, ref.line);
    if (p < 0) return false;
  }
  if (ref.index !== undefined) {
    if (key.charCodeAt(p++) !== 91) return false; // '['
    p = numberEnd(key, p, ref.index);
    if (p < 0 || key.charCodeAt(p++) !== 93) return false; // ']'
  }
  return p === key.length;
}

/** Data values are mostly strings; this gives the string form for any. */
export function rawString(v: RawValue | undefined): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string') return v;
  if (Array.isArray(v)) return v.map((x) => rawString(x) ?? '').join(',');
  return String(v);
}
