// The shape of one event as an EVTX template: the Event / System / EventData element tree with a
// substitution slot wherever a record's value goes. One template per event shape (provider, event
// id, version, EventData field names and types, whether <Security> has a UserID); records of the
// same shape in a chunk reuse it by reference. Values are typed as Windows types them.

import type { DataType, WinRecord } from '../render/windows-event';
import { hashString } from '../prng';

/** Binary XML value types (libevtx "value type"). */
export const VT = {
  string: 0x01, uint8: 0x04, uint16: 0x06, uint32: 0x08, uint64: 0x0a, guid: 0x0f, filetime: 0x11, sid: 0x13, hex64: 0x15,
} as const;

export type TValue = { sub: number; type: number } | { text: string };
export interface TElement {
  name: string;
  attrs: [string, TValue][];
  children: (TElement | TValue)[];
}

export interface TemplateShape {
  key: string;
  guid: string;
  /** First four bytes of the GUID read as u32: the template id in instance headers. */
  id: number;
  root: TElement;
  /** The substitution types in slot order. */
  types: number[];
}

const EVENT_NS = 'http://schemas.microsoft.com/win/2004/08/events/event';
const DATA_VT: Readonly<Record<DataType, number>> = { string: VT.string, uint16: VT.uint16, uint32: VT.uint32, hex64: VT.hex64, guid: VT.guid, sid: VT.sid };

/** System slots 0..14 in order; EventData slots follow from 15. */
export const SYSTEM_SLOTS = 15;

export function shapeKey(r: WinRecord): string {
  return `${r.provider}|${r.eventId}|${r.version}|${r.userSid ? 'u' : ''}|${r.data.map((d) => `${d.name}:${d.type}`).join(',')}`;
}

const el = (name: string, attrs: [string, TValue][] = [], children: (TElement | TValue)[] = []): TElement => ({ name, attrs, children });

export function buildShape(r: WinRecord): TemplateShape {
  const key = shapeKey(r);
  const types: number[] = [VT.string, VT.guid, VT.uint16, VT.uint8, VT.uint8, VT.uint16, VT.uint8, VT.hex64, VT.filetime, VT.uint64, VT.uint32, VT.uint32, VT.string, VT.string, VT.sid];
  const sub = (i: number): TValue => ({ sub: i, type: types[i] });
  const system = el('System', [], [
    el('Provider', [['Name', sub(0)], ['Guid', sub(1)]]),
    el('EventID', [], [sub(2)]),
    el('Version', [], [sub(3)]),
    el('Level', [], [sub(4)]),
    el('Task', [], [sub(5)]),
    el('Opcode', [], [sub(6)]),
    el('Keywords', [], [sub(7)]),
    el('TimeCreated', [['SystemTime', sub(8)]]),
    el('EventRecordID', [], [sub(9)]),
    el('Correlation'),
    el('Execution', [['ProcessID', sub(10)], ['ThreadID', sub(11)]]),
    el('Channel', [], [sub(12)]),
    el('Computer', [], [sub(13)]),
    r.userSid ? el('Security', [['UserID', sub(14)]]) : el('Security'),
  ]);
  if (!r.userSid) types[14] = VT.sid; // slot kept (unused) so slot numbers are the same for every shape
  const data = r.data.map((d, i) => {
    types.push(DATA_VT[d.type]);
    return el('Data', [['Name', { text: d.name }]], [sub(SYSTEM_SLOTS + i)]);
  });
  const root = el('Event', [['xmlns', { text: EVENT_NS }]], [system, el('EventData', [], data)]);
  const h1 = hashString(key).toString(16).padStart(8, '0');
  const h2 = hashString(key, 0x1234567).toString(16).padStart(8, '0');
  const h3 = hashString(key, 0x7654321).toString(16).padStart(8, '0');
  const h4 = hashString(key, 0x0badf00d).toString(16).padStart(8, '0');
  const guid = `{${h1}-${h2.slice(0, 4)}-${h2.slice(4)}-${h3.slice(0, 4)}-${h3.slice(4)}${h4}}`;
  // guidBytes stores the first group little-endian, so the first four bytes read as u32 are h1 itself
  return { key, guid, id: parseInt(h1, 16) >>> 0, root, types };
}
