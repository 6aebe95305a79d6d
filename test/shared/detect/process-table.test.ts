import { describe, expect, it } from 'vitest';
import { analyzeCase, emptyIndex, indexEvent, type Candidate, type CorrelationIndex, type IndexedProcess } from '../../../shared/detect/engine';
import { ProcessTable } from '../../../shared/detect/process-table';
import { FileTable } from '../../../shared/detect/file-table';
import { collectGenerated } from './analyze-generated';
import type { NormalizedEvent } from '../../../shared/model/events';

/** A generated scenario's normalized events and candidates, read through the real readers. */
async function collect(scenario: string, format: 'evtx' | 'csv'): Promise<{ events: NormalizedEvent[]; candidates: readonly Candidate[] }> {
  const { collector, events } = await collectGenerated({ scenario, seed: 1547, format });
  return { events, candidates: collector.candidates };
}

/** The index as objects (the array form indexEvent builds without a table). */
function arrayIndex(events: readonly NormalizedEvent[]): CorrelationIndex {
  const index = emptyIndex();
  for (const ev of events) indexEvent(index, ev);
  return index;
}

/** The same events through a table, the way a worker fills one per batch and the case appends the batches. */
function batchedIndex(events: readonly NormalizedEvent[], perBatch: number): CorrelationIndex {
  const main = new ProcessTable();
  const index: CorrelationIndex = { ...emptyIndex(), processTable: main };
  let part: CorrelationIndex = { ...emptyIndex(), processTable: new ProcessTable() };
  const flush = () => {
    const t = part.processTable as ProcessTable;
    // what crosses postMessage: plain data
    main.appendBatch(structuredClone(t.toBatch()));
    for (const f of part.files) index.files.push(f);
    for (const d of part.deletions) index.deletions.push(d);
    for (const k of part.keyCreations ?? []) index.keyCreations?.push(k);
    for (const [h, n] of Object.entries(part.hosts)) index.hosts[h] = (index.hosts[h] ?? 0) + n;
    part = { ...emptyIndex(), processTable: new ProcessTable() };
  };
  events.forEach((ev, i) => {
    indexEvent(part, ev);
    if (i % perBatch === perBatch - 1) flush();
  });
  flush();
  main.seal();
  return index;
}

/** The object without its undefined fields (the table does not keep absent values). */
function defined<T extends object>(p: T): Partial<T> {
  return Object.fromEntries(Object.entries(p).filter(([, v]) => v !== undefined)) as Partial<T>;
}

const json = (x: unknown): unknown => JSON.parse(JSON.stringify(x));

describe('ProcessTable', () => {
  it('gives back every process start it was given, field for field, in order', async () => {
    const { events } = await collect('mixed', 'evtx');
    const starts = arrayIndex(events).processes;
    const t = new ProcessTable();
    for (const p of starts) t.add(p);
    t.seal();
    expect(t.length).toBe(starts.length);
    expect(t.length).toBeGreaterThan(100);
    const rows = [...t];
    for (let i = 0; i < rows.length; i++) expect(defined(rows[i])).toEqual(defined(starts[i]));
    // rows added after seal() still intern against the earlier strings
    t.add(starts[0]);
    expect(defined(t.row(t.length - 1))).toEqual(defined(starts[0]));
  });

  it('takes process start events straight into its columns, and batches survive postMessage and appending', async () => {
    const { events } = await collect('mixed', 'evtx');
    const starts = arrayIndex(events).processes;
    // more starts than one column block (16,384 rows): batches land across a block boundary
    expect(starts.length).toBeGreaterThan(16384);
    for (const perBatch of [997, 20000]) {
      const t = batchedIndex(events, perBatch).processTable as ProcessTable;
      expect(t.length).toBe(starts.length);
      for (let i = 0; i < t.length; i++) expect(defined(t.row(i))).toEqual(defined(starts[i]));
    }
  });

  it('keeps file creations column-wise, row for row', async () => {
    const { events } = await collect('mixed', 'evtx');
    const files = arrayIndex(events).files;
    expect(files.length).toBeGreaterThan(100);
    const index: CorrelationIndex = { ...emptyIndex(), fileTable: new FileTable() };
    for (const ev of events) indexEvent(index, ev);
    const t = index.fileTable as FileTable;
    expect(t.length).toBe(files.length);
    expect([...t].map(defined)).toEqual(files.map(defined));
    for (let i = 0; i < t.length; i += 97) expect([t.path(i), t.host(i)]).toEqual([files[i].path, files[i].host]);
  });

  it('fills the same rows while the evidence streams in (normalize then index, event by event) as from kept events', async () => {
    // the streaming path takes shortcuts (the time normalize just parsed, the key it just made)
    for (const format of ['evtx', 'csv'] as const) {
      const { collector, events } = await collectGenerated({ scenario: 'mixed', seed: 1547, format });
      const kept = arrayIndex(events);
      const procs = collector.index.processTable as ProcessTable;
      const files = collector.index.fileTable as FileTable;
      expect(procs.length).toBe(kept.processes.length);
      expect(files.length).toBe(kept.files.length);
      for (let i = 0; i < procs.length; i++) expect(defined(procs.row(i))).toEqual(defined(kept.processes[i]));
      for (let i = 0; i < files.length; i++) expect(defined(files.row(i))).toEqual(defined(kept.files[i]));
    }
  });

  it('keeps a key that is not the event key of the ref', () => {
    const t = new ProcessTable();
    t.add({ key: 'hand-made', ref: { file: 'a.evtx', format: 'evtx', recordId: 7, member: 'm', line: 3, index: 2 }, host: 'H', time: 't', timeMs: 5, pid: 4 });
    expect(t.row(0)).toEqual({ key: 'hand-made', ref: { file: 'a.evtx', format: 'evtx', recordId: 7, member: 'm', line: 3, index: 2 }, host: 'H', time: 't', timeMs: 5, pid: 4 });
  });

  it('keeps guids and times exactly, whatever their spelling', () => {
    const ref = { file: 'a.evtx', format: 'evtx' as const, recordId: 1 };
    const ms = Date.UTC(2024, 2, 1, 10, 0, 0, 123);
    const cases: Partial<IndexedProcess>[] = [
      { guid: '{0a1b2c3d-4e5f-6789-abcd-ef0123456789}', parentGuid: '{ffffffff-ffff-ffff-ffff-ffffffffffff}', time: '2024-03-01T10:00:00.1230000Z' },
      { guid: '{00000000-0000-0000-0000-000000000000}', time: '2024-03-01T10:00:00.1234567Z' },
      // upper case, unbraced and odd guids are kept as written
      { guid: '{0A1B2C3D-4E5F-6789-ABCD-EF0123456789}', parentGuid: '0a1b2c3d-4e5f-6789-abcd-ef0123456789', time: '2024-03-01T10:00:00.123Z' },
      { guid: '{0a1b2c3d-4e5f-6789-abcd-ef01234567zz}', parentGuid: '', time: '2024-03-01 10:00:00.123' },
      { guid: '{0a1b2c3d+4e5f-6789-abcd-ef0123456789}', time: '2024-03-01T11:00:00.123+01:00' },
      // one character that is not a lower-case hex digit, in each group of four (a non-ASCII
      // character whose low 7 bits spell a hex digit too)
      ...[1, 6, 11, 17, 22, 26, 31, 36].flatMap((at) => ['g', 'A', '/', ':', '\u0661', '\u0130'].map((ch) => {
        const g = '{0a1b2c3d-4e5f-6789-abcd-ef0123456789}';
        return { guid: g.slice(0, at) + ch + g.slice(at + 1), parentGuid: g, time: '2024-03-01T10:00:00.123Z' };
      })),
    ];
    const t = new ProcessTable();
    for (const c of cases) t.add({ key: `a.evtx#r1`, ref, host: 'H', timeMs: ms, time: '', ...c });
    const copy = new ProcessTable();
    copy.appendBatch(structuredClone(t.toBatch()));
    for (let i = 0; i < cases.length; i++) {
      for (const table of [t, copy]) {
        const row = table.row(i);
        expect([row.guid, row.parentGuid, row.time]).toEqual([cases[i].guid, cases[i].parentGuid, cases[i].time]);
        expect(table.guid(i)).toBe(cases[i].guid);
      }
    }
  });

  it('keeps numbers that do not fit its small columns exactly', () => {
    const t = new ProcessTable();
    const odd: IndexedProcess[] = [
      { key: 'a.csv#l2', ref: { file: 'a.csv', format: 'csv', line: 2 }, host: 'H', time: 'x', timeMs: -5, pid: -1, parentPid: 1.5, eventId: 4294967295 },
      { key: 'a.evtx#r1@9', ref: { file: 'a.evtx', format: 'evtx', recordId: 2 ** 40, offset: 2 ** 35, chunk: 2 ** 33 }, host: 'H', time: '1970-01-01T00:00:00.000Z', timeMs: 0, pid: 0, parentPid: 4294967294 },
    ];
    for (const p of odd) t.add(p);
    const copy = new ProcessTable();
    copy.add(odd[0]);
    copy.appendBatch(structuredClone(t.toBatch()));
    for (const table of [t, copy]) {
      const rows = [...table].slice(-2);
      expect(rows.map(defined)).toEqual(odd.map(defined));
    }
  });

  it('keeps each row\'s host, file, source, format and event id, however rows of several logs interleave', () => {
    const ctx = [
      { host: 'H1', ref: { file: 'a.evtx', format: 'evtx' as const }, source: 'sysmon' as const, eventId: 1 },
      { host: 'H2', ref: { file: 'a.evtx', format: 'evtx' as const }, source: 'sysmon' as const, eventId: 1 },
      { host: 'H1', ref: { file: 'b.csv', format: 'csv' as const }, source: 'security' as const, eventId: 4688 },
      { host: 'H1', ref: { file: 'a.evtx', format: 'evtx' as const }, source: undefined, eventId: undefined },
      { host: 'H1', ref: { file: 'a.evtx', format: 'evtx' as const }, source: 'sysmon' as const, eventId: -1 },
      { host: 'h1', ref: { file: 'a.evtx', format: 'evtx' as const }, source: 'sysmon' as const, eventId: 2 ** 40 },
    ];
    // runs of one context and single rows, in an order that returns to earlier contexts
    const order = [0, 0, 1, 0, 2, 2, 3, 4, 0, 4, 5, 0, 5, 1];
    const rows: IndexedProcess[] = order.map((c, i) => {
      const { host, ref, source, eventId } = ctx[c];
      const p: IndexedProcess = { key: '', ref: { ...ref, recordId: i + 1 }, host, time: 't', timeMs: i, pid: i };
      if (source !== undefined) p.source = source;
      if (eventId !== undefined) p.eventId = eventId;
      p.key = `${ref.file}#r${i + 1}`;
      return p;
    });
    const t = new ProcessTable();
    for (const p of rows) t.add(p);
    // a table holding rows of other contexts first, as the case holds earlier batches
    const copy = new ProcessTable();
    copy.add(rows[4]);
    copy.add(rows[2]);
    copy.appendBatch(structuredClone(t.toBatch()));
    copy.appendBatch(structuredClone(t.toBatch()));
    expect([...t].map(defined)).toEqual(rows.map(defined));
    expect([...copy].map(defined)).toEqual([rows[4], rows[2], ...rows, ...rows].map(defined));
    for (const table of [t, copy]) {
      for (let i = 0; i < table.length; i++) {
        expect(table.text(table.hostId(i))).toBe(table.host(i));
        expect(table.text(table.sourceId(i))).toBe(table.source(i));
      }
    }
  });

  it('keeps each start\'s own strings when one program starts again and again, alike in all but one field', () => {
    // one image, its starts differing from the one before in a single field (or in none): the
    // table reuses a start's string ids only when every one of them is the same
    const base = { image: 'C:\\Windows\\System32\\svchost.exe', commandLine: 'svchost.exe -k netsvcs', hashes: 'SHA256=AA', user: 'NT AUTHORITY\\SYSTEM', parentImage: 'C:\\Windows\\System32\\services.exe', parentCommandLine: 'services.exe' };
    const variants: Partial<IndexedProcess>[] = [
      {}, {}, { commandLine: 'svchost.exe -k LocalService' }, {}, { hashes: 'SHA256=BB' }, { user: 'NT AUTHORITY\\LOCAL SERVICE' }, {},
      { parentImage: 'C:\\Windows\\explorer.exe' }, { parentCommandLine: 'services.exe /x' }, { commandLine: undefined }, { hashes: undefined }, {},
      { image: 'C:\\Windows\\System32\\cmd.exe' }, {}, { user: undefined, parentImage: undefined, parentCommandLine: undefined }, {},
    ];
    const rows: IndexedProcess[] = variants.map((v, i) => {
      const p: IndexedProcess = { key: `a.evtx#r${i + 1}`, ref: { file: 'a.evtx', format: 'evtx', recordId: i + 1 }, host: 'H', time: 't', timeMs: i, pid: i, ...base, ...v };
      return p;
    });
    const t = new ProcessTable();
    for (const p of rows) t.add(p);
    expect([...t].map(defined)).toEqual(rows.map(defined));
  });

  for (const [scenario, format] of [['mixed', 'evtx'], ['startup-folder', 'evtx'], ['defender-fleet', 'csv']] as const) {
    it(`correlates the same from the table and from appended batches as from the array (${scenario}, ${format})`, async () => {
      const { events, candidates } = await collect(scenario, format);
      const fromArray = analyzeCase({ candidates, index: arrayIndex(events) });
      expect(fromArray.length).toBeGreaterThan(0);
      expect(fromArray.some((f) => f.correlation.writerProcess)).toBe(true);
      const table: CorrelationIndex = { ...emptyIndex(), processTable: new ProcessTable(), fileTable: new FileTable() };
      for (const ev of events) indexEvent(table, ev);
      expect(table.files).toHaveLength(0);
      expect(json(analyzeCase({ candidates, index: table }))).toEqual(json(fromArray));
      expect(json(analyzeCase({ candidates, index: batchedIndex(events, 1500) }))).toEqual(json(fromArray));
    });
  }
});
