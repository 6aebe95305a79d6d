// Damage is visible where the analyst looks: `events` and `scan` end their stderr with one line
// per file with failed or recovered records, and a scan with failed records says so in its last
// line. Exit codes do not change: a failed record is a warning. The damaged log is a generated
// Sysmon EVTX (seed in generated-case.ts) with the size copy of three records broken.
import { readFileSync, writeFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { readEvtx } from '../../../shared/evtx/reader';
import { bytesSource, type ReadSummary } from '../../../shared/readers/types';
import type { RawEvent } from '../../../shared/model/raw-event';
import { DamageTally, damageLine } from '../../../electron/cli/damage-tally';
import { runScanCaptured } from './run-scan';
import { runBin } from './run-bin';
import { writeGeneratedCase } from './generated-case';
import { HAVE_SAMPLES, NO_SAMPLES_REASON, samplePath } from '../../samples';
import { readEvidenceFile } from '../../../electron/io/read-evidence-file';
import { isRecovered } from '../../../electron/cli/damage-tally';

const RECORD_SIGNATURE = [0x2a, 0x2a, 0x00, 0x00];
const FIRST_RECORD = 4096 + 512; // file header, then the first chunk's header

/** Breaks the trailing size copy of the records at these positions (0-based) of the first chunk. */
function breakRecords(bytes: Uint8Array, which: readonly number[]): Uint8Array {
  const out = bytes.slice();
  const dv = new DataView(out.buffer);
  let pos = FIRST_RECORD;
  for (let i = 0; i <= Math.max(...which); i++) {
    expect([...out.subarray(pos, pos + 4)]).toEqual(RECORD_SIGNATURE);
    const size = dv.getUint32(pos + 4, true);
    if (which.includes(i)) dv.setUint32(pos + size - 4, size ^ 0x5a5a, true);
    pos += size;
  }
  return out;
}

async function summaryOf(bytes: Uint8Array): Promise<ReadSummary> {
  const g = readEvtx(bytesSource(bytes), { file: 'x.evtx', onProblem: () => undefined });
  for (;;) {
    const r = await g.next();
    if (r.done) return r.value;
  }
}

const lines = (text: string) => text.split('\n').filter((l) => l !== '');

describe('failed records at the end of stderr', () => {
  let dir: string;
  let damaged: string;
  let clean: string;
  beforeAll(async () => {
    const c = writeGeneratedCase('damage');
    dir = c.dir;
    damaged = c.files.find((f) => f.endsWith('-Sysmon.evtx')) ?? '';
    clean = c.files.find((f) => f.endsWith('-Security.evtx')) ?? '';
    const broken = breakRecords(new Uint8Array(readFileSync(damaged)), [1, 4, 7]);
    writeFileSync(damaged, broken);
    expect((await summaryOf(broken)).failedRecords).toBe(3);
  });

  it('scan ends with the damaged file\'s count, then a summary line saying records failed; the exit code is the findings\'', async () => {
    const r = await runScanCaptured([dir]);
    expect(r.code).toBe(1);
    expect(r.err).toContain('BAD_RECORD');
    const tail = lines(r.err).slice(-2);
    expect(tail[0]).toBe(`runkey-hunter: ${damaged}: 3 records failed`);
    expect(tail[1]).toMatch(/, 3 record\(s\) failed in 1 file\(s\)$/);
    expect(r.err).not.toContain(`${clean}: `);
  });

  it('events (the real bin) ends with the damaged file\'s count and still exits 0', async () => {
    const r = await runBin(['events', damaged, clean]);
    expect(r.code).toBe(0);
    expect(lines(r.stderr).at(-1)).toBe(`runkey-hunter: ${damaged}: 3 records failed`);
    expect(lines(r.stderr).filter((l) => l.endsWith('records failed'))).toHaveLength(1);
  }, 60_000);

  it('names no file when nothing failed', async () => {
    const r = await runScanCaptured([clean]);
    expect(lines(r.err)).toHaveLength(1);
    expect(lines(r.err)[0]).not.toContain('failed');
  });
});

describe.skipIf(!HAVE_SAMPLES)(`failed and recovered records of a real damaged log (${HAVE_SAMPLES ? 'samples present' : NO_SAMPLES_REASON})`, () => {
  const BAD_MAGIC = 'omerbenamram_evtx/samples/sample_with_a_bad_chunk_magic.evtx';

  it('scan and events end with the reader\'s counts of failed and recovered (carved) records', async () => {
    const file = samplePath(BAD_MAGIC);
    let recovered = 0;
    const gen = readEvidenceFile(file, { onProblem: () => undefined });
    let summary: ReadSummary | undefined;
    for (;;) {
      const r = await gen.next();
      if (r.done) {
        summary = r.value;
        break;
      }
      recovered += r.value.filter(isRecovered).length;
    }
    expect(recovered).toBe(50); // chunk 7's slack (evtxexport -m all agrees)
    const line = `runkey-hunter: ${file}: ${summary?.failedRecords} records failed, 50 recovered (deleted)`;
    expect(summary?.failedRecords).toBeGreaterThan(0);
    const scan = await runScanCaptured([file]);
    expect(lines(scan.err).at(-2)).toBe(line);
    expect(lines(scan.err).at(-1)).toMatch(new RegExp(`, ${summary?.failedRecords} record\\(s\\) failed in 1 file\\(s\\)$`));
    const events = await runBin(['events', file]);
    expect(lines(events.stderr).at(-1)).toBe(line);
  }, 60_000);
});

describe('DamageTally', () => {
  const ev = (recovered: boolean): RawEvent => ({
    ref: { file: 'a.evtx', format: 'evtx', ...(recovered ? { recovered: true } : {}) }, layout: 'windows-event', system: {}, data: {},
  });
  const summary = (failedRecords: number): ReadSummary => ({ format: 'evtx', records: 10, failedRecords, bytes: 1 });

  it('counts the recovered records (ref.recovered) and the reader\'s failed count', () => {
    const t = new DamageTally();
    t.begin('a.evtx');
    t.events([ev(true), ev(true), ev(false), ...Array.from({ length: 10 }, () => ev(true))]);
    t.finish(summary(3));
    t.begin('clean.evtx');
    t.events([ev(false)]);
    t.finish(summary(0));
    t.begin('b.evtx');
    t.events([ev(true)]);
    t.finish(summary(0));
    expect(t.damaged().map(damageLine)).toEqual(['a.evtx: 3 records failed, 12 recovered (deleted)', 'b.evtx: 1 record recovered (deleted)']);
    expect(t.failedRecords()).toBe(3);
  });

  it('counts the record problems of a file whose reader returned no summary', () => {
    const t = new DamageTally();
    t.begin('c.evtx');
    t.problem({ code: 'UNKNOWN_TOKEN', level: 'warning', file: 'c.evtx', message: 'x', record: 7 });
    t.problem({ code: 'TRUNCATED', level: 'warning', file: 'c.evtx', message: 'x', record: 8 });
    t.problem({ code: 'BAD_CHECKSUM', level: 'warning', file: 'c.evtx', message: 'chunk', chunk: 0 });
    t.problem({ code: 'INTERNAL', level: 'error', file: 'c.evtx', message: 'reader failed' });
    t.finish(undefined);
    expect(t.damaged()).toEqual([{ file: 'c.evtx', failed: 2, recovered: 0 }]);
  });
});
