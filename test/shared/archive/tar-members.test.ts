// Which tar members are read: every regular member, a name that comes twice included (tar -r
// appends newer versions; each is bytes of its own, so both are evidence), and a GNU sparse member
// is named in a warning rather than passed over in silence. Tars are written here by makeTar.

import { describe, expect, it } from 'vitest';
import { makeTar, readBytes, utf8 } from '../readers/read-helpers';

const RUN = 'HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run\\X';
const lines = (from: number, n: number) =>
  utf8(Array.from({ length: n }, (_, i) => JSON.stringify({ EventID: 13, Channel: 'Microsoft-Windows-Sysmon/Operational', Hostname: 'H', RecordNumber: from + i, TargetObject: RUN })).join('\n') + '\n');

/** Sets the type flag of the tar header at `at` and fixes its checksum. */
function setType(tar: Uint8Array, at: number, type: string): Uint8Array {
  const out = new Uint8Array(tar);
  out[at + 156] = type.charCodeAt(0);
  out.fill(0x20, at + 148, at + 156);
  let sum = 0;
  for (let i = 0; i < 512; i++) sum += out[at + i];
  out.set(utf8(sum.toString(8).padStart(6, '0') + '\0 '), at + 148);
  return out;
}

describe('tar members', () => {
  it('keeps both versions of a member appended twice (as tar -r does)', async () => {
    const r = await readBytes(makeTar([['logs/a.json', lines(1, 3)], ['logs/a.json', lines(4, 2)]]), 'twice.tar');
    expect(r.problems).toEqual([]);
    expect(r.events.map((e) => [e.ref.member, e.ref.recordId])).toEqual([
      ['logs/a.json', 1],
      ['logs/a.json', 2],
      ['logs/a.json', 3],
      ['logs/a.json', 4],
      ['logs/a.json', 5],
    ]);
  });

  it('names a GNU sparse member in a warning and reads the members after it', async () => {
    const tar = setType(makeTar([['disk.raw', lines(1, 4)], ['b.json', lines(10, 2)]]), 0, 'S');
    const r = await readBytes(tar, 'sparse.tar');
    expect(r.problems.map((p) => [p.code, p.level, p.member, p.offset])).toEqual([['BAD_ARCHIVE', 'warning', 'disk.raw', 0]]);
    expect(r.events.map((e) => e.ref.recordId)).toEqual([10, 11]);
  });
});
