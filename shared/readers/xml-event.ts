// One <Event> element's text → canonical System + EventData. fast-xml-parser runs with entity
// processing off (no DOCTYPE, no custom entities: a billion-laughs file stays literal text); the five
// predefined entities and character references are decoded here, by a bounded replace. Names lose
// their namespace prefix. RenderingInfo (the rendered message) is not event data and is dropped.

import { XMLParser } from 'fast-xml-parser';
import type { RawSystem, RawValue } from '../model/raw-event';
import { parseTime } from '../model/time';

type XmlNode = Record<string, unknown>;

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '',
  preserveOrder: true,
  removeNSPrefix: true,
  processEntities: false,
  htmlEntities: false,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  cdataPropName: '#cdata',
  ignoreDeclaration: true,
  ignorePiTags: true,
});

const PREDEFINED: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** Decodes &lt; &gt; &amp; &quot; &apos; and &#N; / &#xN;. Anything else (a custom entity) stays as written. */
export function decodeXmlEntities(s: string): string {
  if (s.indexOf('&') < 0) return s;
  return s.replace(/&(#x[0-9a-fA-F]{1,6}|#[0-9]{1,7}|[a-z]{2,4});/g, (m, body: string) => {
    if (body[0] === '#') {
      const cp = body[1] === 'x' || body[1] === 'X' ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
      return cp > 0 && cp <= 0x10ffff ? String.fromCodePoint(cp) : m;
    }
    return PREDEFINED[body] ?? m;
  });
}

function elementName(node: XmlNode): string | undefined {
  for (const k of Object.keys(node)) if (k !== ':@' && k !== '#text' && k !== '#cdata') return k;
  return undefined;
}

function children(node: XmlNode, name: string): XmlNode[] {
  const c = node[name];
  return Array.isArray(c) ? (c as XmlNode[]) : [];
}

function attrs(node: XmlNode): Record<string, string> {
  const a = node[':@'];
  if (!a || typeof a !== 'object') return {};
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(a as Record<string, unknown>)) if (typeof v === 'string') out[k] = decodeXmlEntities(v);
  return out;
}

/** The text content of an element (its text and CDATA children, in order). */
function textOf(nodes: XmlNode[]): string {
  let s = '';
  for (const n of nodes) {
    if (typeof n['#text'] === 'string') s += decodeXmlEntities(n['#text']);
    else if (Array.isArray(n['#cdata'])) {
      for (const t of n['#cdata'] as XmlNode[]) if (typeof t['#text'] === 'string') s += t['#text'];
    }
  }
  return s;
}

function elements(nodes: XmlNode[]): Array<{ name: string; node: XmlNode; kids: XmlNode[] }> {
  const out: Array<{ name: string; node: XmlNode; kids: XmlNode[] }> = [];
  for (const n of nodes) {
    const name = elementName(n);
    if (name) out.push({ name, node: n, kids: children(n, name) });
  }
  return out;
}

function num(s: string | undefined): number | undefined {
  if (s === undefined) return undefined;
  const t = s.trim();
  if (t === '') return undefined;
  const n = /^0x[0-9a-f]+$/i.test(t) ? parseInt(t, 16) : Number(t);
  return Number.isFinite(n) ? n : undefined;
}

function nonEmpty(s: string | undefined): string | undefined {
  return s === undefined || s.trim() === '' ? undefined : s.trim();
}

/**
 * Forwarded events and some renderers write SystemTime with 9 fractional digits ("…751156500Z");
 * the FILETIME behind it has 7, and the EVTX reader gives 7: so do the text readers.
 */
export function fileTimePrecision(iso: string | undefined): string | undefined {
  return iso?.replace(/^(\S+\.\d{7})\d{1,2}Z$/, '$1Z');
}

export interface ParsedXmlEvent {
  system: RawSystem;
  data: Record<string, RawValue>;
}

/** Adds a value, turning repeated names into an array instead of losing one. */
function addValue(data: Record<string, RawValue>, name: string, value: string): void {
  const prev = data[name];
  if (prev === undefined) data[name] = value;
  else if (Array.isArray(prev)) prev.push(value);
  else data[name] = [prev, value];
}

function readSystem(kids: XmlNode[]): RawSystem {
  const sys: RawSystem = {};
  for (const { name, node, kids: k } of elements(kids)) {
    const a = attrs(node);
    switch (name) {
      case 'Provider':
        sys.provider = nonEmpty(a.Name) ?? nonEmpty(a.EventSourceName);
        if (a.Guid) sys.providerGuid = a.Guid;
        break;
      case 'EventID':
        // Classic providers add Qualifiers="…" (the high word); the id shown everywhere is the element text.
        sys.eventId = num(textOf(k));
        sys.qualifiers = num(a.Qualifiers);
        break;
      case 'Version': sys.version = num(textOf(k)); break;
      case 'Level': sys.level = num(textOf(k)); break;
      case 'Task': sys.task = num(textOf(k)); break;
      case 'Opcode': sys.opcode = num(textOf(k)); break;
      case 'Keywords': sys.keywords = nonEmpty(textOf(k)); break;
      case 'TimeCreated': {
        const t = parseTime(a.SystemTime ?? textOf(k));
        if (t) sys.timeCreated = fileTimePrecision(t.iso);
        break;
      }
      case 'EventRecordID': sys.recordId = num(textOf(k)); break;
      case 'Correlation': if (a.ActivityID) sys.correlationActivityId = a.ActivityID; break;
      case 'Execution':
        sys.processId = num(a.ProcessID);
        sys.threadId = num(a.ThreadID);
        break;
      case 'Channel': sys.channel = nonEmpty(textOf(k)); break;
      case 'Computer': sys.computer = nonEmpty(textOf(k)); break;
      case 'Security': if (a.UserID) sys.userSid = a.UserID; break;
      default: break;
    }
  }
  for (const k of Object.keys(sys) as Array<keyof RawSystem>) if (sys[k] === undefined) delete sys[k];
  return sys;
}

function readEventData(kids: XmlNode[], data: Record<string, RawValue>): void {
  let unnamed = 0;
  const els = elements(kids);
  if (els.length === 0) {
    const t = textOf(kids);
    if (t.trim() !== '') data.Data0 = t;
    return;
  }
  for (const { name, node, kids: k } of els) {
    const value = textOf(k);
    if (name === 'Data') {
      const n = attrs(node).Name;
      if (n) addValue(data, n, value);
      else data[`Data${unnamed++}`] = value;
    } else addValue(data, name, value); // Binary, ComplexData ...
  }
}

/** UserData holds one provider-defined element; its leaf elements become fields (a repeated or clashing name gets its parent's path). */
function flattenUserData(kids: XmlNode[], data: Record<string, RawValue>, path: string, depth: number): void {
  if (depth > 16) return;
  for (const { name, node, kids: k } of elements(kids)) {
    const sub = elements(k);
    if (sub.length === 0) {
      const a = attrs(node);
      const key = name in data && path ? `${path}.${name}` : name;
      const text = textOf(k);
      if (text !== '' || Object.keys(a).length === 0) addValue(data, key, text);
      else for (const [an, av] of Object.entries(a)) addValue(data, `${key}.${an}`, av);
    } else flattenUserData(k, data, path ? `${path}.${name}` : name, depth + 1);
  }
}

/** Throws only when the XML cannot be parsed at all (the caller reports BAD_XML). */
export function parseEventXml(text: string): ParsedXmlEvent {
  const doc = parser.parse(text) as XmlNode[];
  const root = elements(doc).find((e) => e.name === 'Event');
  if (!root) throw new Error('no <Event> element');
  let system: RawSystem = {};
  const data: Record<string, RawValue> = {};
  for (const { name, kids } of elements(root.kids)) {
    if (name === 'System') system = readSystem(kids);
    else if (name === 'EventData') readEventData(kids, data);
    else if (name === 'UserData') flattenUserData(kids, data, '', 0);
    // RenderingInfo and anything else: rendering, not data
  }
  return { system, data };
}
