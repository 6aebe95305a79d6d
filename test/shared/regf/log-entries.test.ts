// Logs with one thing wrong, made by test code from real hives: where replay stops (a sequence
// gap, a bad hash, a size past the file or past the limit), the hive growing to an entry's
// hive-bins size, DIRT pages found after a bitmap longer than 508 bytes (not at 1024), stale
// and foreign logs refused, keys and values the logs changed marked, the evidence unwritten.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { HAVE_SAMPLES, NO_SAMPLES_REASON, samplePath } from '../../samples';
import { applyLogs, openHiveWithLogs, type LogInput } from '../../../shared/regf/apply-logs';
import { parseBaseBlock } from '../../../shared/regf/base-block';
import { type Hive, openHive } from '../../../shared/regf/hive';
import { dirtDataStart } from '../../../shared/regf/log-dirt';
import { concat, dirtLog, hvleEntry, logBaseBlock, rehash, withSequences } from './log-generated';

const NTUSER = 'mkorman90_regipy/NTUSER.DAT';
const RUN = 'Software\\Microsoft\\Windows\\CurrentVersion\\Run';
const load = (rel: string) => new Uint8Array(readFileSync(samplePath(rel)));

function open(primary: Uint8Array, logs: LogInput[]) {
  const r = openHiveWithLogs(primary, logs, { file: 'hive' });
  if (!r.opened.ok) throw new Error(r.opened.problem.code);
  return { hive: r.opened.hive, replay: r.replay };
}

/** The 4 KiB page of NTUSER.DAT's hive bins holding the Sidebar value's name, with its S turned into an X. */
function sidebarPage(hive: Hive): { offset: number; bytes: Uint8Array } {
  const v = hive.value(hive.key(RUN) as NonNullable<ReturnType<Hive['key']>>, 'Sidebar');
  if (!v) throw new Error('no Sidebar');
  const nameAt = v.cell + 4 + 20; // cell size, then the vk's fixed 20 bytes
  expect(String.fromCharCode(hive.bins[nameAt])).toBe('S');
  const offset = nameAt & ~4095;
  const bytes = hive.bins.slice(offset, offset + 4096);
  bytes[nameAt - offset] = 0x58;
  return { offset, bytes };
}

/** A fresh hive bin of 4 KiB at `offset`: header, one free cell. */
function emptyBin(offset: number): Uint8Array {
  const b = new Uint8Array(4096);
  const dv = new DataView(b.buffer);
  b.set([0x68, 0x62, 0x69, 0x6e]);
  dv.setUint32(4, offset, true);
  dv.setUint32(8, 4096, true);
  dv.setInt32(32, 4064, true);
  return b;
}

describe.skipIf(!HAVE_SAMPLES)(`generated transaction logs on real hives (${HAVE_SAMPLES ? 'samples present' : NO_SAMPLES_REASON})`, () => {
  const clean = HAVE_SAMPLES ? load(NTUSER) : new Uint8Array(0);
  const bb = HAVE_SAMPLES ? parseBaseBlock(clean) : undefined;
  const seq = bb?.secondarySequence ?? 0;
  const bins = bb?.hiveBinsDataSize ?? 0;
  // NTUSER.DAT made dirty: the primary sequence number one ahead, as Windows leaves it mid-write
  const dirty = HAVE_SAMPLES ? withSequences(clean, seq + 1, seq) : clean;
  const plain = () => {
    const r = openHive(dirty, { file: 'hive' });
    if (!r.ok) throw new Error('open');
    return r.hive;
  };

  it('applies an entry that renames Sidebar and grows the hive by a bin; marks that value fromLog, not its key\'s siblings; the file untouched', () => {
    const page = sidebarPage(plain());
    const log = concat(logBaseBlock(dirty, 6, seq + 1), hvleEntry(seq + 1, bins + 4096, [page, { offset: bins, bytes: emptyBin(bins) }], 1));
    const copy = dirty.slice();
    const { hive, replay } = open(dirty, [{ name: 'x.LOG1', bytes: log }]);
    expect(replay.problems).toEqual([]);
    expect(replay.applied).toEqual([{ name: 'x.LOG1', format: 'new', entries: 1, firstSequence: seq + 1, lastSequence: seq + 1, pageBytes: 8192 }]);
    expect(hive.problems).toEqual([]);
    expect(hive.baseBlock.hiveBinsDataSize).toBe(bins + 4096);
    expect(hive.baseBlock.primarySequence).toBe(seq + 1);
    expect(hive.baseBlock.flags & 1).toBe(1);
    expect(hive.map.bins.length).toBe(plain().map.bins.length + 1);
    const run = hive.key(RUN) as NonNullable<ReturnType<Hive['key']>>;
    const v = hive.value(run, 'Xidebar');
    expect(v).toBeDefined();
    expect(replay.origin?.cellFromLog((v as NonNullable<typeof v>).cell)).toBe(true);
    expect(replay.origin?.cellFromLog(hive.root()?.cell ?? -1)).toBe(false);
    // the letter, and the new bin where it differs from what the file holds past its last bin
    const grown = emptyBin(bins);
    const past = plain().bins;
    let differ = 0;
    for (let i = 0; i < 4096; i++) if (bins + i >= past.length || past[bins + i] !== grown[i]) differ++;
    expect(differ).toBeGreaterThan(0);
    expect(replay.origin?.changedBytes).toBe(1 + differ);
    expect(dirty).toEqual(copy);
  });

  it('stops at a sequence gap: entry N applied, N+2 not, BAD_RECORD at its offset', () => {
    const page = sidebarPage(plain());
    const first = hvleEntry(seq + 1, bins, [{ offset: 0, bytes: plain().bins.slice(0, 512) }]);
    const log = concat(logBaseBlock(dirty, 6, seq + 1), first, hvleEntry(seq + 3, bins, [page]));
    const { hive, replay } = open(dirty, [{ name: 'gap.LOG1', bytes: log }]);
    expect(replay.applied.map((a) => [a.entries, a.lastSequence])).toEqual([[1, seq + 1]]);
    expect(replay.problems.map((p) => [p.code, p.offset])).toEqual([['BAD_RECORD', 512 + first.length]]);
    expect(hive.value(hive.key(RUN) as NonNullable<ReturnType<Hive['key']>>, 'Sidebar')).toBeDefined();
  });

  it('stops at an entry whose Hash-1 is wrong (one page byte changed after hashing): BAD_CHECKSUM, the entries before applied', () => {
    const page = sidebarPage(plain());
    const first = hvleEntry(seq + 1, bins, [{ offset: 0, bytes: plain().bins.slice(0, 512) }]);
    const second = hvleEntry(seq + 2, bins, [page]);
    second[second.length - 1] ^= 1;
    const { hive, replay } = open(dirty, [{ name: 'h.LOG1', bytes: concat(logBaseBlock(dirty, 6, seq + 1), first, second) }]);
    expect(replay.applied.map((a) => a.entries)).toEqual([1]);
    expect(replay.problems.map((p) => [p.code, p.offset])).toEqual([['BAD_CHECKSUM', 512 + first.length]]);
    expect(hive.value(hive.key(RUN) as NonNullable<ReturnType<Hive['key']>>, 'Xidebar')).toBeUndefined();
  });

  it('refuses to grow the hive past what the log could fill (hive bins size 0xFFFFF000, hashes right): nothing allocated', () => {
    const e = hvleEntry(seq + 1, 0xfffff000, [{ offset: 0, bytes: plain().bins.slice(0, 512) }]);
    const before = process.memoryUsage().arrayBuffers;
    const r = applyLogs(dirty, [{ name: 'huge.LOG1', bytes: concat(logBaseBlock(dirty, 6, seq + 1), e) }], 'hive');
    expect(r.applied).toEqual([]);
    expect(r.overlay).toBeUndefined();
    expect(r.problems.map((p) => p.code)).toEqual(['LOG_REFUSED']);
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(64 * 1024 * 1024);
  });

  it('stops at an entry whose size runs past the end of the log (TRUNCATED)', () => {
    const e = hvleEntry(seq + 1, bins, [{ offset: 0, bytes: plain().bins.slice(0, 512) }]);
    const cut = concat(logBaseBlock(dirty, 6, seq + 1), e).subarray(0, 512 + e.length - 512);
    const r = applyLogs(dirty, [{ name: 'cut.LOG1', bytes: cut }], 'hive');
    expect(r.applied).toEqual([]);
    expect(r.problems.map((p) => p.code)).toEqual(['LOG_REFUSED']);
  });

  it('refuses a stale log (its sequence number under the hive\'s) and a log naming another hive file', () => {
    const page = sidebarPage(plain());
    const stale = concat(logBaseBlock(dirty, 6, seq - 5), hvleEntry(seq - 5, bins, [page]));
    const r1 = applyLogs(dirty, [{ name: 'stale.LOG1', bytes: stale }], 'hive');
    expect(r1.applied).toEqual([]);
    expect(r1.problems.map((p) => [p.code, p.file])).toEqual([['LOG_REFUSED', 'stale.LOG1']]);
    expect(r1.dirtyNote).toBe('none of its transaction logs applies');
    const other = logBaseBlock(dirty, 6, seq + 1);
    const name = 'OTHER.DAT';
    for (let i = 0; i < 32; i++) { other[48 + i * 2] = i < name.length ? name.charCodeAt(i) : 0; other[49 + i * 2] = 0; }
    const fixed = withSequences(concat(other, new Uint8Array(0)), seq + 1, seq + 1).subarray(0, 512);
    const r2 = applyLogs(dirty, [{ name: 'other.LOG1', bytes: concat(fixed, hvleEntry(seq + 1, bins, [page])) }], 'hive');
    expect(r2.applied).toEqual([]);
    expect(r2.problems.map((p) => p.code)).toEqual(['LOG_REFUSED']);
    expect(r2.problems[0].message).toMatch(/another hive/);
  });

  it('applies the second log only when it continues the first (LOG2 at N+1), and in sequence order whatever the order given', () => {
    const page = sidebarPage(plain());
    const log1 = concat(logBaseBlock(dirty, 6, seq + 1), hvleEntry(seq + 1, bins, [{ offset: 0, bytes: plain().bins.slice(0, 512) }]));
    const log2 = concat(logBaseBlock(dirty, 6, seq + 2), hvleEntry(seq + 2, bins, [page]));
    const { hive, replay } = open(dirty, [{ name: 'b.LOG2', bytes: log2 }, { name: 'a.LOG1', bytes: log1 }]);
    expect(replay.applied.map((a) => a.name)).toEqual(['a.LOG1', 'b.LOG2']);
    expect(hive.value(hive.key(RUN) as NonNullable<ReturnType<Hive['key']>>, 'Xidebar')).toBeDefined();
    const log3 = concat(logBaseBlock(dirty, 6, seq + 4), hvleEntry(seq + 4, bins, [page]));
    const r = applyLogs(dirty, [{ name: 'a.LOG1', bytes: log1 }, { name: 'c.LOG2', bytes: log3 }], 'hive');
    expect(r.applied.map((a) => a.name)).toEqual(['a.LOG1']);
    expect(r.problems.map((p) => [p.code, p.file])).toEqual([['LOG_REFUSED', 'c.LOG2']]);
  });

  it('takes the base block from the log when the primary\'s checksum is bad, and says so (BAD_CHECKSUM)', () => {
    const page = sidebarPage(plain());
    const broken = dirty.slice();
    broken[508] ^= 0xff;
    const { hive, replay } = open(broken, [{ name: 'x.LOG1', bytes: concat(logBaseBlock(dirty, 6, seq + 1), hvleEntry(seq + 1, bins, [page])) }]);
    expect(replay.baseBlockFromLog).toBe(true);
    expect(replay.problems.map((p) => [p.code, p.offset])).toEqual([['BAD_CHECKSUM', 508]]);
    expect(hive.baseBlock.checksumOk).toBe(true);
    expect(hive.problems).toEqual([]);
    expect(hive.value(hive.key(RUN) as NonNullable<ReturnType<Hive['key']>>, 'Xidebar')).toBeDefined();
  });

  it('reads DIRT pages after a bitmap longer than 508 bytes (SYSTEM_B, 12 MB: data at 3,584, not 1,024)', () => {
    const sys = load('mkorman90_regipy/SYSTEM_B');
    const sbb = parseBaseBlock(sys);
    expect(dirtDataStart(sbb.hiveBinsDataSize)).toBe(3584);
    const before = openHive(sys, { file: 'SYSTEM_B' });
    if (!before.ok) throw new Error('open');
    const select = before.hive.key('Select') as NonNullable<ReturnType<Hive['key']>>;
    // the key's last-write time (nk + 4 .. + 12, after the cell size) set to 2020-01-01 in its 512-byte page
    const at = select.cell + 4 + 4;
    const off = at & ~511;
    const bytes = before.hive.bins.slice(off, off + 512);
    const ft = 132223104000000000n;
    new DataView(bytes.buffer).setBigUint64(at - off, ft, true);
    const log = dirtLog(sys, sbb.primarySequence, sbb.hiveBinsDataSize, [{ offset: off, bytes }]);
    const { hive, replay } = open(sys, [{ name: 'SYSTEM_B.LOG', bytes: log }]);
    expect(replay.problems).toEqual([]);
    expect(replay.applied.map((a) => [a.format, a.pageBytes])).toEqual([['old', 512]]);
    expect(hive.key('Select')?.lastWritten).toBe('2020-01-01T00:00:00.0000000Z');
    expect(replay.origin?.cellFromLog(select.cell)).toBe(true);
  });

  it('refuses a DIRT log whose dirty pages run past its end, and one older than the hive (last written earlier)', () => {
    const page = sidebarPage(plain());
    const log = dirtLog(dirty, seq + 1, bins, [page]);
    const r1 = applyLogs(dirty, [{ name: 'cut.LOG', bytes: log.subarray(0, log.length - 4096) }], 'hive');
    expect(r1.applied).toEqual([]);
    expect(r1.problems.map((p) => p.code)).toEqual(['LOG_REFUSED']);
    const old = log.slice();
    const dv = new DataView(old.buffer);
    dv.setUint32(16, dv.getUint32(16, true) - 1, true); // last written ~7 minutes earlier
    dv.setUint32(508, 0, true);
    let c = 0;
    for (let i = 0; i < 508; i += 4) c ^= dv.getUint32(i, true);
    dv.setUint32(508, c === 0 ? 1 : c >>> 0, true);
    const r2 = applyLogs(dirty, [{ name: 'old.LOG', bytes: old }], 'hive');
    expect(r2.applied).toEqual([]);
    expect(r2.problems[0].message).toMatch(/older than the hive/);
  });

  it('leaves a clean hive as it is, whatever its logs hold', () => {
    const page = sidebarPage(plain());
    const r = applyLogs(clean, [{ name: 'x.LOG1', bytes: concat(logBaseBlock(clean, 6, seq + 1), hvleEntry(seq + 1, bins, [page])) }], 'hive');
    expect(r.applied).toEqual([]);
    expect(r.overlay).toBeUndefined();
    expect(r.problems).toEqual([]);
  });

  it('rehash keeps a deliberately changed entry valid (the generator itself)', () => {
    const e = hvleEntry(7, 4096, [{ offset: 0, bytes: new Uint8Array(512) }]);
    e[40 + 8 + 3] = 1;
    rehash(e, 0);
    const log = concat(logBaseBlock(dirty, 6, 7), e);
    expect(log.length).toBe(512 + 1024);
  });
});
