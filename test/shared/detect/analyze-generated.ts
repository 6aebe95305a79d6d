// Reads the generator's output for a scenario through the real readers and normalizer and runs the
// engine over it: the path `runkey-hunter generate` + `runkey-hunter scan` takes, in memory.

import { generateToMemory, type RunOptions } from '../../../shared/generator/generate';
import { readEvidence } from '../../../shared/readers/read-evidence';
import { bytesSource } from '../../../shared/readers/types';
import { normalize } from '../../../shared/normalize/normalize';
import { CaseCollector } from '../../../shared/detect/engine';
import type { Finding } from '../../../shared/model/finding';
import type { NormalizedEvent } from '../../../shared/model/events';
import type { AnswerKey } from '../../../shared/generator/answer-key';

/** The engine's collector filled with a generated scenario's events, read through the real readers. */
export async function collectGenerated(opts: RunOptions): Promise<{ collector: CaseCollector; key: AnswerKey; events: NormalizedEvent[] }> {
  const { files, key } = generateToMemory(opts);
  const collector = new CaseCollector();
  const events: NormalizedEvent[] = [];
  for (const [file, bytes] of files) {
    if (file.endsWith('answer-key.json')) continue;
    const gen = readEvidence(bytesSource(bytes), { file, onProblem: () => undefined });
    for (;;) {
      const r = await gen.next();
      if (r.done) break;
      for (const raw of r.value) {
        const ev = normalize(raw);
        if (!ev) continue;
        collector.add(ev);
        events.push(ev);
      }
    }
  }
  return { collector, key, events };
}

export async function analyzeGenerated(opts: RunOptions): Promise<{ findings: Finding[]; key: AnswerKey }> {
  const { collector, key } = await collectGenerated(opts);
  return { findings: collector.analyze(), key };
}
