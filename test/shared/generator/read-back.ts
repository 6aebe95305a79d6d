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
