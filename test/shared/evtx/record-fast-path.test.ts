// extractFragment's fast path (a record that is one template instance, read without building
// nodes) must give what the general route, parseFragment + extractNodes, gives: the same fields
// for every record of every real sample, and the same error (code, offset, message) for records
// of mutated chunks. Both run on their own chunk context so no template cache is shared.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ByteDecodeError } from '../../../shared/bytes/byte-reader';
import { CHUNK_HEADER_SIZE, CHUNK_SIZE, hasChunkSignature } from '../../../shared/evtx/chunk-header';
import { FILE_HEADER_BLOCK } from '../../../shared/evtx/file-header';
import { RECORD_HEADER_SIZE, readRecordHeader } from '../../../shared/evtx/record';
import { extractFragment, extractNodes, type Sink } from '../../../shared/evtx/binxml/extract';
import { parseFragment } from '../../../shared/evtx/binxml/parse';
import { newChunkContext } from '../../../shared/evtx/binxml/template-cache';
import { HAVE_SAMPLES, NO_SAMPLES_REASON, SAMPLES_DIR, filesUnder, samplePath } from '../../samples';

const evtxFiles = (dir: string): string[] => filesUnder(dir, '.evtx');

function chunksOf(file: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let off = FILE_HEADER_BLOCK; off + CHUNK_SIZE <= file.length; off += CHUNK_SIZE) {
    const c = file.slice(off, off + CHUNK_SIZE);
    if (hasChunkSignature(c)) out.push(c);
  }
  return out;
}

type Outcome = { sink: Sink } | { error: { code: string; offset: number; message: string } };

function run(fast: boolean, chunk: Uint8Array, wanted: ReadonlySet<string> | undefined): Outcome[] {
  const c = newChunkContext(chunk);
  const out: Outcome[] = [];
  for (let pos = CHUNK_HEADER_SIZE; ; ) {
    const rh = readRecordHeader(chunk, pos, chunk.length);
    if (typeof rh === 'string') break;
    const sink: Sink = { system: {}, data: {}, unnamed: 0, wanted };
    const start = pos + RECORD_HEADER_SIZE;
    const end = pos + rh.size - 4;
    try {
      if (fast) extractFragment(c, start, end, 'root', sink, 0);
      else extractNodes(c, parseFragment(c, start, end, false, 0).nodes, 'root', sink, 0);
      out.push({ sink });
    } catch (e) {
      if (!(e instanceof ByteDecodeError)) throw e;
      out.push({ error: { code: e.code, offset: e.offset, message: e.message } });
    }
    pos += rh.size;
  }
  return out;
}

describe.skipIf(!HAVE_SAMPLES)('record fast path (extractFragment)', () => {
  if (!HAVE_SAMPLES) console.warn(`[skip] ${NO_SAMPLES_REASON}`);

  it('extracts every record of every sample as the general route does', () => {
    let records = 0;
    for (const f of evtxFiles(SAMPLES_DIR)) {
      for (const chunk of chunksOf(new Uint8Array(readFileSync(f)))) {
        const fast = run(true, chunk, undefined);
        expect(fast, f).toStrictEqual(run(false, chunk, undefined));
        records += fast.length;
      }
    }
    expect(records).toBeGreaterThan(15000);
  }, 120_000);

  it('fails with the same error as the general route on mutated records', () => {
    const chunk = chunksOf(new Uint8Array(readFileSync(samplePath('omerbenamram_evtx/samples/sysmon.evtx'))))[0];
    const wanted = new Set(['TargetObject', 'Image']);
    let errors = 0;
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: CHUNK_HEADER_SIZE, max: 12000 }), fc.nat(255)), { minLength: 1, maxLength: 12 }), (edits) => {
        const b = chunk.slice();
        for (const [at, v] of edits) b[at] = v;
        const fast = run(true, b, wanted);
        expect(fast).toStrictEqual(run(false, b, wanted));
        errors += fast.filter((o) => 'error' in o).length;
      }),
      { seed: 77, numRuns: 300 },
    );
    expect(errors).toBeGreaterThan(50);
  });
});
