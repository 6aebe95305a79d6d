// RawEvent → NormalizedEvent, driven by the field table. Events that are not registry writes,
// process starts or file events return undefined (they stay visible in `events` output but do
// not feed detection). Missing or odd fields never throw: a field that cannot be read is absent.

import type { RawEvent, RawValue } from '../model/raw-event';
import { eventKey, rawString } from '../model/raw-event';
import type {
  EventKind, EventSource, FileAction, FileEvent, NormalizedEvent, ProcessEvent, RegistryAction, RegistryEvent,
} from '../model/events';
import { CLASSIC_POWERSHELL_INPUT_NAMES, classifyPowerShell, finishLogon, finishScript } from './powershell-log';
import { FIELD_TABLE, rowsFor, type FieldRow, type Spelling } from '../model/field-table';
import { canonicalRegistryPath, joinValuePath, splitValuePath } from '../model/registry-path';
import { SECURITY_PROVIDER, SYSMON_PROVIDER } from '../model/event-schemas';
import { canonicalGuid } from './canonical-values';
import { parseEventTime } from './event-time';

export interface Classified {
  source: EventSource;
  kind: EventKind;
}

const SYSMON_KINDS: Readonly<Record<number, EventKind>> = { 1: 'process', 11: 'file', 12: 'registry', 13: 'registry', 14: 'registry', 23: 'file', 26: 'file' };
const SECURITY_KINDS: Readonly<Record<number, EventKind>> = { 4688: 'process', 4657: 'registry', 4624: 'logon' };

const SYSMON_LOWER = SYSMON_PROVIDER.toLowerCase();
const SECURITY_LOWER = SECURITY_PROVIDER.toLowerCase();

function isSysmon(raw: RawEvent): boolean {
  const p = raw.system.provider;
  if (p === SYSMON_PROVIDER || p?.toLowerCase() === SYSMON_LOWER) return true;
  return p === undefined && (raw.system.channel?.toLowerCase().includes('sysmon') ?? false);
}

function isSecurity(raw: RawEvent): boolean {
  const p = raw.system.provider;
  if (p === SECURITY_PROVIDER || p?.toLowerCase() === SECURITY_LOWER) return true;
  return p === undefined && raw.system.channel?.toLowerCase() === 'security';
}

/** Which source and kind an event is, or undefined when the engine does not use it. */
export function classify(raw: RawEvent): Classified | undefined {
  if (raw.layout === 'defender') {
    const action = rawString(raw.data.ActionType) ?? '';
    const table = raw.table ?? '';
    if (/^Registry/i.test(action) || table === 'DeviceRegistryEvents') return { source: 'defender', kind: 'registry' };
    if (/^ProcessCreated$/i.test(action) || table === 'DeviceProcessEvents') return { source: 'defender', kind: 'process' };
    if (/^File/i.test(action) || table === 'DeviceFileEvents') return { source: 'defender', kind: 'file' };
    return undefined;
  }
  const id = raw.system.eventId;
  if (id === undefined) return undefined;
  if (isSysmon(raw) && SYSMON_KINDS[id]) return { source: 'sysmon', kind: SYSMON_KINDS[id] };
  if (isSecurity(raw) && SECURITY_KINDS[id]) return { source: 'security', kind: SECURITY_KINDS[id] };
  return classifyPowerShell(raw, id);
}

const SYSTEM_SPELLINGS: Readonly<Record<string, (raw: RawEvent) => RawValue | undefined>> = {
  TimeCreated: (r) => r.system.timeCreated,
  Computer: (r) => r.system.computer,
  EventID: (r) => r.system.eventId,
  // PowerShell's 4103 / 4104 name their host process only in the System header
  ExecutionProcessID: (r) => r.system.processId,
};

/** A printable ASCII character other than space: trim() would stop at it. */
function solid(code: number): boolean {
  return code > 0x20 && code < 0x7f;
}

function present(s: string | undefined): string | undefined {
  if (s === undefined) return undefined;
  // most values neither start nor end with white space: skip trim()'s copy
  if (s.length > 0 && solid(s.charCodeAt(0)) && solid(s.charCodeAt(s.length - 1))) return s === '-' ? undefined : s;
  const t = s.trim();
  return t === '' || t === '-' ? undefined : s;
}

function readSpelling(raw: RawEvent, sp: Spelling, source: EventSource): string | undefined {
  if (typeof sp === 'string') {
    if (source !== 'defender' && SYSTEM_SPELLINGS[sp]) return rawString(SYSTEM_SPELLINGS[sp](raw) ?? undefined);
    return present(rawString(raw.data[sp]));
  }
  if ('hashes' in sp) {
    const parts = sp.hashes
      .map((name) => [name.replace(/^InitiatingProcess/, ''), present(rawString(raw.data[name]))] as const)
      .filter(([, v]) => v !== undefined)
      .map(([n, v]) => `${n}=${v}`);
    return parts.length ? parts.join(',') : undefined;
  }
  const a = present(rawString(raw.data[sp.of[0]]));
  const b = present(rawString(raw.data[sp.of[1]]));
  if (sp.join === 'account') return a && b ? `${a}\\${b}` : (b ?? a);
  // path: Defender's FolderPath sometimes already ends with the file name
  if (!a) return b;
  if (!b) return a;
  if (a.toLowerCase().endsWith('\\' + b.toLowerCase()) || a.toLowerCase() === b.toLowerCase()) return a;
  return a.endsWith('\\') ? a + b : `${a}\\${b}`;
}

function parseNumber(s: string, hex: boolean): number | undefined {
  const t = s.trim();
  const n = /^0x[0-9a-f]+$/i.test(t) ? parseInt(t, 16) : hex && /^[0-9a-f]+$/i.test(t) && /[a-f]/i.test(t) ? parseInt(t, 16) : Number(t);
  return Number.isFinite(n) ? n : undefined;
}

function spellingOf(row: FieldRow, source: EventSource): Spelling | null {
  if (source === 'powershell') return row.powershell ?? null;
  return source === 'sysmon' ? row.sysmon : source === 'security' ? row.security : row.defender;
}

/** A field-table row prepared for one source: how to read it and where it goes on the event. */
interface CompiledRow {
  /** The path split at its first dot: 'process.image' → 'process' + 'image'; 'host' → 'host' + null. */
  head: string;
  tail: string | null;
  /** A System field read (TimeCreated, Computer, EventID outside Defender), else null. */
  system: ((raw: RawEvent) => RawValue | undefined) | null;
  /** A single data column, else null (joined and hash spellings go through readSpelling). */
  column: string | null;
  spelling: Spelling;
  numeric: boolean;
  hex: boolean;
}

const compiled: Record<EventSource, Partial<Record<EventKind, readonly CompiledRow[]>>> = { sysmon: {}, security: {}, defender: {}, powershell: {} };

/** The rows of rowsFor(kind) that `source` spells, in table order, compiled once per (source, kind). */
function compiledRows(source: EventSource, kind: EventKind): readonly CompiledRow[] {
  return compiled[source][kind] ?? compileRows(source, kind);
}

function compileRows(source: EventSource, kind: EventKind): readonly CompiledRow[] {
  const out: CompiledRow[] = [];
  for (const row of rowsFor(kind)) {
    const sp = spellingOf(row, source);
    if (sp === null) continue;
    const dot = row.path.indexOf('.');
    const system = typeof sp === 'string' && source !== 'defender' && SYSTEM_SPELLINGS[sp] ? SYSTEM_SPELLINGS[sp] : null;
    out.push({
      head: dot < 0 ? row.path : row.path.slice(0, dot),
      tail: dot < 0 ? null : row.path.slice(dot + 1),
      system,
      column: typeof sp === 'string' && !system ? sp : null,
      spelling: sp,
      numeric: row.numeric === true,
      hex: source === 'security' && row.securityHex === true,
    });
  }
  compiled[source][kind] = out;
  return out;
}

const SYSMON_REGISTRY_ACTIONS: Readonly<Record<string, RegistryAction>> = {
  setvalue: 'set-value', createkey: 'create-key', deletekey: 'delete-key', deletevalue: 'delete-value', renamekey: 'rename-key',
};
const DEFENDER_REGISTRY_ACTIONS: Readonly<Record<string, RegistryAction>> = {
  registryvalueset: 'set-value', registrykeycreated: 'create-key', registrykeydeleted: 'delete-key',
  registryvaluedeleted: 'delete-value', registrykeyrenamed: 'rename-key',
};

function registryAction(source: EventSource, eventId: number | undefined, sourceAction: string | undefined): RegistryAction {
  const a = (sourceAction ?? '').toLowerCase().replace(/\s+/g, '');
  if (source === 'sysmon') return SYSMON_REGISTRY_ACTIONS[a] ?? (eventId === 12 ? 'create-key' : eventId === 14 ? 'rename-key' : 'set-value');
  if (source === 'defender') return DEFENDER_REGISTRY_ACTIONS[a] ?? 'set-value';
  // 4657 OperationType: %%1904 created, %%1905 modified, %%1906 deleted (or the rendered text)
  return a === '%%1906' || a.includes('deleted') ? 'delete-value' : 'set-value';
}

function fileAction(source: EventSource, eventId: number | undefined, sourceAction: string | undefined): FileAction {
  if (source === 'sysmon') return eventId === 23 || eventId === 26 ? 'delete' : 'create';
  const a = (sourceAction ?? '').toLowerCase();
  return a.includes('deleted') ? 'delete' : a.includes('renamed') ? 'rename' : a.includes('modified') ? 'modify' : 'create';
}

/** Data names normalize reads besides the field table's spellings (time fallbacks, 4688 accounts, Defender action). */
const EXTRA_INPUT_NAMES = ['UtcTime', 'Timestamp', 'TargetUserSid', 'SubjectUserSid', 'ActionType'] as const;

let inputNames: ReadonlySet<string> | undefined;

/**
 * Every EventData / column name normalize() can read, derived from the field table. Passed as
 * readEvtx's wantedFields, it lets a scan take the fast path and get the same normalized events
 * (consumers that need other raw fields, e.g. Sigma rules, must add theirs).
 */
export function normalizeInputNames(): ReadonlySet<string> {
  if (inputNames) return inputNames;
  const names = new Set<string>([...EXTRA_INPUT_NAMES, ...CLASSIC_POWERSHELL_INPUT_NAMES]);
  for (const row of FIELD_TABLE) {
    for (const sp of [row.sysmon, row.security, row.defender, row.powershell]) {
      if (sp === null || sp === undefined) continue;
      if (typeof sp === 'string') names.add(sp);
      else if ('hashes' in sp) sp.hashes.forEach((n) => names.add(n));
      else sp.of.forEach((n) => names.add(n));
    }
  }
  inputNames = names;
  return names;
}

/** Normalize one raw event, or undefined when it is not one the engine uses. */
export function normalize(raw: RawEvent): NormalizedEvent | undefined {
  const c = classify(raw);
  if (!c) return undefined;
  const { source, kind } = c;
  const out: Record<string, unknown> = {
    kind, source, key: eventKey(raw.ref), ref: raw.ref,
    provider: raw.system.provider, channel: raw.system.channel, eventId: raw.system.eventId,
    process: {},
  };
  if (kind === 'process') out.parent = {};
  for (const row of compiledRows(source, kind)) {
    let s: string | undefined;
    if (row.system !== null) s = rawString(row.system(raw) ?? undefined);
    else if (row.column !== null) s = present(rawString(raw.data[row.column]));
    else s = readSpelling(raw, row.spelling, source);
    if (s === undefined) continue;
    const value = row.numeric ? parseNumber(s, row.hex) : s;
    if (row.tail === null) out[row.head] = value;
    else ((out[row.head] ??= {}) as Record<string, unknown>)[row.tail] = value;
  }
  const t = parseEventTime(out.time) ?? parseEventTime(raw.data.UtcTime) ?? parseEventTime(raw.data.Timestamp);
  out.time = t?.iso ?? '';
  out.timeMs = t?.ms ?? Number.NaN;
  out.host = (out.host as string | undefined) ?? '';
  if (out.eventId === undefined) out.eventId = raw.system.eventId;
  if (out.userSid === undefined && raw.system.userSid && source !== 'defender') out.userSid = raw.system.userSid;

  if (source === 'security' && kind === 'process') creatorAccountWhenNoTarget(out, raw);
  canonicalGuids(out);

  if (kind === 'registry') return finishRegistry(out, source);
  if (kind === 'script') return finishScript(out, raw);
  if (kind === 'logon') return finishLogon(out);
  if (kind === 'file') {
    out.action = fileAction(source, raw.system.eventId, out.sourceAction as string | undefined);
    if (typeof out.targetFilename !== 'string') return undefined;
    return out as unknown as FileEvent;
  }
  return out as unknown as ProcessEvent;
}

/**
 * 4688's Target* account is filled only when the new process runs as another account than its
 * creator ("-" and the NULL SID S-1-0-0 otherwise): the new process then runs as the Subject.
 */
function creatorAccountWhenNoTarget(out: Record<string, unknown>, raw: RawEvent): void {
  const targetSid = rawString(raw.data.TargetUserSid);
  if (out.user !== undefined && targetSid !== 'S-1-0-0') return;
  const parent = out.parent as { user?: string } | undefined;
  if (parent?.user !== undefined) out.user = parent.user;
  const subjectSid = present(rawString(raw.data.SubjectUserSid));
  if (subjectSid !== undefined) out.userSid = subjectSid;
}

function canonicalGuids(out: Record<string, unknown>): void {
  canonicalGuidOf(out.process as Record<string, unknown> | undefined);
  canonicalGuidOf(out.parent as Record<string, unknown> | undefined);
}

function canonicalGuidOf(who: Record<string, unknown> | undefined): void {
  if (who && typeof who.processGuid === 'string') who.processGuid = canonicalGuid(who.processGuid);
}

function finishRegistry(out: Record<string, unknown>, source: EventSource): RegistryEvent | undefined {
  const action = registryAction(source, out.eventId as number | undefined, out.sourceAction as string | undefined);
  const valueOp = action === 'set-value' || action === 'delete-value';
  const original = (out.targetObject as string | undefined) ?? (out.registryKey as string | undefined);
  if (original === undefined) return undefined;
  out.action = action;
  out.originalPath = original;
  if (source === 'sysmon') {
    const canonical = canonicalRegistryPath(original);
    out.targetObject = canonical;
    if (valueOp) {
      const { key, valueName } = splitValuePath(canonical);
      out.registryKey = key;
      out.valueName = valueName;
    } else {
      out.registryKey = canonical;
    }
  } else {
    const key = canonicalRegistryPath((out.registryKey as string | undefined) ?? '');
    out.registryKey = key;
    if (valueOp) {
      const name = (out.valueName as string | undefined) ?? '';
      out.valueName = name === '' ? '(Default)' : name;
      out.targetObject = joinValuePath(key, out.valueName as string);
    } else {
      delete out.valueName;
      out.targetObject = key;
    }
  }
  return out as unknown as RegistryEvent;
}
