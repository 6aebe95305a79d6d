// The event as a Sigma rule sees it, built from a normalized event and (when the host has it) the
// raw event it came from. Field names resolve in this order:
//  - Sysmon events with their raw data: the raw EventData value. Sigma's Windows taxonomy IS Sysmon's
//    field naming, and the raw value is exactly what SigmaHQ's rules and regression data were made
//    against (the normalized event is canonicalised: hive aliases, dropped '-' placeholders ...).
//  - any other source: the field table's Sigma name → the normalized event (this is how Security
//    4657 / 4688 and Defender rows answer TargetObject, Details, Image, CommandLine ...);
//  - names the table does not carry (Description, Company, LogonId ...): the raw data by that name.
// Security-form rules (`service: security`) read the raw EventData names through getRaw; without
// the raw event, the table's Security spelling is used in reverse.

import type { NormalizedEvent } from '../model/events';
import type { RawEvent, RawValue } from '../model/raw-event';
import { FIELD_TABLE, getPath, sigmaFields, type FieldRow } from '../model/field-table';
import type { FieldForm, FieldValue, SigmaEventView } from './types';

const SYSTEM_FIELDS: Readonly<Record<string, (r: RawEvent) => string | number | undefined>> = {
  EventID: (r) => r.system.eventId,
  Computer: (r) => r.system.computer,
  Channel: (r) => r.system.channel,
  Provider_Name: (r) => r.system.provider,
  Provider: (r) => r.system.provider,
  EventRecordID: (r) => r.system.recordId,
  Level: (r) => r.system.level,
  Task: (r) => r.system.task,
  Opcode: (r) => r.system.opcode,
  Keywords: (r) => r.system.keywords,
  Version: (r) => r.system.version,
};

function fieldValue(v: RawValue | undefined): FieldValue {
  if (v === undefined || v === null) return v;
  if (typeof v === 'string' || typeof v === 'number') return v;
  if (typeof v === 'boolean') return String(v);
  return v.map((x) => (x === null ? '' : String(x))).join(',');
}

function normalizedValue(ev: NormalizedEvent, row: FieldRow): FieldValue {
  const x = getPath(ev, row.path);
  return typeof x === 'string' || typeof x === 'number' ? x : undefined;
}

/** Security spelling → table row, per kind (reverse lookup for Security-form rules without raw data). */
const SECURITY_REVERSE = new Map<string, Map<string, FieldRow>>();
function securityRow(kind: NormalizedEvent['kind'], name: string): FieldRow | undefined {
  let m = SECURITY_REVERSE.get(kind);
  if (!m) {
    m = new Map();
    for (const r of FIELD_TABLE) if ((r.kind === kind || r.kind === 'common') && typeof r.security === 'string') m.set(r.security, r);
    SECURITY_REVERSE.set(kind, m);
  }
  return m.get(name);
}

const SIGMA_FIELDS = {
  registry: sigmaFields('registry'),
  process: sigmaFields('process'),
  file: sigmaFields('file'),
  script: sigmaFields('script'),
  logon: sigmaFields('logon'),
} as const;

class EventView implements SigmaEventView {
  readonly kind: NormalizedEvent['kind'];
  readonly source: string;
  readonly registryAction;
  readonly fileAction;
  private readonly cache = { taxonomy: new Map<string, string | undefined>(), security: new Map<string, string | undefined>() };
  private vals?: string[];
  private lvals?: string[];

  constructor(private readonly ev: NormalizedEvent, private readonly raw?: RawEvent) {
    this.kind = ev.kind;
    this.source = ev.source;
    this.registryAction = ev.kind === 'registry' ? ev.action : undefined;
    this.fileAction = ev.kind === 'file' ? ev.action : undefined;
  }

  private rawField(field: string): FieldValue {
    const r = this.raw;
    if (!r) return undefined;
    if (Object.prototype.hasOwnProperty.call(r.data, field)) return fieldValue(r.data[field]);
    const sys = SYSTEM_FIELDS[field];
    return sys ? sys(r) : undefined;
  }

  get(field: string): FieldValue {
    if (this.raw && this.ev.source === 'sysmon') {
      const v = this.rawField(field);
      if (v !== undefined) return v;
    }
    const row = SIGMA_FIELDS[this.ev.kind].get(field);
    if (row) return normalizedValue(this.ev, row);
    return this.ev.source === 'defender' ? undefined : this.rawField(field);
  }

  getRaw(field: string): FieldValue {
    if (this.raw) return this.rawField(field);
    const row = securityRow(this.ev.kind, field);
    return row ? normalizedValue(this.ev, row) : undefined;
  }

  lower(form: FieldForm, field: string): string | undefined {
    const c = this.cache[form];
    if (c.has(field)) return c.get(field);
    const v = form === 'security' ? this.getRaw(field) : this.get(field);
    const s = v === undefined || v === null ? undefined : String(v).toLowerCase();
    c.set(field, s);
    return s;
  }

  values(): readonly string[] {
    if (this.vals) return this.vals;
    const out: string[] = [];
    if (this.raw) {
      for (const v of Object.values(this.raw.data)) {
        const s = fieldValue(v);
        if (s !== undefined && s !== null) out.push(String(s));
      }
    } else {
      for (const row of SIGMA_FIELDS[this.ev.kind].values()) {
        const s = normalizedValue(this.ev, row);
        if (s !== undefined && s !== null) out.push(String(s));
      }
    }
    this.vals = out;
    return out;
  }

  lowerValues(): readonly string[] {
    this.lvals ??= this.values().map((s) => s.toLowerCase());
    return this.lvals;
  }
}

/** The view a rule evaluates. Build once per event; it caches lower-cased fields. */
export function eventView(event: NormalizedEvent, raw?: RawEvent): SigmaEventView {
  return new EventView(event, raw);
}
