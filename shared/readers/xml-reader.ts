// Windows event XML (Event Viewer "Save as XML", wevtutil qe /f:xml, Get-WinEvent ToXml) streamed
// event by event: the splitter cuts the text, fast-xml-parser parses one event at a time. A bad
// event is a BAD_XML warning with its line; the next events are still read. A value past the value
// limit arrives cut by the splitter and is a TOO_LARGE warning naming the field; its event is kept.

import type { RawEvent } from '../model/raw-event';
import type { ReaderContext } from './types';
import { DEFAULT_MAX_ITEM_CHARS, DEFAULT_MAX_VALUE_CHARS, flushValueCuts, pumpText, ReadState, reportValueCut, type TextCounts, type TextReaderOptions } from './reader-kit';
import { XmlEventSplitter, type SplitEvent, type SplitSink } from './xml-splitter';
import { parseEventXml } from './xml-event';

export async function* readXmlText(text: AsyncIterable<string>, ctx: ReaderContext, opts: TextReaderOptions = {}): AsyncGenerator<RawEvent[], TextCounts> {
  const st = new ReadState(ctx, 'xml');
  const maxValue = opts.maxValueChars ?? DEFAULT_MAX_VALUE_CHARS;
  const splitter = new XmlEventSplitter(opts.maxItemChars ?? DEFAULT_MAX_ITEM_CHARS, maxValue);
  const pending: SplitEvent[] = [];
  const sink: SplitSink = {
    event: (e) => pending.push(e),
    problem: (p) => {
      st.fail();
      st.report(p.code, 'warning', p.message, { line: p.line });
    },
  };
  const drain = () => {
    for (const e of pending) {
      try {
        const { system, data } = parseEventXml(e.text);
        st.add({ ref: st.ref(e.line, system.recordId), layout: 'windows-event', system, data });
      } catch (err) {
        st.fail();
        st.report('BAD_XML', 'warning', `event cannot be parsed: ${(err as Error).message}`, { line: e.line });
        continue;
      }
      if (e.cuts) for (const c of e.cuts) reportValueCut(st, c.field, c, maxValue);
    }
    pending.length = 0;
  };
  if (!(yield* pumpText(text, st, { push: (chunk) => splitter.push(chunk, sink), end: () => splitter.end(sink), drain }))) return st.counts;
  const b = st.take(true);
  if (b) yield b;
  flushValueCuts(st);
  if (splitter.sawEntityDeclarations) {
    st.report('BAD_XML', 'warning', 'the DOCTYPE declares entities; they were not expanded (kept as written)');
  }
  if (splitter.eventsFound === 0) {
    st.report('UNKNOWN_LAYOUT', 'error', 'the XML holds no <Event> elements');
  }
  return st.counts;
}
