// `runkey-hunter hive` with transaction logs, through the real bin: the logs beside a hive are
// found by name in any case and applied in memory (keys and values they changed say fromLog),
// --no-logs reads the file as it is, a log of another hive is refused with a warning, a dirty
// hive with no logs beside it says so, and no evidence file changes.
import { createHash } from 'node:crypto';
import { copyFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HAVE_SAMPLES, NO_SAMPLES_REASON, samplePath } from '../../samples';
import { type NdjsonRun, runBinNdjson } from './run-bin';

const R = 'mkorman90_regipy/';
const RUN = 'Software\\Microsoft\\Windows\\CurrentVersion\\Run';

const run = (args: string[]) => runBinNdjson(['hive', ...args]);

/** regipy's dirty NTUSER with its logs, under names in other cases than the hive's. */
function caseFolder(logs: [string, string][] = [[`${R}transactions_ntuser.dat.log1`, 'NTUSER.DAT.LOG1'], [`${R}transactions_ntuser.dat.log2`, 'Ntuser.Dat.log2']]): { dir: string; hive: string } {
  const dir = mkdtempSync(join(tmpdir(), 'rkh-hive-logs-'));
  const hive = join(dir, 'ntuser.dat');
  copyFileSync(samplePath(`${R}transactions_NTUSER.DAT`), hive);
  for (const [from, to] of logs) copyFileSync(samplePath(from), join(dir, to));
  return { dir, hive };
}

const md5 = (p: string) => createHash('md5').update(readFileSync(p)).digest('hex');
const count = (r: NdjsonRun, kind: string) => r.lines.filter((l) => l.kind === kind).length;
const codes = (stderr: string) => [...stderr.matchAll(/: ([A-Z_]+): /g)].map((m) => m[1]).sort();

describe.skipIf(!HAVE_SAMPLES)(`runkey-hunter hive with transaction logs (${HAVE_SAMPLES ? 'samples present' : NO_SAMPLES_REASON})`, () => {
  it('applies the logs beside a hive found in any case: 3,105 keys and 4,695 values (2,590 / 4,119 without), the stale log refused', async () => {
    const { dir, hive } = caseFolder();
    const sums = ['ntuser.dat', 'NTUSER.DAT.LOG1', 'Ntuser.Dat.log2'].map((f) => md5(join(dir, f)));
    const r = await run([hive]);
    expect(r.code).toBe(0);
    expect([count(r, 'key'), count(r, 'value')]).toEqual([3105, 4695]);
    expect(codes(r.stderr)).toEqual(['LOG_REFUSED']);
    expect(r.stderr).toMatch(/Ntuser\.Dat\.log2: offset 0x0: LOG_REFUSED/);
    expect(r.stderr).toMatch(/transaction logs: NTUSER\.DAT\.LOG1 \(23 entries, sequence 566-588, 1032192 bytes\) applied/);
    const runKey = r.lines.find((l) => l.kind === 'key' && l.path === RUN);
    expect(runKey?.fromLog).toBe(true);
    const fromLog = r.lines.filter((l) => l.fromLog === true).length;
    expect(fromLog).toBeGreaterThan(527);
    expect(fromLog).toBeLessThan(r.lines.length / 2);
    expect(r.lines.filter((l) => l.fromLog !== undefined && l.fromLog !== true)).toEqual([]);
    expect(['ntuser.dat', 'NTUSER.DAT.LOG1', 'Ntuser.Dat.log2'].map((f) => md5(join(dir, f)))).toEqual(sums);
  }, 120_000);

  it('--no-logs reads the file as it is: 2,590 keys, the dirty warning, no fromLog', async () => {
    const { hive } = caseFolder();
    const r = await run(['--no-logs', hive]);
    expect(r.code).toBe(0);
    expect([count(r, 'key'), count(r, 'value')]).toEqual([2590, 4119]);
    expect(codes(r.stderr)).toEqual(['DIRTY_HEADER']);
    expect(r.stderr).toMatch(/transaction logs: not read \(--no-logs\)/);
    expect(r.lines.some((l) => 'fromLog' in l)).toBe(false);
  }, 120_000);

  it('reads a folder\'s hive with its logs, the logs themselves passed over as hives', async () => {
    const { dir } = caseFolder();
    const r = await run([dir]);
    expect(r.code).toBe(0);
    expect(new Set(r.lines.map((l) => l.file))).toEqual(new Set([join(dir, 'ntuser.dat')]));
    expect(count(r, 'key')).toBe(3105);
  }, 120_000);

  it('refuses a log of another hive (SYSTEM_B.LOG1 named ntuser.dat.LOG1) with a warning and reads the hive as it is', async () => {
    const { hive } = caseFolder([[`${R}SYSTEM_B.LOG1`, 'ntuser.dat.LOG1']]);
    const r = await run([hive]);
    expect(r.code).toBe(0);
    expect(count(r, 'key')).toBe(2590);
    expect(codes(r.stderr)).toEqual(['DIRTY_HEADER', 'LOG_REFUSED']);
    expect(r.stderr).toMatch(/LOG_REFUSED: [^\n]*another hive/);
    expect(r.stderr).toMatch(/transaction logs: none applied/);
  }, 120_000);

  it('says a dirty hive with no logs beside it may miss its last changes (NTUSER_with_winscp.DAT)', async () => {
    const r = await run([samplePath(`${R}NTUSER_with_winscp.DAT`), '--key', RUN]);
    expect(r.code).toBe(0);
    expect(codes(r.stderr)).toEqual(['DIRTY_HEADER']);
    expect(r.stderr).toMatch(/dirty hive \(sequence numbers \d+ \/ \d+\), no transaction logs beside it: the last changes may be missing/);
  }, 120_000);
});
