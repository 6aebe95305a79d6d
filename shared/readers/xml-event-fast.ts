// The fast path for one <Event> element: a single indexOf-driven pass that collects the leaf
// elements of <System> and <EventData> (name without prefix, decoded attributes, decoded text)
// without building a document. It covers what event exports contain: elements, attributes in
// double or single quotes, text with entity references (CR LF read as LF, as XML says). Anything else — a comment, CDATA, a
// processing instruction, a DOCTYPE, UserData, an element nested inside a System or EventData
// field (ComplexData), a malformed tag or end tags that do not match — returns undefined and the
// caller uses fast-xml-parser, so the fast path is never less correct than the full one
// (test/shared/readers/xml-fast-path.test.ts compares both on real records).

import { decodeXmlEntities } from './xml-entities';

export interface XmlLeaf {
  name: string;
  attrs: Record<string, string>;
  text: string;
}

export interface EventLeaves {
  system: XmlLeaf[];
  /** Present when the event has <EventData>: its leaf elements, and its own text (for a text-only EventData). */
  eventData?: { leaves: XmlLeaf[]; text: string };
}

const NO_ATTRS: Record<string, string> = Object.freeze({}) as Record<string, string>;

function isNameEnd(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d || c === 0x2f || c === 0x3e;
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
}

function local(name: string): string {
  const i = name.indexOf(':');
  return i < 0 ? name : name.slice(i + 1);
}

const enum Section {
  None,
  System,
  EventData,
  Skipped,
}

export function scanEventLeaves(text: string): EventLeaves | undefined {
  // XML line-end normalization, as fast-xml-parser does it: CRLF and a lone CR become LF
  const s = text.indexOf('\r') < 0 ? text : text.replace(/\r\n?/g, '\n');
  const out: EventLeaves = { system: [] };
  const names: string[] = [];
  let section = Section.None;
  let leaf: XmlLeaf | undefined; // the depth-2 element being read
  let sectionText = '';
  let sawRoot = false;
  const n = s.length;
  let i = 0;
  while (i < n) {
    const lt = s.indexOf('<', i);
    const textEnd = lt < 0 ? n : lt;
    if (textEnd > i) {
      const depth = names.length;
      if (depth === 0) {
        for (let k = i; k < textEnd; k++) if (!isSpace(s.charCodeAt(k))) return undefined;
      } else if (depth === 3 && leaf) leaf.text += s.slice(i, textEnd);
      else if (depth === 2 && section === Section.EventData) sectionText += s.slice(i, textEnd);
    }
    if (lt < 0) break;
    const c = s.charCodeAt(lt + 1);
    if (c === 0x2f) {
      const gt = s.indexOf('>', lt + 2);
      if (gt < 0) return undefined;
      let e = gt;
      while (e > lt + 2 && isSpace(s.charCodeAt(e - 1))) e--;
      if (names.length === 0 || names[names.length - 1] !== s.slice(lt + 2, e)) return undefined;
      names.pop();
      if (names.length === 2) leaf = undefined;
      else if (names.length === 1) {
        if (section === Section.EventData && out.eventData) out.eventData.text = decodeXmlEntities(sectionText);
        section = Section.None;
      }
      i = gt + 1;
      continue;
    }
    if (c === 0x21 || c === 0x3f || Number.isNaN(c)) return undefined; // <!-- <![CDATA[ <!DOCTYPE <?pi
    let j = lt + 1;
    while (j < n && !isNameEnd(s.charCodeAt(j))) j++;
    if (j === lt + 1 || j >= n) return undefined;
    const name = s.slice(lt + 1, j);
    let attrs: Record<string, string> | undefined;
    let selfClosing = false;
    for (;;) {
      while (j < n && isSpace(s.charCodeAt(j))) j++;
      if (j >= n) return undefined;
      const d = s.charCodeAt(j);
      if (d === 0x3e) {
        j++;
        break;
      }
      if (d === 0x2f) {
        if (s.charCodeAt(j + 1) !== 0x3e) return undefined;
        selfClosing = true;
        j += 2;
        break;
      }
      const an = j;
      for (; j < n; j++) {
        const x = s.charCodeAt(j);
        if (x === 0x3d || isSpace(x) || x === 0x3e || x === 0x2f) break;
      }
      const attrName = s.slice(an, j);
      while (j < n && isSpace(s.charCodeAt(j))) j++;
      if (s.charCodeAt(j) !== 0x3d || attrName === '') return undefined;
      j++;
      while (j < n && isSpace(s.charCodeAt(j))) j++;
      const q = s.charCodeAt(j);
      if (q !== 0x22 && q !== 0x27) return undefined;
      const end = s.indexOf(q === 0x22 ? '"' : "'", j + 1);
      if (end < 0) return undefined;
      const value = s.slice(j + 1, end);
      j = end + 1;
      if (attrName === 'xmlns' || attrName.startsWith('xmlns:')) continue;
      (attrs ??= {})[local(attrName)] = decodeXmlEntities(value);
    }
    const depth = names.length;
    const ln = local(name);
    if (depth === 0) {
      if (ln !== 'Event' || sawRoot) return undefined;
      sawRoot = true;
    } else if (depth === 1) {
      if (ln === 'System') section = Section.System;
      else if (ln === 'EventData') {
        section = Section.EventData;
        sectionText = '';
        out.eventData = { leaves: [], text: '' };
      } else if (ln === 'UserData') return undefined;
      else section = Section.Skipped; // RenderingInfo and anything else: not data
      if (selfClosing) section = Section.None;
    } else if (depth === 2) {
      if (section === Section.System || section === Section.EventData) {
        const l: XmlLeaf = { name: ln, attrs: attrs ?? NO_ATTRS, text: '' };
        if (section === Section.System) out.system.push(l);
        else out.eventData?.leaves.push(l);
        leaf = selfClosing ? undefined : l;
      }
    } else if (section === Section.System || section === Section.EventData) {
      return undefined; // ComplexData or another nested structure: the full parser handles it
    }
    if (!selfClosing) names.push(name);
    i = j;
  }
  if (names.length !== 0 || !sawRoot) return undefined;
  if (out.eventData) for (const l of out.eventData.leaves) l.text = decodeXmlEntities(l.text);
  for (const l of out.system) l.text = decodeXmlEntities(l.text);
  return out;
}
