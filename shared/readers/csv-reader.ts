// CSV evidence: Defender advanced-hunting exports (DeviceRegistryEvents / DeviceProcessEvents /
// DeviceFileEvents), EvtxECmd CSV (Payload column holding the EventData JSON) and generic exports
// with an event id column ('flat'). Our splitter finds the records (quoted newlines included, line
// numbers kept); splitCsvFields splits a record's fields with indexOf, papaparse any record that
// RFC 4180 leaves open (and the header). A header of no known layout is BAD_CSV_HEADER (error:
// nothing is read); a row with the wrong number of fields is BAD_CSV_ROW. A field past the value limit
// arrives cut by the splitter: a TOO_LARGE warning naming its column, the row kept.

import Papa from 'papaparse';
import type { RawEvent, RawLayout, RawValue } from '../model/raw-event';
import type { ReaderContext } from './types';
import { BATCH_SIZE, DEFAULT_MAX_ITEM_CHARS, DEFAULT_MAX_VALUE_CHARS, flushValueCuts, ReadState, reportValueCut, type TextCounts, type TextReaderOptions } from './reader-kit';
import { CsvRecordSplitter, splitCsvFields, type CsvRecord } from './csv-splitter';
import { defenderTableOf, isDefenderHeader } from './defender-layout';
import { defenderSystem, evtxecmdPayload, evtxecmdSystem } from './json-layouts';
import { FLAT_CONTEXT_KEYS, FLAT_EVENT_ID_KEYS, mapFlat } from './flat-layout';

export interface CsvHeaderLayout {
  layout: Extract<RawLayout, 'defender' | 'evtxecmd' | 'flat'>;
  /** Defender table when the columns say which. */
  table?: string;
}

const DELIMITERS = [',', '\t', ';', '|'] as const;

/** Which layout a header row is, or undefined. */
export function classifyCsvHeader(columns: readonly string[]): CsvHeaderLayout | undefined {
  const have = new Set(columns);
  if (isDefenderHeader(columns)) {
    const table = defenderTableOf(columns);
    return table ? { layout: 'defender', table } : { layout: 'defender' };
  }
  if (have.has('Payload') && (have.has('EventId') || have.has('EventID')) && (have.has('RecordNumber') || have.has('EventRecordId'))) {
    return { layout: 'evtxecmd' };
  }
  if (FLAT_EVENT_ID_KEYS.some((k) => have.has(k)) && FLAT_CONTEXT_KEYS.some((k) => have.has(k))) return { layout: 'flat' };
  return undefined;
}

function splitHeader(line: string, delimiter: string): string[] {
  const r = Papa.parse<string[]>(line, { delimiter, newline: '\n', header: false });
  return (r.data[0] ?? []).map((c) => c.trim());
}

/** The delimiter and columns of a header line, when it is a header we know. */
export function sniffCsvHeader(firstLine: string): { delimiter: string; columns: string[]; layout: CsvHeaderLayout } | undefined {
  const line = firstLine.replace(/\r$/, '');
  for (const delimiter of DELIMITERS) {
    if (!line.includes(delimiter)) continue;
    const columns = splitHeader(line, delimiter);
    const layout = classifyCsvHeader(columns);
    if (layout) return { delimiter, columns, layout };
  }
  return undefined;
}

export async function* readCsvText(text: AsyncIterable<string>, ctx: ReaderContext, opts: TextReaderOptions = {}): AsyncGenerator<RawEvent[], TextCounts> {
  const st = new ReadState(ctx, 'csv');
  const maxChars = opts.maxItemChars ?? DEFAULT_MAX_ITEM_CHARS;
  const it = text[Symbol.asyncIterator]();
  // gather text until the header line is complete
  let head = '';
  for (;;) {
    const r = await it.next();
    if (r.done) break;
    head += r.value;
    if (head.includes('\n') || head.length > maxChars) break;
  }
  const nl = head.indexOf('\n');
  const sniffed = sniffCsvHeader(nl < 0 ? head : head.slice(0, nl));
  if (!sniffed) {
    st.report('BAD_CSV_HEADER', 'error', 'the first line is not a header of a known CSV export (Defender, EvtxECmd, or one with an event id column)', { line: 1 });
    return st.counts;
  }
  const { delimiter, columns, layout } = sniffed;
  const maxValue = opts.maxValueChars ?? DEFAULT_MAX_VALUE_CHARS;
  const splitter = new CsvRecordSplitter(delimiter, maxChars, maxValue);
  let header = true;
  let records: CsvRecord[] = [];

  const rowToEvent = (cells: string[], line: number): RawEvent | undefined => {
    const row: Record<string, string> = {};
    columns.forEach((c, i) => (row[c] = cells[i] ?? ''));
    const ref = st.ref(line);
    let ev: RawEvent;
    if (layout.layout === 'defender') {
      const data: Record<string, RawValue> = { ...row };
      ev = { ref, layout: 'defender', system: defenderSystem(row), data };
      const table = defenderTableOf(columns, row) ?? layout.table;
      if (table) ev.table = table;
    } else if (layout.layout === 'evtxecmd') {
      const data: Record<string, RawValue> = {};
      evtxecmdPayload(row.Payload, data);
      ev = { ref, layout: 'evtxecmd', system: evtxecmdSystem(row), data };
    } else {
      const f = mapFlat(row);
      ev = { ref, layout: 'flat', system: f.system, data: f.data };
    }
    if (ev.system.recordId !== undefined) ref.recordId = ev.system.recordId;
    return ev;
  };

  const parseOne = (r: CsvRecord): string[] | undefined => {
    const p = Papa.parse<string[]>(r.text, { delimiter, newline: '\n', header: false });
    return p.data.length === 1 ? p.data[0] : undefined;
  };

  const flush = () => {
    if (records.length === 0) return;
    const batch = records;
    records = [];
    batch.forEach((r) => {
      const cells = splitCsvFields(r.text, delimiter) ?? parseOne(r);
      const extraEmpty = cells !== undefined && cells.length > columns.length && cells.slice(columns.length).every((c) => c === '');
      if (!cells || (cells.length !== columns.length && !extraEmpty)) {
        st.fail();
        st.report('BAD_CSV_ROW', 'warning', `row has ${cells?.length ?? 0} fields, the header ${columns.length}`, { line: r.line });
        return;
      }
      const ev = rowToEvent(cells, r.line);
      if (ev) st.add(ev);
      if (r.cuts) for (const c of r.cuts) reportValueCut(st, columns[c.field] ?? `field ${c.field + 1}`, c, maxValue);
    });
  };

  const onRecord = (r: CsvRecord) => {
    if (header) {
      header = false;
      return;
    }
    if (r.text.trim() === '') return;
    records.push(r);
    if (records.length >= BATCH_SIZE) flush();
  };
  const onTooLarge = (line: number) => {
    st.fail();
    st.report('TOO_LARGE', 'warning', `row larger than ${maxChars} characters: skipped`, { line });
  };

  splitter.push(head, onRecord, onTooLarge);
  for (;;) {
    const b = st.take();
    if (b) yield b;
    if (st.cancelled()) return st.counts;
    const r = await it.next();
    if (r.done) break;
    splitter.push(r.value, onRecord, onTooLarge);
  }
  const end = splitter.end(onRecord, onTooLarge);
  flush();
  if (end.unterminatedAt !== undefined) {
    st.fail();
    st.report('BAD_CSV_ROW', 'warning', 'the input ends inside a quoted field (truncated)', { line: end.unterminatedAt });
  }
  flushValueCuts(st);
  const b = st.take(true);
  if (b) yield b;
  return st.counts;
}
