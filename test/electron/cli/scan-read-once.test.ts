// The CLI scan hashes what it parses: the report's SHA-256 is the evidence file's, and the file is
// read from disk once (no second read to hash it: before, a scan read every file twice). Bytes read
// are counted on Node's FileHandle.read, through which the evidence is read. Evidence: the
// project's generator (scenario living-off-the-land, seed 1, 20,000 events, EVTX).
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { generateToMemory } from '../../../shared/generator/generate';
import { runScanCaptured } from './run-scan';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('scan reads each evidence file once', () => {
  it('reports the SHA-256 of the EVTX it parsed while reading it from disk exactly once', async () => {
    const { files } = generateToMemory({ scenario: 'living-off-the-land', seed: 1, format: 'evtx', events: 20000 });
    const [name, bytes] = [...files].filter(([n]) => n.endsWith('.evtx')).sort((a, b) => b[1].length - a[1].length)[0];
    const dir = mkdtempSync(join(tmpdir(), 'rkh-scan-once-'));
    const path = join(dir, name);
    writeFileSync(path, bytes);

    const probe = await open(path, 'r');
    const proto = Object.getPrototypeOf(probe) as { read: (...a: unknown[]) => Promise<{ bytesRead: number }> };
    await probe.close();
    const original = proto.read;
    let bytesRead = 0;
    vi.spyOn(proto, 'read').mockImplementation(async function (this: unknown, ...a: unknown[]) {
      const r = await original.apply(this, a);
      bytesRead += r.bytesRead;
      return r;
    });
    const t0 = Date.now();
    const r = await runScanCaptured([path]);
    vi.restoreAllMocks();
    expect(r.code === 0 || r.code === 1).toBe(true);
    const report = JSON.parse(r.out) as { inputs: { file: string; sha256?: string; records: number }[] };
    expect(report.inputs).toHaveLength(1);
    expect(report.inputs[0].sha256).toBe(createHash('sha256').update(readFileSync(path)).digest('hex'));
    expect(report.inputs[0].records).toBeGreaterThan(4000);
    expect(bytes.length).toBeGreaterThan(4 * 1024 * 1024);
    // the file's size, no more (was twice: the reader's pass, then sha256File's)
    expect(bytesRead).toBe(bytes.length);
    expect(Date.now() - t0).toBeLessThan(60_000);
  });
});
