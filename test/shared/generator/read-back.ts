// Test helper: read generated files back through the project's own readers (readEvidence) and
// normalize them, so round-trip and answer-key tests compare what an analyst would see.

import { readEvidence } from '../../../shared/readers/read-evidence';
import { bytesSource, collect } from '../../../shared/readers/types';
import { normalize } from '../../../shared/normalize/normalize';
import type { Problem } from '../../../shared/model/problems';
import type { RawEvent } from '../../../shared/model/raw-event';
import type { NormalizedEvent } from '../../../shared/model/events';

export async function readBack(file: string, bytes: Uint8Array): Promise<{ raw: RawEvent[]; events: NormalizedEvent[]; problems: Problem[] }> {
  const problems: Problem[] = [];
  const raw = await collect(readEvidence(bytesSource(bytes), { file, onProblem: (p) => problems.push(p) }));
  const events = raw.map(normalize).filter((e): e is NormalizedEvent => e !== undefined);
  return { raw, events, problems };
}

/** What must survive every format: host, time (ms), kind, action, path, value, writer, command line. */
export function projection(e: NormalizedEvent): string {
  const host = e.host.toLowerCase();
  const t = Number.isNaN(e.timeMs) ? 'no-time' : String(e.timeMs);
  const img = (s: string | undefined) => (s ?? '').toLowerCase();
  if (e.kind === 'registry') return [host, t, 'registry', e.action, e.targetObject, e.action === 'set-value' ? e.details ?? '' : '', e.newName ?? '', img(e.process.image)].join('|');
  if (e.kind === 'process') return [host, t, 'process', img(e.process.image), e.process.commandLine ?? '', img(e.parent.image), e.process.pid ?? ''].join('|');
  return [host, t, 'file', e.targetFilename, img(e.process.image)].join('|');
}
