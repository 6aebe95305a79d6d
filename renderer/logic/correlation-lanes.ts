// The swimlanes of a finding's correlation timeline, in causal order: who wrote it (the process
// chain), what it points at being dropped, the write itself, the payload running later, and the
// value being deleted.

import type { CorrelationRole } from '../../shared/api';
import type { EventLink, Finding } from '../../shared/model/finding';

export interface LaneItem {
  role: CorrelationRole;
  link: EventLink;
}

export interface Lane {
  id: 'process' | 'payload' | 'write' | 'execution' | 'deletion';
  title: string;
  items: LaneItem[];
}

export function writeLink(f: Finding): EventLink {
  const target = f.registryKey ? `${f.registryKey}\\${f.valueName ?? ''}` : f.locationTitle;
  return {
    key: f.evidence.key,
    kind: f.basis === 'startup-file' ? 'file' : f.basis === 'command-line' ? 'process' : 'registry',
    time: f.time,
    ref: f.evidence.ref,
    summary: `${target} = ${f.value}`,
  };
}

export function correlationLanes(f: Finding): Lane[] {
  const c = f.correlation;
  const chain: LaneItem[] = [...c.writerAncestors].reverse().map((link) => ({ role: 'ancestor' as const, link }));
  if (c.writerProcess) chain.push({ role: 'writer-process', link: c.writerProcess });
  return [
    { id: 'process', title: 'Writer process chain', items: chain },
    { id: 'payload', title: 'Payload file created', items: c.payloadCreated.map((link) => ({ role: 'payload-created' as const, link })) },
    { id: 'write', title: 'Registry write', items: [{ role: 'write', link: writeLink(f) }] },
    { id: 'execution', title: 'Later executions', items: c.executions.map((link) => ({ role: 'execution' as const, link })) },
    { id: 'deletion', title: 'Deletion', items: c.deletions.map((link) => ({ role: 'deletion' as const, link })) },
  ];
}

export function laneTimes(lanes: readonly Lane[]): number[] {
  return lanes.flatMap((l) => l.items.map((i) => Date.parse(i.link.time)));
}
