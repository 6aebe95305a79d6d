// The worker's per-event stage hands its index over batch by batch: process starts cross as a
// column table (typed arrays transferred, not copied). Every batch, not only the first, must carry
// its starts, and the case must get back exactly the starts the events hold.
import { describe, expect, it } from 'vitest';
import { batchTransfer, createWorkerStage, type WorkerBatch } from '../../../electron/workers/engine-stage';
import { generateToMemory } from '../../../shared/generator/generate';
import { readEvidence } from '../../../shared/readers/read-evidence';
import { bytesSource } from '../../../shared/readers/types';
import { normalize } from '../../../shared/normalize/normalize';
import { emptyIndex, indexEvent } from '../../../shared/detect/engine';
import { ProcessTable } from '../../../shared/detect/process-table';
import type { RawEvent } from '../../../shared/model/raw-event';

async function rawEvents(): Promise<RawEvent[]> {
  const { files } = generateToMemory({ scenario: 'mixed', seed: 1547, format: 'evtx' });
  const out: RawEvent[] = [];
  for (const [file, bytes] of files) {
    if (!file.endsWith('.evtx')) continue;
    for await (const batch of readEvidence(bytesSource(bytes), { file, onProblem: () => undefined })) out.push(...batch);
  }
  return out;
}

describe('worker stage', () => {
  it('sends every batch\'s process starts as transferable columns, and the case gets back each start once, in order', async () => {
    const raws = await rawEvents();
    const expected = emptyIndex();
    for (const raw of raws) {
      const ev = normalize(raw);
      if (ev) indexEvent(expected, ev);
    }
    expect(expected.processes.length).toBeGreaterThan(1000);

    const stage = createWorkerStage();
    const batches: WorkerBatch[] = [];
    for (let i = 0; i < raws.length; i += 700) {
      stage.add(raws.slice(i, i + 700));
      const b = stage.take();
      if (b) batches.push(b);
    }
    expect(batches.length).toBeGreaterThan(5);
    expect(batches.filter((b) => b.processes?.length).length).toBeGreaterThan(5);
    const table = new ProcessTable();
    for (const b of batches) {
      expect(b.index.processes).toHaveLength(0);
      // what postMessage does with the transfer list: the copy decodes, the worker's buffers are gone
      const transfer = batchTransfer(b);
      const sent = structuredClone(b, { transfer });
      if (b.processes) {
        expect(transfer).toHaveLength(4);
        expect(b.processes.nums.byteLength).toBe(0);
      }
      if (sent.processes) table.appendBatch(sent.processes);
    }
    const strip = (x: object) => Object.fromEntries(Object.entries(x).filter(([, v]) => v !== undefined));
    expect([...table].map(strip)).toEqual(expected.processes.map(strip));
  });
});
