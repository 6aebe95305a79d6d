// The swimlanes of a finding's correlation timeline, in causal order: who wrote it (the process
// chain), what it points at being dropped, the key being created under its first name (a key
// renamed into an autostart location), the write itself (with the other sources that logged the
// same write), the payload running later, and the value being deleted.

import type { CorrelationRole } from '../../shared/api';
import type { EventLink, EvidenceSighting, Finding } from '../../shared/model/finding';
import type { EvidenceRef } from '../../shared/model/raw-event';

export interface LaneItem {
  role: CorrelationRole;
  link: EventLink;
  /** Short labels of the other records of the same event ("Security 4657"), shown beside the mark. */
  alsoSeen: string[];
}

export interface Lane {
  id: 'process' | 'payload' | 'key-created' | 'write' | 'execution' | 'deletion';
  title: string;
  items: LaneItem[];
}

const SOURCE_TITLE: Record<string, string> = { sysmon: 'Sysmon', security: 'Security', defender: 'Defender', powershell: 'PowerShell' };

/** "Sysmon 13", "Security 4657", "Defender": which log holds a record and its event id. */
export function sightingLabel(s: Pick<EvidenceSighting, 'source' | 'eventId'>): string {
  const src = SOURCE_TITLE[s.source] ?? s.source;
  return s.eventId !== undefined ? `${src} ${s.eventId}` : src;
}

/** Where a record is: "file, record N" / "file → member, line N". */
export function locationText(ref: EvidenceRef): string {
  const where = ref.recordId !== undefined ? `record ${ref.recordId}` : ref.line !== undefined ? `line ${ref.line}` : ref.offset !== undefined ? `offset ${ref.offset}` : '';
  return `${ref.file}${ref.member ? ` → ${ref.member}` : ''}${where ? `, ${where}` : ''}`;
}

/** One sentence per corroborating record: "also seen in Security 4657, file X, record N". */
export function sightingText(s: EvidenceSighting): string {
  return `also seen in ${sightingLabel(s)}, file ${locationText(s.ref)}`;
}

export function writeLink(f: Finding): EventLink {
  const target = f.registryKey ? `${f.registryKey}\\${f.valueName ?? ''}` : f.locationTitle;
  return {
    key: f.evidence.key,
    kind: f.basis === 'startup-file' ? 'file' : f.basis === 'command-line' || f.basis === 'script' ? 'process' : 'registry',
    time: f.time,
    ref: f.evidence.ref,
    summary: `${target} = ${f.value}`,
    ...(f.alsoSeenIn?.length ? { alsoSeenIn: f.alsoSeenIn } : {}),
  };
}

function item(role: CorrelationRole, link: EventLink): LaneItem {
  return { role, link, alsoSeen: (link.alsoSeenIn ?? []).map(sightingLabel) };
}

export function correlationLanes(f: Finding): Lane[] {
  const c = f.correlation;
  const chain: LaneItem[] = [...c.writerAncestors].reverse().map((link) => item('ancestor', link));
  if (c.writerProcess) chain.push(item('writer-process', c.writerProcess));
  const keyCreated = (c.keyCreated ?? []).map((link) => item('key-created', link));
  return [
    { id: 'process', title: 'Writer process chain', items: chain },
    { id: 'payload', title: 'Payload file created', items: c.payloadCreated.map((link) => item('payload-created', link)) },
    // Only a key renamed into place has a creation under another name; other findings get no empty lane.
    ...(keyCreated.length ? [{ id: 'key-created' as const, title: 'Key created', items: keyCreated }] : []),
    { id: 'write', title: 'Registry write', items: [item('write', writeLink(f))] },
    { id: 'execution', title: 'Later executions', items: c.executions.map((link) => item('execution', link)) },
    { id: 'deletion', title: 'Deletion', items: c.deletions.map((link) => item('deletion', link)) },
  ];
}

export function laneTimes(lanes: readonly Lane[]): number[] {
  return lanes.flatMap((l) => l.items.map((i) => Date.parse(i.link.time)));
}
