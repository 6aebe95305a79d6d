// The correlated events of one finding, for the detail pane and its timeline: the finding's own
// write plus every event its correlation links to, ordered by time, each with the normalized fields
// the case kept for it in the correlation index (found by event key). Nothing is re-read; the raw
// record of any of them can be fetched with record.raw. Each link keeps its alsoSeenIn (the same
// event logged by another source), and the write's link carries the finding's alsoSeenIn (the
// records of other sources that corroborate the write), so every record of each event can be opened.

import type { CorrelatedEvent, FindingEvents } from '../../shared/api';
import type { Finding } from '../../shared/model/finding';
import type { CorrelationIndex } from '../../shared/detect/engine';

type Fields = Record<string, string | number>;

function compact(o: Record<string, string | number | undefined>): Fields {
  const out: Fields = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined && v !== '') out[k] = v;
  return out;
}

function fieldsByKey(index: CorrelationIndex, keys: ReadonlySet<string>): Map<string, Fields> {
  const out = new Map<string, Fields>();
  // process starts: the index's array and, in a case, its column-wise table
  for (const list of [index.processes, index.processTable ?? []]) {
    for (const p of list) {
      if (!keys.has(p.key)) continue;
      out.set(p.key, compact({
        host: p.host, user: p.user, image: p.image, commandLine: p.commandLine, pid: p.pid, processGuid: p.guid, hashes: p.hashes,
        parentImage: p.parentImage, parentCommandLine: p.parentCommandLine, parentPid: p.parentPid, parentProcessGuid: p.parentGuid,
      }));
    }
  }
  for (const list of [index.files, index.fileTable ?? []]) {
    for (const f of list) {
      if (keys.has(f.key)) out.set(f.key, compact({ host: f.host, targetFilename: f.path, image: f.image, processGuid: f.guid }));
    }
  }
  for (const d of index.deletions) {
    if (keys.has(d.key)) out.set(d.key, compact({ host: d.host, registryKey: d.registryKey, valueName: d.valueName, image: d.image }));
  }
  for (const k of index.keyCreations ?? []) {
    if (keys.has(k.key)) out.set(k.key, compact({ host: k.host, registryKey: k.registryKey, image: k.image }));
  }
  return out;
}

export function findingEvents(f: Finding, index: CorrelationIndex | undefined): FindingEvents {
  const c = f.correlation;
  // a Sigma finding can be on any event: its action says which kind
  const kind = f.basis === 'startup-file' || f.action === 'file-create' ? 'file' : f.basis === 'command-line' || f.action === 'command' ? 'process' : 'registry';
  const target = [f.registryKey, f.valueName].filter(Boolean).join('\\');
  const events: CorrelatedEvent[] = [
    {
      role: 'write',
      link: {
        key: f.evidence.key, kind, time: f.time, ref: f.evidence.ref, summary: `${f.writer.image ?? '?'} → ${target || f.location}${f.value ? ` = ${f.value}` : ''}`,
        ...(f.alsoSeenIn?.length ? { alsoSeenIn: f.alsoSeenIn } : {}),
      },
      fields: compact({
        host: f.host, user: f.user, registryKey: f.registryKey, valueName: f.valueName, details: f.value, image: f.writer.image,
        commandLine: f.writer.commandLine, pid: f.writer.pid, processGuid: f.writer.processGuid, eventId: f.evidence.eventId,
      }),
    },
    ...(c.writerProcess ? [{ role: 'writer-process' as const, link: c.writerProcess }] : []),
    ...c.writerAncestors.map((link) => ({ role: 'ancestor' as const, link })),
    ...c.payloadCreated.map((link) => ({ role: 'payload-created' as const, link })),
    ...c.executions.map((link) => ({ role: 'execution' as const, link })),
    ...c.deletions.map((link) => ({ role: 'deletion' as const, link })),
    ...(c.keyCreated ?? []).map((link) => ({ role: 'key-created' as const, link })),
  ];
  if (index) {
    const byKey = fieldsByKey(index, new Set(events.slice(1).map((e) => e.link.key)));
    for (const e of events.slice(1)) {
      const fields = byKey.get(e.link.key);
      if (fields) e.fields = fields;
    }
  }
  events.sort((a, b) => a.link.time.localeCompare(b.link.time));
  return { findingId: f.id, events };
}
