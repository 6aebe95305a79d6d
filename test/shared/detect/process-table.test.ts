import { describe, expect, it } from 'vitest';
import { analyzeCase, CaseCollector, type IndexedProcess } from '../../../shared/detect/engine';
import { ProcessTable } from '../../../shared/detect/process-table';
import { collectGenerated } from './analyze-generated';

/** The collector's index and candidates for a generated scenario, read through the real readers. */
async function collect(scenario: string, format: 'evtx' | 'csv'): Promise<CaseCollector> {
  return (await collectGenerated({ scenario, seed: 1547, format })).collector;
}

/** The object without its undefined fields (the table does not keep absent values). */
function defined(p: IndexedProcess): Partial<IndexedProcess> {
  return Object.fromEntries(Object.entries(p).filter(([, v]) => v !== undefined));
}

describe('ProcessTable', () => {
  it('gives back every process start it was given, field for field, in order', async () => {
    const c = await collect('mixed', 'evtx');
    const t = new ProcessTable();
    for (const p of c.index.processes) t.add(p);
    t.seal();
    expect(t.length).toBe(c.index.processes.length);
    expect(t.length).toBeGreaterThan(100);
    const rows = [...t];
    for (let i = 0; i < rows.length; i++) expect(defined(rows[i])).toEqual(defined(c.index.processes[i]));
    // rows added after seal() still intern against the earlier strings
    t.add(c.index.processes[0]);
    expect(defined(t.row(t.length - 1))).toEqual(defined(c.index.processes[0]));
  });

  it('keeps a key that is not the event key of the ref', () => {
    const t = new ProcessTable();
    t.add({ key: 'hand-made', ref: { file: 'a.evtx', format: 'evtx', recordId: 7, member: 'm', line: 3 }, host: 'H', time: 't', timeMs: 5, pid: 4 });
    expect(t.row(0)).toEqual({ key: 'hand-made', ref: { file: 'a.evtx', format: 'evtx', recordId: 7, member: 'm', line: 3 }, host: 'H', time: 't', timeMs: 5, pid: 4 });
  });

  for (const [scenario, format] of [['mixed', 'evtx'], ['startup-folder', 'evtx'], ['defender-fleet', 'csv']] as const) {
    it(`correlates the same from the table as from the array (${scenario}, ${format})`, async () => {
      const c = await collect(scenario, format);
      const fromArray = analyzeCase({ candidates: c.candidates, index: c.index });
      const t = new ProcessTable();
      for (const p of c.index.processes) t.add(p);
      const fromTable = analyzeCase({ candidates: c.candidates, index: { ...c.index, processes: [], processTable: t } });
      expect(fromArray.length).toBeGreaterThan(0);
      expect(fromArray.some((f) => f.correlation.writerProcess)).toBe(true);
      expect(JSON.parse(JSON.stringify(fromTable))).toEqual(JSON.parse(JSON.stringify(fromArray)));
    });
  }
});
