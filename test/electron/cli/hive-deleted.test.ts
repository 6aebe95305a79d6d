// `hive --deleted` run as users run it: deleted keys and values as NDJSON lines with deleted:
// true and their cell offset, a path when linked, unassociated otherwise; --key limits them.
import { describe, expect, it } from 'vitest';
import { HAVE_SAMPLES, NO_SAMPLES_REASON, samplePath } from '../../samples';
import { runBin } from './run-bin';

const Y = 'msuhanov_yarp/hives_for_tests/';
const lines = (s: string) => s.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Record<string, unknown>);

describe.skipIf(!HAVE_SAMPLES)(`hive --deleted (${HAVE_SAMPLES ? 'samples present' : NO_SAMPLES_REASON})`, () => {
  it('prints the deleted key and values of DeletedDataHive with offsets, paths and data', async () => {
    const r = await runBin(['hive', '--deleted', samplePath(Y + 'DeletedDataHive')]);
    expect(r.code).toBe(0);
    const del = lines(r.stdout).filter((l) => l.deleted === true);
    expect(del.map((l) => [l.kind, l.path, l.name, l.offset, l.text])).toEqual([
      ['key', '456', '456', 0x1230, undefined],
      ['value', '123', 'v2', 0x1188, '456'],
      ['value', '456', 'v', 0x12c8, '123456'],
    ]);
    expect(del.find((l) => l.name === 'v')).toMatchObject({ keyDeleted: true, dataState: 'free', source: 'free' });
    // the live lines are still there, unchanged
    expect(lines(r.stdout).filter((l) => l.deleted === false).map((l) => l.name)).toContain('123');
    expect(r.stderr).toMatch(/deleted: 1 keys, 2 values/);
  }, 60_000);

  it('marks records that reach no live key unassociated, with their partial path; without --deleted none are printed', async () => {
    const f = samplePath(Y + 'DeletedTreePartialPathHive');
    const r = await runBin(['hive', '--deleted', f]);
    const del = lines(r.stdout).filter((l) => l.deleted === true);
    expect(del.map((l) => l.partialPath).sort()).toEqual(['3', '3\\4', '3\\4\\5', '3\\4\\New Key #1']);
    expect(del.every((l) => l.unassociated === true && l.path === undefined)).toBe(true);
    const plain = await runBin(['hive', f]);
    expect(lines(plain.stdout).some((l) => l.deleted === true)).toBe(false);
  }, 60_000);

  it('--key keeps only the deleted records under that key', async () => {
    const r = await runBin(['hive', '--deleted', '--key', 'A1\\B1', samplePath(Y + 'SqliteHive')]);
    const del = lines(r.stdout).filter((l) => l.deleted === true);
    expect(del.map((l) => `${l.kind}:${l.path}:${l.name}`).sort()).toEqual([
      'key:A1\\B1:B1', 'key:A1\\B1\\C:C', 'key:A1\\B1\\C\\D:D',
      'value:A1\\B1:B1', 'value:A1\\B1\\C:C1', 'value:A1\\B1\\C:C2', 'value:A1\\B1\\C\\D:D',
    ]);
  }, 60_000);
});
