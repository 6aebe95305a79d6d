// One <Event> element's text → canonical System + EventData. fast-xml-parser runs with entity
// processing off (no DOCTYPE, no custom entities: a billion-laughs file stays literal text); the five
// predefined entities and character references are decoded here, by a bounded replace. Names lose
// their namespace prefix. RenderingInfo (the rendered message) is not event data and is dropped.
// Most events take the fast path (xml-event-fast.ts), which builds the same nodes in one pass.

import { XMLParser } from 'fast-xml-parser';
import type { RawSystem, RawValue } from '../model/raw-event';
import { parseTime } from '../model/time';
import { scanEventLeaves, type XmlLeaf } from './xml-event-fast';
import { decodeXmlEntities } from './xml-entities';

export { decodeXmlEntities } from './xml-entities';

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

function readSystem(leaves: readonly XmlLeaf[]): RawSystem {
  const sys: RawSystem = {};
  for (const { name, attrs: a, text } of leaves) {
    switch (name) {
      case 'Provider':
        sys.provider = nonEmpty(a.Name) ?? nonEmpty(a.EventSourceName);
        if (a.Guid) sys.providerGuid = a.Guid;
        break;
      case 'EventID':
        // Classic providers add Qualifiers="…" (the high word); the id shown everywhere is the element text.
        sys.eventId = num(text);
        sys.qualifiers = num(a.Qualifiers);
        break;
      case 'Version': sys.version = num(text); break;
      case 'Level': sys.level = num(text); break;
      case 'Task': sys.task = num(text); break;
      case 'Opcode': sys.opcode = num(text); break;
      case 'Keywords': sys.keywords = nonEmpty(text); break;
      case 'TimeCreated': {
        const t = parseTime(a.SystemTime ?? text);
        if (t) sys.timeCreated = fileTimePrecision(t.iso);
        break;
      }
      case 'EventRecordID': sys.recordId = num(text); break;
      case 'Correlation': if (a.ActivityID) sys.correlationActivityId = a.ActivityID; break;
      case 'Execution':
        sys.processId = num(a.ProcessID);
        sys.threadId = num(a.ThreadID);
        break;
      case 'Channel': sys.channel = nonEmpty(text); break;
      case 'Computer': sys.computer = nonEmpty(text); break;
      case 'Security': if (a.UserID) sys.userSid = a.UserID; break;
      default: break;
    }
  }
  for (const k of Object.keys(sys) as Array<keyof RawSystem>) if (sys[k] === undefined) delete sys[k];
  return sys;
}

function readEventData(leaves: readonly XmlLeaf[], ownText: string, data: Record<string, RawValue>): void {
  let unnamed = 0;
  if (leaves.length === 0) {
    if (ownText.trim() !== '') data.Data0 = ownText;
    return;
  }
  for (const { name, attrs: a, text } of leaves) {
    if (name === 'Data') {
      const n = a.Name;
      if (n) addValue(data, n, text);
      else data[`Data${unnamed++}`] = text;
    } else addValue(data, name, text); // Binary, ComplexData ...
  }
}

/** fast-xml-parser's children of System / EventData as leaves (a nested element's text is its own direct text). */
function leavesOf(kids: XmlNode[]): XmlLeaf[] {
  return elements(kids).map(({ name, node, kids: k }) => ({ name, attrs: attrs(node), text: textOf(k) }));
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
  const fast = scanEventLeaves(text);
  if (fast) {
    const data: Record<string, RawValue> = {};
    if (fast.eventData) readEventData(fast.eventData.leaves, fast.eventData.text, data);
    return { system: readSystem(fast.system), data };
  }
  return parseEventXmlFull(text);
}

/** The fast-xml-parser path alone (every event the fast path declines; tests compare the two). */
export function parseEventXmlFull(text: string): ParsedXmlEvent {
  const doc = parser.parse(text) as XmlNode[];
  const root = elements(doc).find((e) => e.name === 'Event');
  if (!root) throw new Error('no <Event> element');
  let system: RawSystem = {};
  const data: Record<string, RawValue> = {};
  for (const { name, kids } of elements(root.kids)) {
    if (name === 'System') system = readSystem(leavesOf(kids));
    else if (name === 'EventData') readEventData(leavesOf(kids), textOf(kids), data);
    else if (name === 'UserData') flattenUserData(kids, data, '', 0);
    // RenderingInfo and anything else: rendering, not data
  }
  return { system, data };
}
