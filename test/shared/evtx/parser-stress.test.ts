// The PARSER-STRESS samples: damaged or unusual files. Expected figures are what our reader
// gives, checked against the reference parsers (evtxexport / python-evtx counts in the comments)
// and against the damage found by inspecting each file.
import { describe, expect, it } from 'vitest';
import { readEvtx } from '../../../shared/evtx/reader';
import { countByCode, type Problem } from '../../../shared/model/problems';
import type { RawEvent } from '../../../shared/model/raw-event';
import type { ReadSummary } from '../../../shared/readers/types';
import { HAVE_SAMPLES, NO_SAMPLES_REASON, samplePath } from '../../samples';
import { fileSource } from './reference-parsers';

async function read(rel: string): Promise<{ events: RawEvent[]; summary: ReadSummary; problems: Problem[] }> {
  const src = fileSource(samplePath(rel));
  const problems: Problem[] = [];
  const events: RawEvent[] = [];
  try {
    const g = readEvtx(src, { file: rel, onProblem: (p) => problems.push(p) });
    for (;;) {
      const r = await g.next();
      if (r.done) return { events, summary: r.value, problems };
      events.push(...r.value);
    }
  } finally {
    src.close();
  }
}

const S = 'omerbenamram_evtx/samples/';

describe.skipIf(!HAVE_SAMPLES)('EVTX reader on damaged samples (PARSER-STRESS)', () => {
  if (!HAVE_SAMPLES) console.warn(`[skip] ${NO_SAMPLES_REASON}`);

  it('keeps the other chunks when two chunks have a zeroed (bad) magic, and reports each lost record of those chunks', async () => {
    // chunks 6 and 10 hold records under a zeroed 512-byte header. They are salvaged by signature
    // scan, but their surviving records (15 and 67) all instantiate the template defined at 0x226,
    // in the overwritten start of the chunk: each fails alone as BAD_TEMPLATE (evtxexport does not
    // recover them either: its -m recovered finds other records). A record in chunk 10 and three
    // elsewhere have a size copy of 0 (BAD_RECORD); their chunks' record CRCs fail. The scan resumes
    // after each bad record, so we read 298 records where evtxexport stops at 267 (python-evtx 270).
    // Chunk 7's slack past its free space holds 50 deleted records of the chunk's earlier use
    // (ids 45641-45690), carved as recovered: 348 in all, what `evtxexport -m all` gives.
    const { events, summary, problems } = await read(S + 'sample_with_a_bad_chunk_magic.evtx');
    expect(summary.records).toBe(348);
    expect(summary.recoveredRecords).toBe(50);
    expect(events.filter((e) => e.ref.recovered).map((e) => e.ref.chunk)).toEqual(Array(50).fill(7));
    expect(summary.failedRecords).toBe(86);
    expect(countByCode(problems)).toEqual({ BAD_MAGIC: 2, BAD_RECORD: 4, BAD_CHECKSUM: 3, BAD_TEMPLATE: 82 });
    expect(problems.filter((p) => p.code === 'BAD_MAGIC').map((p) => p.chunk)).toEqual([6, 10]);
    expect(new Set(problems.filter((p) => p.code === 'BAD_TEMPLATE').map((p) => p.chunk))).toEqual(new Set([6, 10]));
    expect(problems.every((p) => p.level === 'warning' && p.offset !== undefined)).toBe(true);
  });

  it('goes on past a zero-size record instead of dropping the rest of its chunk', async () => {
    // evtxexport and python-evtx stop chunk 0 at the zero-size record: 335 records; we read 449
    const { summary, problems } = await read(S + 'sample-with-zero-data-size-event.evtx');
    expect(summary.records).toBe(449);
    expect(summary.failedRecords).toBe(1);
    expect(countByCode(problems)).toEqual({ BAD_RECORD: 1, BAD_CHECKSUM: 1 });
  });

  it('reads every record of a file with a bad string cache, reporting its header CRC', async () => {
    // names are read at the offsets records give, so a damaged common-string table does not matter
    const { summary, problems } = await read(S + 'security_bad_string_cache.evtx');
    expect(summary.records).toBe(2261);
    expect(summary.failedRecords).toBe(0);
    expect(countByCode(problems)).toEqual({ BAD_CHECKSUM: 1 });
  });

  it('reads a file whose header flags say it carries no CRC32 without checksum warnings', async () => {
    const { summary, problems } = await read(S + 'Application_no_crc32.evtx');
    expect(summary.records).toBe(17);
    expect(problems).toEqual([]);
  });

  it('reads irregular bool values as true/false', async () => {
    const { events, summary, problems } = await read(S + 'sample-with-irregular-bool-values.evtx');
    expect(summary.records).toBe(3028);
    expect(problems).toEqual([]);
    const bools = events.flatMap((e) => Object.values(e.data)).filter((v) => v === 'true' || v === 'false');
    expect(bools.length).toBeGreaterThan(0);
  });

  it('reads issue_201.evtx, whose Value token (0x05) libevtx and python-evtx reject', async () => {
    const { events, summary } = await read(S + 'issue_201.evtx');
    expect(summary.records).toBe(1);
    expect(summary.failedRecords).toBe(0);
    expect(events[0].system.eventId).toBeTypeOf('number');
    expect(events[0].system.timeCreated).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}Z$/);
  });

  it('reads the mdecrevoisier files that use binary XML token 0x05', async () => {
    const cases: [string, number][] = [
      ['mdecrevoisier_EVTX-to-MITRE-Attack/Antivirus/ID1116-1117-Defender threat detected.evtx', 6],
      ['mdecrevoisier_EVTX-to-MITRE-Attack/TA0007-Discovery/T1046-Network Service Scanning/ID131-RDP brutforce (no user info).evtx', 154],
      ['mdecrevoisier_EVTX-to-MITRE-Attack/TA0003-Persistence/T1547-Boot or Logon Autostart Execution/ID4622-New SSP loaded in LSA (only legitim).evtx', 420],
    ];
    for (const [rel, n] of cases) {
      const { events, summary } = await read(rel);
      expect(summary.records, rel).toBe(n);
      expect(summary.failedRecords, rel).toBe(0);
      for (const e of events) {
        expect(e.system.eventId, rel).toBeTypeOf('number');
        expect(e.system.channel, rel).toBeTruthy();
      }
    }
  });

  it('reads all chunks of a file whose header under-counts them (dirty header)', async () => {
    const { summary, problems } = await read(S + 'sysmon.evtx');
    expect(summary.records).toBe(358);
    expect(countByCode(problems)).toEqual({ DIRTY_HEADER: 1 });
  });
});
