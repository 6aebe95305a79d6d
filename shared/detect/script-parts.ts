// Multi-part 4104 script blocks, joined. PowerShell logs a long script block as several 4104
// records sharing a ScriptBlockId, numbered MessageNumber of MessageTotal; a write can straddle
// two parts, so parts are read only once the case holds them all (the per-event stage indexes
// them, in whatever order and worker they came). Parts are joined in number order, a part logged
// twice (two copies of a log) counted once; a block with parts missing is read from those present.
// The finding cites the first part present; the others are listed as its corroborating records.

import type { ScriptEvent } from '../model/events';
import type { EvidenceSighting } from '../model/finding';
import { pushTo } from './collections';
import { scriptCandidate } from './detect-event';
import { scriptWrites } from './script-block';
import type { Candidate, CorrelationIndex, IndexedScriptPart } from './types';

/** The candidates of every multi-part script block in the index (one per block with a write). */
export function joinedScriptCandidates(index: CorrelationIndex): Candidate[] {
  const parts = index.scriptParts;
  if (!parts || !parts.length) return [];
  const blocks = new Map<string, IndexedScriptPart[]>();
  for (const p of parts) pushTo(blocks, `${p.host.toLowerCase()}|${p.blockId.toLowerCase()}`, p);
  const out: Candidate[] = [];
  for (const list of blocks.values()) {
    const byNumber = new Map<number, IndexedScriptPart>();
    for (const p of list) if (!byNumber.has(p.number)) byNumber.set(p.number, p);
    const ordered = [...byNumber.values()].sort((a, b) => a.number - b.number);
    const first = ordered[0];
    const text = ordered.map((p) => p.text).join('');
    const writes = scriptWrites(text);
    const w = writes.find((x) => x.kind === 'registry') ?? writes.find((x) => x.kind === 'startup-file') ?? writes[0];
    if (!w) continue;
    const ev: ScriptEvent = {
      kind: 'script', source: 'powershell', key: first.key, ref: first.ref, eventId: 4104, host: first.host, time: first.time, timeMs: first.timeMs,
      user: first.user, scriptText: text, scriptBlockId: first.blockId, messageNumber: 1, messageTotal: first.total, scriptPath: first.scriptPath,
      process: { pid: first.pid },
    };
    const c = scriptCandidate(ev, { write: w, origin: 'script-block' }, first.total);
    if (!c) continue;
    if (ordered.length < first.total) {
      const r = c.reasons.find((x) => x.id === 'basis.script');
      if (r) r.explanation += ` Only ${ordered.length} of its ${first.total} parts are in the evidence.`;
    }
    const others: EvidenceSighting[] = ordered.slice(1).map((p) => ({ key: p.key, ref: p.ref, eventId: p.eventId, source: 'powershell' }));
    if (others.length) c.alsoSeenIn = others;
    out.push(c);
  }
  return out;
}
