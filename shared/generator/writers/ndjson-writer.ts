// NDJSON in the Winlogbeat (Elastic ECS) layout, one event per line: winlog.* holds the System
// header (channel, computer_name, event_id, provider_name, provider_guid, record_id,
// process.pid / thread.id, user.identifier, version, opcode, keywords) and winlog.event_data the
// EventData fields as strings, as Winlogbeat 7.x ships them; @timestamp is ISO with ms.

import type { WinRecord } from '../render/windows-event';
import { renderValue } from './xml-writer';

const KEYWORD_NAMES: Readonly<Record<string, string[]>> = {
  '8000000000000000': [],
  '8020000000000000': ['Audit Success'],
};

const LEVELS: Readonly<Record<number, string>> = { 0: 'information', 4: 'information', 3: 'warning', 2: 'error' };

export function eventNdjson(r: WinRecord): string {
  const eventData: Record<string, string> = {};
  for (const d of r.data) eventData[d.name] = renderValue(d);
  const doc = {
    '@timestamp': new Date(r.ms).toISOString(),
    event: { code: String(r.eventId), kind: 'event', provider: r.provider, created: new Date(r.ms + 1500).toISOString() },
    host: { name: r.host.fqdn.toLowerCase(), hostname: r.host.name.toLowerCase() },
    log: { level: LEVELS[r.level] ?? 'information' },
    winlog: {
      api: 'wineventlog', channel: r.channelName, computer_name: r.host.fqdn, event_id: r.eventId, provider_name: r.provider,
      provider_guid: r.providerGuid.toLowerCase(), record_id: r.recordId, process: { pid: r.processId, thread: { id: r.threadId } },
      ...(r.userSid ? { user: { identifier: r.userSid } } : {}), version: r.version, opcode: 'Info', keywords: KEYWORD_NAMES[r.keywordsHex] ?? [],
      event_data: eventData,
    },
  };
  return JSON.stringify(doc) + '\n';
}
