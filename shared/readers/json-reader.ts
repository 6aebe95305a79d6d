// JSON evidence: a top-level array, NDJSON, or pretty-printed objects back to back, and
// Elasticsearch / OpenSearch search responses (the splitter streams their hits.hits; a response
// met whole, e.g. inside an array, is unwrapped here); each hit's _source is the event. Each item is
// parsed on its own (bounded by the item limit) and mapped by its layout. A broken item is BAD_JSON
// with its line, an object of no known layout a counted UNKNOWN_LAYOUT warning; neither stops the read.
// A string past the value limit arrives cut by the splitter: a TOO_LARGE warning naming its key
// path, the item kept.
// 'flat' events whose only time is TimeCreated are held back (at most HOLD_LIMIT) until the stream
// shows how TimeCreated relates to UTC (see flat-layout.ts), then released corrected.

import type { RawEvent } from '../model/raw-event';
import type { ReaderContext } from './types';
import { DEFAULT_MAX_ITEM_CHARS, DEFAULT_MAX_VALUE_CHARS, flushValueCuts, pumpText, ReadState, reportValueCut, type TextCounts, type TextReaderOptions } from './reader-kit';
import { jsonKeyPathAt } from './json-key-path';
import { JsonItemSplitter, type JsonItem, type JsonSplitSink } from './json-splitter';
import { mapJsonEvent, unwrapEvent, type MappedEvent } from './json-layouts';
import { TimeCalibration } from './flat-layout';

const UNKNOWN_REPORTED = 5;
const STRAY_REPORTED = 5;
const HOLD_LIMIT = 20000;

export async function* readJsonText(text: AsyncIterable<string>, ctx: ReaderContext, opts: TextReaderOptions = {}): AsyncGenerator<RawEvent[], TextCounts> {
  const st = new ReadState(ctx, 'json');
  const maxValue = opts.maxValueChars ?? DEFAULT_MAX_VALUE_CHARS;
  const splitter = new JsonItemSplitter(opts.maxItemChars ?? DEFAULT_MAX_ITEM_CHARS, maxValue);
  const calibration = new TimeCalibration();
  let held: Array<{ ev: RawEvent; created: string }> = [];
  const pending: JsonItem[] = [];
  const sink: JsonSplitSink = {
    item: (i) => pending.push(i),
    problem: (p) => {
      if (p.repeatable) st.reportRepeated('stray', STRAY_REPORTED, p.code, p.message, { line: p.line });
      else {
        st.fail();
        st.report(p.code, 'warning', p.message, { line: p.line });
      }
    },
  };
  const release = () => {
    for (const h of held) {
      const t = calibration.correct(h.created);
      if (t) h.ev.system.timeCreated = t;
      st.add(h.ev);
    }
    held = [];
  };
  const toEvent = (m: MappedEvent, line: number, index: number | undefined): RawEvent => {
    const ev: RawEvent = { ref: st.ref(line, m.system.recordId, index), layout: m.layout, system: m.system, data: m.data };
    if (m.table) ev.table = m.table;
    return ev;
  };
  const one = (value: unknown, line: number, index: number | undefined) => {
    const m = mapJsonEvent(value);
    if (!m) {
      st.reportRepeated('layout', UNKNOWN_REPORTED, 'UNKNOWN_LAYOUT', 'a JSON value that is not an event layout this reader knows: skipped', { line });
      return;
    }
    const ev = toEvent(m, line, index);
    if (m.flat && m.flat.timeSource === 'created' && m.flat.createdText !== undefined && calibration.offsetMs === undefined) {
      held.push({ ev, created: m.flat.createdText });
      if (held.length >= HOLD_LIMIT) release();
      return;
    }
    if (m.flat && calibration.observe(unwrapEvent(value) as Record<string, unknown>)) release();
    if (m.flat?.timeSource === 'created' && m.flat.createdText !== undefined) {
      const t = calibration.correct(m.flat.createdText);
      if (t) ev.system.timeCreated = t;
    }
    st.add(ev);
  };
  const drain = () => {
    for (const item of pending) {
      let value: unknown;
      try {
        value = JSON.parse(item.text);
      } catch (err) {
        st.fail();
        st.report('BAD_JSON', 'warning', `not valid JSON: ${(err as Error).message}`, { line: item.line });
        continue;
      }
      if (item.cuts) for (const c of item.cuts) reportValueCut(st, jsonKeyPathAt(item.text, c.at), c, maxValue);
      const hits = searchHits(value);
      if (hits) hits.forEach((h, i) => one(h, item.line, i));
      else one(value, item.line, item.index);
    }
    pending.length = 0;
  };
  if (!(yield* pumpText(text, st, { push: (chunk) => splitter.push(chunk, sink), end: () => splitter.end(sink), drain }))) return st.counts;
  release();
  const b = st.take(true);
  if (b) yield b;
  flushValueCuts(st);
  st.flushRepeated('layout', UNKNOWN_REPORTED, 'UNKNOWN_LAYOUT', 'JSON values of no known event layout');
  st.flushRepeated('stray', STRAY_REPORTED, 'BAD_JSON', 'runs of stray text between JSON values');
  if (splitter.itemsFound === 0) st.report('UNKNOWN_LAYOUT', 'error', 'the JSON holds no objects');
  return st.counts;
}

/** The hits of an Elasticsearch / OpenSearch search response ({"hits": {"hits": [...]}}) met as one value, else undefined. */
function searchHits(v: unknown): unknown[] | undefined {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return undefined;
  const outer = (v as Record<string, unknown>).hits;
  if (typeof outer !== 'object' || outer === null || Array.isArray(outer)) return undefined;
  const hits = (outer as Record<string, unknown>).hits;
  return Array.isArray(hits) ? hits : undefined;
}
