// The raw text of ONE record, re-read from the evidence by its reference (never the whole log):
// EVTX records are rendered from their chunk; XML / JSON / CSV records are cut out of the file at
// their offset or line. Archive members (and refs without a position) are found by re-reading the
// file through the readers until the record's key comes by. The file is opened read-only.

import { openFileSource, type FileSource } from '../io/file-source';
import { renderEvtxRecordXml } from '../../shared/evtx/reader';
import { readEvidence } from '../../shared/readers/read-evidence';
import { eventKey, type EvidenceRef } from '../../shared/model/raw-event';
import type { RawRecord, Result } from '../../shared/api';
import { RAW_RECORD_MAX_CHARS, fail, ok } from '../../shared/api';

const WINDOW = 1024 * 1024;

function cap(ref: EvidenceRef, syntax: RawRecord['syntax'], text: string): RawRecord {
  const truncated = text.length > RAW_RECORD_MAX_CHARS;
  return { ref, syntax, text: truncated ? text.slice(0, RAW_RECORD_MAX_CHARS) : text, truncated };
}

async function readWindow(src: FileSource, offset: number): Promise<string> {
  return new TextDecoder('utf-8', { fatal: false }).decode(await src.read(offset, WINDOW));
}

async function lineAt(src: FileSource, line: number): Promise<{ header: string; text: string } | undefined> {
  // scan line by line from the start (text files only; bounded by the file size)
  const dec = new TextDecoder('utf-8');
  let pos = 0;
  let current = 1;
  let carry = '';
  let header: string | undefined;
  while (pos < src.size) {
    const bytes = await src.read(pos, WINDOW);
    pos += bytes.length;
    carry += dec.decode(bytes, { stream: pos < src.size });
    let nl: number;
    while ((nl = carry.indexOf('\n')) >= 0) {
      const l = carry.slice(0, nl).replace(/\r$/, '');
      carry = carry.slice(nl + 1);
      if (current === 1) header = l;
      if (current === line) return { header: header ?? '', text: l };
      current++;
    }
  }
  if (current === line && carry) return { header: header ?? '', text: carry };
  return undefined;
}

/** Element `index` of a JSON array, or of a search response's hits.hits, written whole on one line. */
function elementAt(text: string, index: number): unknown {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return undefined; // a response spread over lines: the readers find the record below
  }
  const hits = (v as { hits?: { hits?: unknown } } | null)?.hits?.hits;
  const list = Array.isArray(v) ? v : Array.isArray(hits) ? hits : undefined;
  return list?.[index];
}

export async function readRawRecord(path: string, ref: EvidenceRef): Promise<Result<RawRecord>> {
  let src: FileSource;
  try {
    src = await openFileSource(path);
  } catch (e) {
    return fail('IO', `cannot open ${ref.file}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
  try {
    if (!ref.member) {
      if (ref.format === 'evtx' && ref.chunk !== undefined && ref.offset !== undefined) {
        const xml = await renderEvtxRecordXml(src, { chunk: ref.chunk, offset: ref.offset });
        if (xml !== undefined) return ok(cap(ref, 'xml', xml));
      } else if (ref.format === 'xml' && ref.offset !== undefined) {
        const text = await readWindow(src, ref.offset);
        const end = text.search(/<\/(?:\w+:)?Event>/);
        if (end >= 0) return ok(cap(ref, 'xml', text.slice(0, text.indexOf('>', end) + 1)));
      } else if (ref.format === 'csv' && ref.line !== undefined) {
        const l = await lineAt(src, ref.line);
        if (l) return ok(cap(ref, 'csv', `${l.header}\n${l.text}`));
      } else if (ref.format === 'json' && ref.line !== undefined) {
        const l = await lineAt(src, ref.line);
        const text = l?.text.trim() ?? '';
        if (ref.index === undefined && text.startsWith('{')) return ok(cap(ref, 'json', text));
        // one element of an array or of a search response's hits on that line, not the whole line
        const one = ref.index === undefined ? undefined : elementAt(text, ref.index);
        if (one !== undefined) return ok(cap(ref, 'json', JSON.stringify(one, null, 2)));
      }
    }
    // fall back: re-read through the readers and show the record as the reader decoded it
    const want = eventKey(ref);
    const gen = readEvidence(src, { file: ref.file, onProblem: () => undefined });
    for (;;) {
      const r = await gen.next();
      if (r.done) break;
      const hit = r.value.find((e) => eventKey(e.ref) === want);
      if (hit) {
        await gen.return(undefined as never);
        return ok(cap(ref, 'json', JSON.stringify({ system: hit.system, data: hit.data }, null, 2)));
      }
    }
    return fail('NOT_FOUND', `record not found in ${ref.file}`);
  } finally {
    await src.close();
  }
}
