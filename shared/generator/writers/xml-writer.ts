// Event Viewer style XML ("Save All Events As... XML"): an <Events> root with one <Event> per
// line, single-quoted attributes as wevtutil / Event Viewer write them, values rendered the way
// Windows renders their types (GUIDs in braces, hex64 as 0x..., FILETIME as ISO with 100 ns).

import type { DataItem, WinRecord } from '../render/windows-event';
import { filetimeIso } from './time-format';

export const XML_HEADER = "<?xml version='1.0' encoding='utf-8' standalone='yes'?>\n<Events>\n";
export const XML_FOOTER = '</Events>\n';
/** The line of the first <Event> (after the declaration and <Events>). */
export const XML_FIRST_EVENT_LINE = 3;

export function escapeXml(s: string): string {
  return s.replace(/[&<>'"]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === "'" ? '&apos;' : '&quot;'));
}

export function renderValue(d: Pick<DataItem, 'type' | 'value'>): string {
  switch (d.type) {
    case 'guid': return String(d.value).toLowerCase();
    case 'hex64': return `0x${Number(d.value).toString(16)}`;
    default: return String(d.value);
  }
}

export function eventXml(r: WinRecord): string {
  const data = r.data.map((d) => `<Data Name='${d.name}'>${escapeXml(renderValue(d))}</Data>`).join('');
  return `<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System><Provider Name='${r.provider}' Guid='${r.providerGuid.toLowerCase()}'/>`
    + `<EventID>${r.eventId}</EventID><Version>${r.version}</Version><Level>${r.level}</Level><Task>${r.task}</Task><Opcode>${r.opcode}</Opcode>`
    + `<Keywords>0x${r.keywordsHex.replace(/^0+(?=.)/, '')}</Keywords><TimeCreated SystemTime='${filetimeIso(r.ms, r.sub)}'/><EventRecordID>${r.recordId}</EventRecordID>`
    + `<Correlation/><Execution ProcessID='${r.processId}' ThreadID='${r.threadId}'/><Channel>${escapeXml(r.channelName)}</Channel><Computer>${escapeXml(r.host.fqdn)}</Computer>`
    + `${r.userSid ? `<Security UserID='${r.userSid}'/>` : '<Security/>'}</System><EventData>${data}</EventData></Event>\n`;
}
