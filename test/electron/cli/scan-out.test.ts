// `scan --out` never writes evidence, whatever name reaches it: a symlink or a hard link to an
// evidence file, or a new file in an evidence folder, is refused (exit 2, both paths named) and the
// evidence stays byte-identical. A report is written through a temp file renamed into place, so a
// write that fails leaves neither a partial report nor the temp, and the previous report intact.
import { createHash } from 'node:crypto';
import { existsSync, linkSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runScanCaptured } from './run-scan';
import { runBin } from './run-bin';
import { writeGeneratedCase } from './generated-case';

const sha = (p: string) => createHash('sha256').update(readFileSync(p)).digest('hex');

describe('scan --out and the evidence', () => {
  let evidence: { dir: string; files: string[] };
  let sysmon: string;
  let before: string;
  beforeAll(() => {
    evidence = writeGeneratedCase('out-guard');
    sysmon = evidence.files.find((f) => f.endsWith('-Sysmon.evtx')) ?? '';
    before = sha(sysmon);
  });
  const outDir = () => mkdtempSync(join(tmpdir(), 'rkh-out-'));

  it('refuses a symlink to an evidence file as --out and leaves the evidence byte-identical', async () => {
    const link = join(outDir(), 'report.json');
    symlinkSync(sysmon, link);
    const r = await runScanCaptured([sysmon], { out: link });
    expect(r.code).toBe(2);
    expect(r.err).toContain(link);
    expect(r.err).toContain(sysmon);
    expect(sha(sysmon)).toBe(before);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
  });

  it('refuses a symlink to a file found inside an evidence folder given', async () => {
    const link = join(outDir(), 'report.json');
    symlinkSync(sysmon, link);
    const r = await runScanCaptured([evidence.dir], { out: link });
    expect(r.code).toBe(2);
    expect(r.err).toContain(link);
    expect(sha(sysmon)).toBe(before);
  });

  it('refuses a hard link to an evidence file as --out and leaves the evidence byte-identical', async () => {
    const link = join(outDir(), 'report.json');
    linkSync(sysmon, link);
    const r = await runScanCaptured([sysmon], { out: link });
    expect(r.code).toBe(2);
    expect(r.err).toContain(link);
    expect(r.err).toContain(sysmon);
    expect(sha(sysmon)).toBe(before);
  });

  it('refuses an --out inside an evidence folder, also reached through a symlinked folder, and creates nothing there', async () => {
    const sub = join(evidence.dir, 'sub');
    mkdirSync(sub, { recursive: true });
    const direct = join(sub, 'report.json');
    const r = await runScanCaptured([evidence.dir], { out: direct });
    expect(r.code).toBe(2);
    expect(r.err).toContain(direct);
    expect(r.err).toContain(evidence.dir);
    const via = join(outDir(), 'into-evidence');
    symlinkSync(sub, via);
    const r2 = await runScanCaptured([evidence.dir], { out: join(via, 'report.json') });
    expect(r2.code).toBe(2);
    expect(readdirSync(sub)).toEqual([]);
    expect(readdirSync(evidence.dir).sort()).toEqual([...evidence.files.map((f) => f.slice(evidence.dir.length + 1)), 'sub'].sort());
  });

  it('writes the report beside an evidence file given alone, replacing an older report, and leaves no temp file', async () => {
    const dir = outDir();
    const out = join(dir, 'report.json');
    writeFileSync(out, 'an older report');
    const r = await runScanCaptured([sysmon], { out });
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    expect((JSON.parse(readFileSync(out, 'utf8')) as { findings: unknown[] }).findings.length).toBeGreaterThan(0);
    expect(readdirSync(dir)).toEqual(['report.json']);
    expect(sha(sysmon)).toBe(before);
  });

  it('leaves no partial report and no temp file when the write fails, and the previous report intact', async () => {
    const dir = outDir();
    const out = join(dir, 'report.json');
    writeFileSync(out, 'the previous report');
    // the JSON report of this case is far larger than 16 KiB: the write fails with EFBIG part-way
    const r = await runBin(['scan', evidence.dir, '--out', out], { fileSizeBlocks: 16 });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('EFBIG');
    expect(readFileSync(out, 'utf8')).toBe('the previous report');
    expect(readdirSync(dir)).toEqual(['report.json']);
    // and with no previous report: nothing at all
    const fresh = join(outDir(), 'report.json');
    const r2 = await runBin(['scan', evidence.dir, '--out', fresh], { fileSizeBlocks: 16 });
    expect(r2.code).toBe(2);
    expect(existsSync(fresh)).toBe(false);
    expect(readdirSync(join(fresh, '..'))).toEqual([]);
  }, 60_000);
});
