// Worker jobs hash the bytes they parse: a whole-file job's SHA-256 is the file's and costs no read
// beyond the reader's own (bytes from disk = the file's size: before, the header and sniffed bytes
// were read again); a hash job alone hashes right; a cancelled job reports no hash. Evidence: the
// project's generator (scenario living-off-the-land, seed 1, 20,000 events, EVTX).
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { runJob, type JobSink } from '../../../electron/workers/run-job';
import type { Job } from '../../../electron/workers/protocol';
import { generateToMemory } from '../../../shared/generator/generate';

const { files } = generateToMemory({ scenario: 'living-off-the-land', seed: 1, format: 'evtx', events: 20000 });
const [name, bytes] = [...files].filter(([n]) => n.endsWith('.evtx')).sort((a, b) => b[1].length - a[1].length)[0];
const path = join(mkdtempSync(join(tmpdir(), 'rkh-job-hash-')), name);
writeFileSync(path, bytes);
const SHA = createHash('sha256').update(bytes).digest('hex');
const sink: JobSink = { progress: () => undefined, batch: () => undefined, problem: () => undefined };
const readJob: Job = { kind: 'read', jobId: 1, fileId: 'f', path, name, hash: true };

async function countingDiskReads(): Promise<() => number> {
  const probe = await open(path, 'r');
  const proto = Object.getPrototypeOf(probe) as { read: (...a: unknown[]) => Promise<{ bytesRead: number }> };
  await probe.close();
  const original = proto.read;
  let n = 0;
  vi.spyOn(proto, 'read').mockImplementation(async function (this: unknown, ...a: unknown[]) {
    const r = await original.apply(this, a);
    n += r.bytesRead;
    return r;
  });
  return () => n;
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('worker jobs hash what they read', () => {
  it('reports the file\'s SHA-256 for a whole-file job, reading it from disk exactly once', async () => {
    const read = await countingDiskReads();
    const out = await runJob(readJob, sink, () => false);
    expect(out.cancelled).toBe(false);
    expect(out.summary?.records).toBeGreaterThan(4000);
    expect(out.sha256).toBe(SHA);
    expect(read()).toBe(bytes.length);
  });

  it('hashes a file alone (hash job) to its SHA-256', async () => {
    const out = await runJob({ kind: 'hash', jobId: 2, fileId: 'f', path, name }, sink, () => false);
    expect(out.sha256).toBe(SHA);
  });

  it('reports no hash for a job cancelled midway', async () => {
    let batches = 0;
    const out = await runJob(readJob, { ...sink, batch: () => batches++ }, () => batches > 0, 100);
    expect(out.cancelled).toBe(true);
    expect(out.sha256).toBeUndefined();
  });
});
