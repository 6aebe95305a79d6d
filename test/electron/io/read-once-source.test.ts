// The read-once source: the SHA-256 it reports is the file's, whatever order the readers read in,
// and a sequential read costs exactly the file's size from disk (the hash reads nothing again).
// Evidence is generated here (the project's generator, scenario living-off-the-land, seed 1) and
// packed with fflate; the real hive comes from ../shared/samples when present.
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { openReadOnceSource } from '../../../electron/io/read-once-source';
import { readEvidenceFile } from '../../../electron/io/read-evidence-file';
import { readEvidence } from '../../../shared/readers/read-evidence';
import { generateToMemory } from '../../../shared/generator/generate';
import { HAVE_SAMPLES, NO_SAMPLES_REASON, samplePath } from '../../samples';
import type { Problem } from '../../../shared/model/problems';

const SEED = 1;
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const dir = mkdtempSync(join(tmpdir(), 'rkh-read-once-'));

function generated(format: 'evtx' | 'xml' | 'ndjson' | 'csv', events = 3000): { name: string; bytes: Uint8Array } {
  const { files } = generateToMemory({ scenario: 'living-off-the-land', seed: SEED, format, events });
  const [name, bytes] = [...files].filter(([n]) => !n.endsWith('.json') || format === 'ndjson').sort((a, b) => b[1].length - a[1].length)[0];
  return { name, bytes };
}

function write(name: string, bytes: Uint8Array): string {
  const p = join(dir, name);
  writeFileSync(p, bytes);
  return p;
}

/** Reads a file through readEvidenceFile as the CLI scan does and returns the hash it reported. */
async function hashWhileReading(path: string): Promise<{ sha256: string | undefined; records: number; problems: Problem[] }> {
  const problems: Problem[] = [];
  let sha256: string | undefined;
  let records = 0;
  for await (const b of readEvidenceFile(path, { onProblem: (p) => problems.push(p), onSha256: (h) => (sha256 = h) })) records += b.length;
  return { sha256, records, problems };
}

const evtx = generated('evtx');
const inputs: [string, Uint8Array][] = [
  ['EVTX', evtx.bytes],
  ['XML', generated('xml').bytes],
  ['JSON', generated('ndjson').bytes],
  ['CSV', generated('csv').bytes],
  ['zip', zipSync({ 'logs/Sysmon.evtx': evtx.bytes, 'logs/export.xml': generated('xml', 500).bytes })],
  ['gzip', gzipSync(generated('ndjson').bytes)],
  // a hive is named and skipped by scan (UNKNOWN_FORMAT after the sniff): the rest is hashed unread
  ['regf-headed', (() => {
    const b = new Uint8Array(3 * 1024 * 1024 + 123);
    b.set([0x72, 0x65, 0x67, 0x66]);
    for (let i = 4; i < b.length; i++) b[i] = (i * 2654435761) >>> 24;
    return b;
  })()],
];

describe('read-once source: the hash reported is the file\'s', () => {
  for (const [kind, bytes] of inputs) {
    it(`hashes a ${kind} file while reading it to the same SHA-256 as the file (${bytes.length} bytes)`, async () => {
      const p = write(`input-${kind}`, bytes);
      const r = await hashWhileReading(p);
      expect(r.sha256).toBe(sha(bytes));
      if (kind !== 'regf-headed') expect(r.records).toBeGreaterThan(0);
    });
  }

  it.skipIf(!HAVE_SAMPLES)(`hashes a real registry hive to its SHA-256 (${HAVE_SAMPLES ? 'regipy UsrClass.dat' : NO_SAMPLES_REASON})`, async () => {
    const p = samplePath('mkorman90_regipy/UsrClass.dat');
    const r = await hashWhileReading(p);
    expect(r.sha256).toBe(sha(readFileSync(p)));
    expect(r.problems.map((x) => x.code)).toContain('UNKNOWN_FORMAT');
  });

  it('reads a sequential EVTX read from disk exactly once: bytes read equal the file size, hash included', async () => {
    const big = generated('evtx', 20000).bytes;
    const p = write('sequential.evtx', big);
    const src = await openReadOnceSource(p);
    try {
      let records = 0;
      for await (const b of readEvidence(src, { file: p, onProblem: () => undefined })) records += b.length;
      expect(records).toBeGreaterThan(4000);
      expect(big.length).toBeGreaterThan(4 * 1024 * 1024);
      expect(await src.sha256()).toBe(sha(big));
      expect(src.diskBytes).toBe(big.length);
    } finally {
      await src.close();
    }
  });

  it('reads a zip (central directory first) from disk once as well', async () => {
    const zip = inputs.find(([k]) => k === 'zip')?.[1] ?? new Uint8Array(0);
    const p = write('once.zip', zip);
    const src = await openReadOnceSource(p);
    try {
      for await (const b of readEvidence(src, { file: p, onProblem: () => undefined })) expect(b.length).toBeGreaterThanOrEqual(0);
      expect(await src.sha256()).toBe(sha(zip));
      expect(src.diskBytes).toBe(zip.length);
    } finally {
      await src.close();
    }
  });

  it('hashes the whole file when the reader skipped ranges, reading only the gaps', async () => {
    const bytes = inputs.find(([k]) => k === 'regf-headed')?.[1] ?? new Uint8Array(0);
    const p = write('skipped.bin', bytes);
    const block = 64 * 1024;
    const src = await openReadOnceSource(p, { blockSize: block, readAhead: 0, cacheBlocks: 2 });
    try {
      // the end first, then a middle range, then the start, as an archive reader might
      await src.read(bytes.length - 100, 100);
      await src.read(20 * block + 5, 3 * block);
      await src.read(0, 10);
      expect(src.diskBytes).toBeLessThan(bytes.length / 4);
      expect(await src.sha256()).toBe(sha(bytes));
      // the blocks once; the two small reads away from the stream took only their own 110 bytes
      expect(src.diskBytes).toBe(bytes.length + 110);
    } finally {
      await src.close();
    }
  });

  it('reads a header scan across the file (40 bytes per chunk, as the live-copy check does) without a second pass', async () => {
    const bytes = evtx.bytes;
    const p = write('header-scan.evtx', bytes);
    const src = await openReadOnceSource(p, { blockSize: 256 * 1024 });
    try {
      const chunk = 65536;
      const chunks = Math.floor((bytes.length - 4096) / chunk);
      expect(chunks).toBeGreaterThan(12);
      await src.read(0, 4096);
      await src.read(4096, chunk);
      let scanned = 0;
      for (let i = 0; i < chunks; i++) scanned += (await src.read(4096 + i * chunk, 40)).length;
      for (let i = 1; i < chunks; i++) await src.read(4096 + i * chunk, chunk);
      expect(await src.sha256()).toBe(sha(bytes));
      // at most the file plus the headers read alone (was twice the file with a block per header)
      expect(src.diskBytes).toBeLessThanOrEqual(bytes.length + scanned);
    } finally {
      await src.close();
    }
  });

  it('still hashes right when out-of-order blocks exceed what may be held (they are read again)', async () => {
    const bytes = inputs.find(([k]) => k === 'regf-headed')?.[1] ?? new Uint8Array(0);
    const p = write('unheld.bin', bytes);
    const block = 64 * 1024;
    const src = await openReadOnceSource(p, { blockSize: block, readAhead: 0, maxHeldBytes: 0 });
    try {
      for (let k = Math.ceil(bytes.length / block) - 1; k >= 0; k -= 3) {
        const got = await src.read(k * block, block);
        expect(sha(got)).toBe(sha(bytes.subarray(k * block, (k + 1) * block)));
      }
      expect(await src.sha256()).toBe(sha(bytes));
      expect(src.diskBytes).toBeGreaterThan(bytes.length);
    } finally {
      await src.close();
    }
  });

  it('serves reads that span blocks byte for byte', async () => {
    const bytes = inputs.find(([k]) => k === 'regf-headed')?.[1] ?? new Uint8Array(0);
    const p = write('spans.bin', bytes);
    const src = await openReadOnceSource(p, { blockSize: 4096 });
    try {
      for (const [off, len] of [[4000, 200], [0, 100_000], [bytes.length - 5000, 10_000], [123_457, 65_536]]) {
        expect(sha(await src.read(off, len))).toBe(sha(bytes.subarray(off, Math.min(bytes.length, off + len))));
      }
    } finally {
      await src.close();
    }
  });

  it('asks the disk for the next blocks while the caller decodes the current one (read-ahead)', async () => {
    const p = write('ahead.evtx', evtx.bytes);
    const block = 64 * 1024;
    const src = await openReadOnceSource(p, { blockSize: block, readAhead: 2 });
    try {
      await src.read(0, 4096);
      // the caller decodes; the read-ahead lands meanwhile without being asked for
      for (let i = 0; i < 50 && src.diskBytes < 3 * block; i++) await new Promise((r) => setTimeout(r, 5));
      expect(src.diskBytes).toBe(Math.min(evtx.bytes.length, 3 * block));
      // blocks 1 and 2 are in memory before the reader asks: the reads are served with no disk wait
      const served = await src.read(block, 2 * block);
      expect(sha(served)).toBe(sha(evtx.bytes.subarray(block, 3 * block)));
    } finally {
      await src.close();
    }
  });

  it('reports no hash for a file that was truncated while it was read', async () => {
    const bytes = inputs.find(([k]) => k === 'regf-headed')?.[1] ?? new Uint8Array(0);
    const p = write('truncated.bin', bytes);
    const src = await openReadOnceSource(p, { blockSize: 64 * 1024, readAhead: 0 });
    try {
      await src.read(0, 100);
      truncateSync(p, 1024 * 1024);
      expect(await src.sha256()).toBeUndefined();
    } finally {
      await src.close();
    }
  });

  it('reports no hash through readEvidenceFile when the caller stops reading midway', async () => {
    const p = write('stopped.evtx', generated('evtx', 20000).bytes);
    let reported = false;
    for await (const b of readEvidenceFile(p, { onProblem: () => undefined, onSha256: () => (reported = true) })) {
      expect(b.length).toBeGreaterThan(0);
      break;
    }
    expect(reported).toBe(false);
  });

  it('reports undefined, not a digest, through readEvidenceFile when cancelled', async () => {
    const p = write('cancelled.evtx', generated('evtx', 20000).bytes);
    let batches = 0;
    let sha256: string | undefined = 'not called';
    for await (const b of readEvidenceFile(p, { onProblem: () => undefined, isCancelled: () => batches > 0, onSha256: (h) => (sha256 = h) })) batches += b.length > 0 ? 1 : 0;
    expect(batches).toBeGreaterThan(0);
    expect(sha256).toBeUndefined();
  });
});
