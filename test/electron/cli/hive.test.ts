// `runkey-hunter hive` through the real bin: one NDJSON line per key and value, --key lookups,
// hives recognised by content in a folder (logs and other evidence passed over), problems on
// stderr with their codes, exit 2 for a file given that is no hive while the others are read.
import { execFile } from 'node:child_process';
import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HAVE_SAMPLES, NO_SAMPLES_REASON, samplePath } from '../../samples';
import { BIN, runBinNdjson } from './run-bin';

const NTUSER = samplePath('mkorman90_regipy/NTUSER.DAT');

const run = (args: string[]) => runBinNdjson(['hive', ...args]);

describe.skipIf(!HAVE_SAMPLES)(`runkey-hunter hive (${HAVE_SAMPLES ? 'samples present' : NO_SAMPLES_REASON})`, () => {
  it('prints every key and value of a hive: 1,812 + 4,094 lines for regipy’s NTUSER.DAT', async () => {
    const r = await run([NTUSER]);
    expect(r.code).toBe(0);
    expect(r.lines.filter((l) => l.kind === 'key').length).toBe(1812);
    expect(r.lines.filter((l) => l.kind === 'value').length).toBe(4094);
    expect(r.lines[0]).toMatchObject({ kind: 'key', path: '', deleted: false, offset: 4128 });
    const binary = r.lines.find((l) => l.type === 'REG_BINARY' && (l.size as number) > 0);
    expect(typeof binary?.base64).toBe('string');
    expect(Buffer.from(binary?.base64 as string, 'base64').length).toBe(binary?.size);
    const dword = r.lines.find((l) => l.type === 'REG_DWORD');
    expect(typeof dword?.number).toBe('number');
    expect(r.stderr).toMatch(/1812 keys, 4094 values/);
  }, 60_000);

  it('looks up a key by path in any case: the Run key and its Sidebar value, with the last write to 100 ns', async () => {
    const r = await run([NTUSER, '--key', 'SOFTWARE\\microsoft\\Windows\\CurrentVersion\\RUN']);
    expect(r.code).toBe(0);
    expect(r.lines).toEqual([
      expect.objectContaining({ kind: 'key', path: 'Software\\Microsoft\\Windows\\CurrentVersion\\Run', lastWritten: '2012-04-03T21:19:54.8377168Z', values: 1 }),
      expect.objectContaining({ kind: 'value', name: 'Sidebar', type: 'REG_EXPAND_SZ', text: '%ProgramFiles%\\Windows Sidebar\\Sidebar.exe /autoRun' }),
    ]);
    expect(r.lines[1].base64).toBeUndefined();
  }, 60_000);

  it('says so on stderr when a --key is not in the hive', async () => {
    const r = await run([NTUSER, '--key', 'Software\\NoSuchKey']);
    expect(r.code).toBe(0);
    expect(r.lines).toEqual([]);
    expect(r.stderr).toMatch(/no key "Software\\\\NoSuchKey"/);
  }, 60_000);

  it('reads the hives of a folder by content, passing over its transaction logs and other files', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rkh-hive-'));
    copyFileSync(samplePath('log2timeline_dfwinreg/NTUSER.DAT'), join(dir, 'evidence.bin'));
    copyFileSync(samplePath('log2timeline_dfwinreg/NTUSER.DAT.LOG'), join(dir, 'NTUSER.DAT.LOG'));
    writeFileSync(join(dir, 'notes.txt'), 'not a hive');
    const r = await run([dir]);
    expect(r.code).toBe(0);
    expect(new Set(r.lines.map((l) => l.file))).toEqual(new Set([join(dir, 'evidence.bin')]));
    expect(r.lines.some((l) => l.kind === 'value' && l.name === 'Spotify')).toBe(true);
  }, 60_000);

  it('exits 2 for a file given that is no hive (BAD_MAGIC on stderr) and still reads the others', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rkh-hive-'));
    const bad = join(dir, 'SYSTEM');
    writeFileSync(bad, 'ElfFile\0 this is an event log, not a hive');
    const r = await run([bad, samplePath('msuhanov_yarp/hives_for_tests/BigDataHive')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/error: .*SYSTEM: offset 0x0: BAD_MAGIC/);
    expect(r.lines.filter((l) => l.kind === 'value').map((l) => (Buffer.from(l.base64 as string, 'base64')).length).sort()).toEqual([16345, 81725]);
  }, 60_000);

  it('prints a dirty hive as it is with a DIRTY_HEADER warning, and a damaged one with its problems and offsets', async () => {
    const r = await run(['--no-logs', samplePath('mkorman90_regipy/transactions_NTUSER.DAT'), samplePath('msuhanov_yarp/hives_for_tests/DuplicateSubkeysHive')]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/warning: .*transactions_NTUSER\.DAT: offset 0x4: DIRTY_HEADER/);
    expect(r.stderr).toMatch(/warning: .*DuplicateSubkeysHive: offset 0x[0-9a-f]+: BAD_CELL/);
  }, 60_000);

  it('quotes a --key with control characters on stderr (no raw CR), and keeps such names as they are in the NDJSON', async () => {
    const r = await run([samplePath('msuhanov_yarp/hives_for_tests/BogusKeyNamesHive'), '--key', 'testnew\r\nne\\missing']);
    expect(r.stderr).toContain('no key "testnew\\r\\nne\\\\missing"');
    expect(r.stderr).not.toMatch(/\r/);
    const all = await run([samplePath('msuhanov_yarp/hives_for_tests/BogusKeyNamesHive')]);
    expect(all.lines.map((l) => l.name)).toContain('testnew\r\nne');
  }, 60_000);

  it('keeps a lone surrogate in a key name through the NDJSON (TruncatedPairHive)', async () => {
    const r = await run([samplePath('msuhanov_yarp/hives_for_tests/TruncatedPairHive')]);
    expect(r.code).toBe(0);
    expect(r.lines.map((l) => l.name)).toContain('\ud801');
  }, 60_000);

  it('has events name a hive for what it is and send it here (UNKNOWN_FORMAT, exit 2)', async () => {
    const r = await new Promise<{ code: number; stderr: string }>((resolve) => {
      execFile(process.execPath, [BIN, 'events', samplePath('msuhanov_yarp/hives_for_tests/BigDataHive')], (err, _out, stderr) => {
        resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stderr });
      });
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/UNKNOWN_FORMAT: a registry hive \(regf\).*runkey-hunter hive/);
  }, 60_000);
});
