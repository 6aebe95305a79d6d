// Transaction-log replay on real and conformance evidence: yarp's NewDirtyHive1 / OldDirtyHive
// replayed equal what Windows 10 / Windows 7 made of them (RecoveredHive_Windows10 / _Windows7)
// key for key and value for value, and byte for byte in their hive bins; regipy's
// transactions_NTUSER.DAT gains what regipy's tests expect from its LOG1; the bad-base-block and
// bad-log hives give what yarp's test_cases.py says; a log of another hive and a stale log are
// refused; a dirty hive without logs says so; the evidence is never written.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { HAVE_SAMPLES, NO_SAMPLES_REASON, samplePath } from '../../samples';
import { type LogInput, applyLogs, openHiveWithLogs } from '../../../shared/regf/apply-logs';
import { type Hive, openHive } from '../../../shared/regf/hive';
import type { Problem } from '../../../shared/model/problems';

const Y = 'msuhanov_yarp/hives_for_tests/';
const R = 'mkorman90_regipy/';

const bytes = (rel: string) => new Uint8Array(readFileSync(samplePath(rel)));
const logsOf = (...rels: string[]): LogInput[] => rels.map((r) => ({ name: r, bytes: bytes(r) }));

function withLogs(hive: string, logs: LogInput[]): { hive: Hive; replay: ReturnType<typeof applyLogs>; problems: Problem[] } {
  const problems: Problem[] = [];
  const { opened, replay } = openHiveWithLogs(bytes(hive), logs, { file: hive, onProblem: (p) => problems.push(p) });
  if (!opened.ok) throw new Error(`${hive}: ${opened.problem.code}`);
  return { hive: opened.hive, replay, problems };
}

function plain(rel: string): Hive {
  const r = openHive(bytes(rel), { file: rel });
  if (!r.ok) throw new Error(`${rel}: ${r.problem.code}`);
  return r.hive;
}

/** Every key (path, last write, class, owner, counts) and value (name, type, data bytes), in walk order. */
function dump(h: Hive): string[] {
  const out: string[] = [];
  h.walk((k) => {
    out.push(`K ${k.path} ${k.lastWritten} ${h.className(k) ?? '-'} ${h.ownerSid(k) ?? '-'} ${k.node.subkeyCount}/${k.node.valueCount}`);
    for (const v of h.values(k)) out.push(`V ${k.path} :: ${v.name} ${v.typeName} ${Buffer.from(h.valueBytes(v)).toString('hex')}`);
  });
  return out;
}

const md5 = (b: Uint8Array) => createHash('md5').update(b).digest('hex');
const codes = (ps: readonly Problem[]) => ps.map((p) => p.code).sort();

describe.skipIf(!HAVE_SAMPLES)(`transaction-log replay (${HAVE_SAMPLES ? 'samples present' : NO_SAMPLES_REASON})`, () => {
  it('NewDirtyHive1: LOG1 then LOG2 (4 entries, sequence 2-5) give Windows 10\'s recovered hive key for key, value for value, bin for bin', () => {
    const d = `${Y}NewDirtyHive1/`;
    for (const order of [['LOG1', 'LOG2'], ['LOG2', 'LOG1']]) {
      const { hive, replay } = withLogs(`${d}NewDirtyHive`, logsOf(...order.map((e) => `${d}NewDirtyHive.${e}`)));
      expect(replay.problems).toEqual([]);
      expect(replay.applied.map((a) => [a.name.slice(-4), a.entries, a.firstSequence, a.lastSequence])).toEqual([['LOG1', 1, 2, 2], ['LOG2', 3, 3, 5]]);
      const win10 = plain(`${d}RecoveredHive_Windows10`);
      expect(dump(hive)).toEqual(dump(win10));
      expect(dump(hive).length).toBeGreaterThanOrEqual(6);
      expect(hive.baseBlock.hiveBinsDataSize).toBe(win10.baseBlock.hiveBinsDataSize);
      expect(md5(hive.bins.subarray(0, hive.baseBlock.hiveBinsDataSize))).toBe(md5(win10.bins.subarray(0, win10.baseBlock.hiveBinsDataSize)));
      // what yarp's test_dirty_new1 checks after the recovery
      expect(hive.key('Key1')).toBeUndefined();
      expect(hive.key('Key2\\Key2_1')).toBeUndefined();
      for (const p of ['Key3', 'Key3\\Key3_1', 'Key3\\Key3_2', 'key3\\key3_3']) expect(hive.key(p)).toBeDefined();
      const v = hive.values(hive.key('Key3') as NonNullable<ReturnType<Hive['key']>>)[0];
      expect(hive.valueBytes(v).length).toBe(1441 * 2);
      expect(hive.problems).toEqual([]);
    }
  });

  it('NewDirtyHive1 without its logs is the hive before the changes, with a DIRTY_HEADER warning', () => {
    const { hive, replay } = withLogs(`${Y}NewDirtyHive1/NewDirtyHive`, []);
    expect(replay.applied).toEqual([]);
    expect(codes(hive.problems)).toEqual(['DIRTY_HEADER']);
    expect(hive.key('Key1')).toBeDefined();
    expect(hive.key('Key3')).toBeUndefined();
  });

  it('NewDirtyHive2: LOG1 is older than the hive and refused, LOG2 applied up to sequence 5', () => {
    const d = `${Y}NewDirtyHive2/`;
    const { replay } = withLogs(`${d}NewDirtyHive`, logsOf(`${d}NewDirtyHive.LOG1`, `${d}NewDirtyHive.LOG2`));
    expect(replay.applied.map((a) => [a.name.slice(-4), a.lastSequence])).toEqual([['LOG2', 5]]);
    expect(replay.problems.map((p) => [p.code, p.file.slice(-4)])).toEqual([['LOG_REFUSED', 'LOG1']]);
  });

  it('OldDirtyHive: the DIRT log gives Windows 7\'s recovered hive key for key, value for value, bin for bin', () => {
    const d = `${Y}OldDirtyHive/`;
    const { hive, replay } = withLogs(`${d}OldDirtyHive`, logsOf(`${d}OldDirtyHive.LOG1`, `${d}OldDirtyHive.LOG2`));
    expect(replay.problems).toEqual([]);
    expect(replay.applied.map((a) => [a.name.slice(-4), a.format])).toEqual([['LOG1', 'old']]);
    const win7 = plain(`${d}RecoveredHive_Windows7`);
    const ours = dump(hive);
    expect(ours).toEqual(dump(win7));
    expect(ours.length).toBeGreaterThan(5000);
    // (not byte for byte: Windows 7 rewrote more than the log's pages when it loaded the hive)
    expect(hive.baseBlock.hiveBinsDataSize).toBe(win7.baseBlock.hiveBinsDataSize);
    // yarp's test_dirty_old
    expect(hive.key('key_with_many_subkeys\\1')).toBeUndefined();
    expect(hive.key('key_with_many_subkeys\\5000\\find_me_in_log')).toBeDefined();
    const k4500 = hive.key('key_with_many_subkeys\\4500');
    expect(k4500 && hive.value(k4500, 'V') && hive.valueData(hive.value(k4500, 'V') as NonNullable<ReturnType<Hive['value']>>)).toMatchObject({ kind: 'strings', items: ['a', 'bb', 'ccc'] });
  });

  it('transactions_NTUSER.DAT: LOG1 (23 entries) applied, the stale LOG2 refused; 527 keys differ and 60 values are new, as regipy counts them', () => {
    const { hive, replay } = withLogs(`${R}transactions_NTUSER.DAT`, logsOf(`${R}transactions_ntuser.dat.log1`, `${R}transactions_ntuser.dat.log2`));
    expect(replay.applied.map((a) => [a.name.slice(-4), a.entries, a.firstSequence, a.lastSequence])).toEqual([['log1', 23, 566, 588]]);
    expect(replay.problems.map((p) => [p.code, p.file.slice(-4)])).toEqual([['LOG_REFUSED', 'log2']]);
    expect(hive.problems).toEqual([]);
    const before = plain(`${R}transactions_NTUSER.DAT`);
    type Key = { ts: string; vals: Map<string, string[]> };
    const keys = (h: Hive) => {
      const m = new Map<string, Key>();
      h.walk((k) => {
        const vals = new Map<string, string[]>();
        for (const v of h.values(k)) {
          // regipy's compare: a value's items (a multi-string's each), empty ones left out
          const d = h.valueData(v);
          const b = h.valueBytes(v);
          const items = d.kind === 'string' ? [d.text] : d.kind === 'strings' ? d.items : d.kind === 'number' ? (d.value === 0 ? [] : [String(d.value)]) : d.kind === 'qword' ? (d.value === 0n ? [] : [String(d.value)]) : b.length === 0 ? [] : [Buffer.from(b).toString('hex')];
          vals.set(v.name, items.filter((x) => x !== ''));
        }
        m.set(k.path.toUpperCase(), { ts: k.lastWritten, vals });
      });
      return m;
    };
    const a = keys(before);
    const b = keys(hive);
    expect([a.size, b.size]).toEqual([2590, 3105]);
    const added = [...b.keys()].filter((k) => !a.has(k)).length;
    const removed = [...a.keys()].filter((k) => !b.has(k)).length;
    expect(added + removed).toBe(527);
    // regipy's compare_hives: for a key in both whose last write differs, the (name, item)
    // pairs of one whose name has no pair in the other (a value with no non-empty item has none)
    let newValues = 0;
    const pairs = (k: Key) => new Set([...k.vals].flatMap(([n, items]) => items.map((i) => `${n}\u0000${i}`)));
    const names = (ps: Set<string>) => new Set([...ps].map((t) => t.split('\u0000')[0]));
    for (const [path, x] of a) {
      const y = b.get(path);
      if (!y || y.ts === x.ts) continue;
      const [px, py] = [pairs(x), pairs(y)];
      const [nx, ny] = [names(px), names(py)];
      for (const t of px) if (!ny.has(t.split('\u0000')[0])) newValues++;
      for (const t of py) if (!nx.has(t.split('\u0000')[0])) newValues++;
    }
    expect(newValues).toBe(60);
    // the Run key was rewritten through the log: it says so
    const run = hive.key('Software\\Microsoft\\Windows\\CurrentVersion\\Run');
    expect(run && replay.origin?.cellFromLog(run.cell)).toBe(true);
  });

  it('BadBaseBlockHive: the bad base block is taken from the DIRT log (version 1.3), then key_with_many_subkeys is found', () => {
    const d = `${Y}BadBaseBlockHive/`;
    // yarp reads the bad base block's version as 1.1 and finds nothing; this reader says so
    const before = plain(`${d}BadBaseBlockHive`);
    expect(before.baseBlock.minorVersion).toBe(1);
    expect(codes(before.problems)).toContain('BAD_CHECKSUM');
    const { hive, replay } = withLogs(`${d}BadBaseBlockHive`, logsOf(`${d}BadBaseBlockHive.LOG1`, `${d}BadBaseBlockHive.LOG2`));
    expect(replay.baseBlockFromLog).toBe(true);
    expect(replay.applied.map((a) => [a.name.slice(-4), a.format])).toEqual([['LOG1', 'old']]);
    expect(codes(replay.problems)).toEqual(['BAD_CHECKSUM']);
    expect(hive.baseBlock.minorVersion).toBe(3);
    expect(hive.baseBlock.checksumOk).toBe(true);
    expect(hive.key('key_with_many_subkeys')).toBeDefined();
    expect(hive.problems).toEqual([]);
  });

  for (const [dir, why] of [['BadLogHive1', 'bad log base block checksum'], ['BadLogHive2', 'no DIRT vector'], ['BadLogHive3', 'both HvLE logs with bad base blocks']] as const) {
    it(`${dir}: yarp's auto-recovery fails (${why}): every log refused, the hive read as it is and called dirty`, () => {
      const d = `${Y}${dir}/`;
      const { hive, replay } = withLogs(`${d}BadLogHive`, logsOf(`${d}BadLogHive.LOG1`, `${d}BadLogHive.LOG2`));
      expect(replay.applied).toEqual([]);
      expect(replay.overlay).toBeUndefined();
      expect(replay.problems.length).toBeGreaterThanOrEqual(1);
      expect(new Set(replay.problems.map((p) => p.code))).toEqual(new Set(['LOG_REFUSED']));
      expect(codes(hive.problems)).toEqual(['DIRTY_HEADER']);
      expect(dump(hive)).toEqual(dump(plain(`${d}BadLogHive`)));
    });
  }

  it('refuses a log of another hive (SYSTEM_B\'s LOG1 beside transactions_NTUSER.DAT) with a warning, and applies nothing', () => {
    const { hive, replay } = withLogs(`${R}transactions_NTUSER.DAT`, logsOf(`${R}SYSTEM_B.LOG1`));
    expect(replay.applied).toEqual([]);
    expect(replay.problems.map((p) => [p.code, p.level, p.file])).toEqual([['LOG_REFUSED', 'warning', `${R}SYSTEM_B.LOG1`]]);
    expect(codes(hive.problems)).toEqual(['DIRTY_HEADER']);
    expect(dump(hive)).toEqual(dump(plain(`${R}transactions_NTUSER.DAT`)));
  });

  it('refuses a log of another hive with the same file name by its RmId / LogId GUIDs', () => {
    const log = bytes(`${R}SYSTEM_B.LOG1`);
    const primary = bytes(`${R}SYSTEM_B`);
    expect(applyLogs(primary, [{ name: 'own', bytes: log }], 'SYSTEM_B').applied.length).toBe(1);
    const other = log.slice();
    other[112] ^= 0xff; // another RmId (the base block checksum made right again)
    const dv = new DataView(other.buffer);
    let c = 0;
    for (let i = 0; i < 508; i += 4) c ^= dv.getUint32(i, true);
    dv.setUint32(508, c >>> 0, true);
    const r = applyLogs(primary, [{ name: 'other', bytes: other }], 'SYSTEM_B');
    expect(r.applied).toEqual([]);
    expect(codes(r.problems)).toEqual(['LOG_REFUSED']);
  });

  it('a dirty hive without logs beside it reads as it is, with the dirty warning (NTUSER_with_winscp.DAT)', () => {
    const { hive, replay } = withLogs(`${R}NTUSER_with_winscp.DAT`, []);
    expect(replay.dirtyNote).toBe('no transaction logs beside it');
    const dirty = hive.problems.filter((p) => p.code === 'DIRTY_HEADER');
    expect(dirty.map((p) => [p.level, p.offset])).toEqual([['warning', 4]]);
    expect(dirty[0].message).toMatch(/no transaction logs beside it: the last changes may be missing/);
  });

  it('leaves a clean hive\'s log alone (dfwinreg NTUSER.DAT + NTUSER.DAT.LOG): nothing applied, nothing said', () => {
    const { replay, hive } = withLogs('log2timeline_dfwinreg/NTUSER.DAT', logsOf('log2timeline_dfwinreg/NTUSER.DAT.LOG'));
    expect(replay.applied).toEqual([]);
    expect(replay.problems).toEqual([]);
    expect(hive.problems).toEqual([]);
  });

  it('SYSTEM_B: LOG1 (sequence 2107-2110) then LOG2 (2111-2130) applied, the hive unchanged on disk', () => {
    const primary = bytes(`${R}SYSTEM_B`);
    const before = md5(primary);
    const logs = logsOf(`${R}SYSTEM_B.LOG2`, `${R}SYSTEM_B.LOG1`);
    const logHashes = logs.map((l) => md5(l.bytes));
    const t0 = performance.now();
    const { opened, replay } = openHiveWithLogs(primary, logs, { file: 'SYSTEM_B' });
    const ms = performance.now() - t0;
    expect(opened.ok).toBe(true);
    expect(replay.applied.map((a) => [a.name.slice(-4), a.firstSequence, a.lastSequence])).toEqual([['LOG1', 2107, 2110], ['LOG2', 2111, 2130]]);
    expect(replay.problems).toEqual([]);
    expect(md5(primary)).toBe(before);
    expect(logs.map((l) => md5(l.bytes))).toEqual(logHashes);
    expect(ms).toBeLessThan(5000);
  });
});
