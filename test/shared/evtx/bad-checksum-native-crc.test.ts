// Speed may not cost the damage reports: with Node's zlib.crc32 installed (as the CLI and the
// workers run), a chunk whose records checksum or header checksum is wrong, a file header with a
// wrong CRC and a gzip member with a wrong CRC trailer are reported BAD_CHECKSUM exactly as with
// the pure table (same problems, same records). The evidence is generated (seed below).
import { afterEach, describe, expect, it } from 'vitest';
import { crc32 as zlibCrc32 } from 'node:zlib';
import { gzipSync } from 'fflate';
import { installCrc32 } from '../../../shared/bytes/crc32';
import { generateToMemory } from '../../../shared/generator/generate';
import { readEvidence } from '../../../shared/readers/read-evidence';
import { bytesSource } from '../../../shared/readers/types';
import type { Problem } from '../../../shared/model/problems';

const SEED = 1717;
const { files } = generateToMemory({ scenario: 'mixed', seed: SEED, hosts: 1, events: 800, format: 'evtx' });
const sysmon = [...files].find(([n]) => n.endsWith('-Sysmon.evtx'))?.[1] as Uint8Array;
const CHUNK1 = 4096 + 65536;

afterEach(() => {
  installCrc32(undefined);
});

async function read(bytes: Uint8Array, file: string): Promise<{ records: number; problems: Problem[] }> {
  const problems: Problem[] = [];
  const g = readEvidence(bytesSource(bytes), { file, onProblem: (p) => problems.push(p) });
  let records = 0;
  for (;;) {
    const r = await g.next();
    if (r.done) return { records, problems };
    records += r.value.length;
  }
}

/** The same read with the table and with zlib.crc32 installed. */
async function readBoth(bytes: Uint8Array, file: string) {
  installCrc32(undefined);
  const pure = await read(bytes, file);
  expect(installCrc32(zlibCrc32)).toBe(true);
  const native = await read(bytes, file);
  return { pure, native };
}

function damaged(at: number): Uint8Array {
  const b = new Uint8Array(sysmon);
  b[at] ^= 0x5a;
  return b;
}

describe('BAD_CHECKSUM with the native CRC-32 installed', () => {
  it('reads the clean generated log with no checksum problem either way', async () => {
    expect((sysmon.length - 4096) / 65536).toBeGreaterThan(1);
    const { pure, native } = await readBoth(sysmon, 'clean.evtx');
    expect(native.problems).toEqual([]);
    expect(native).toEqual(pure);
    expect(native.records).toBeGreaterThan(100);
  });

  it.each([
    ['the records checksum stored in chunk 1', CHUNK1 + 52],
    ['the header checksum stored in chunk 1', CHUNK1 + 124],
    ['a byte of chunk 1 header checked by its second range (128-512)', CHUNK1 + 300],
    ['the file header checksum', 124],
  ])('reports BAD_CHECKSUM for a wrong %s, as the table does', async (_what, at) => {
    const { pure, native } = await readBoth(damaged(at), 'damaged.evtx');
    expect(native.problems.map((p) => p.code)).toContain('BAD_CHECKSUM');
    expect(native).toEqual(pure);
  });

  it('reports BAD_CHECKSUM for a gzip member whose CRC trailer is wrong, as the table does', async () => {
    const gz = gzipSync(sysmon);
    gz[gz.length - 8] ^= 0xff;
    const { pure, native } = await readBoth(gz, 'damaged.evtx.gz');
    expect(native.problems.map((p) => p.code)).toEqual(['BAD_CHECKSUM']);
    expect(native).toEqual(pure);
  });
});
