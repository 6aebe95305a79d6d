// Every Node entry installs zlib.crc32 into the byte layer at start: the CLI (through the real bin,
// which names the CRC-32 in use on stderr under RUNKEY_HUNTER_EXPLAIN_START=1) and the ingest
// worker thread (whose module instances, hooks included, are its own).
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../samples';
import { BIN } from '../cli/run-bin';
import type { WorkerInit } from '../../../electron/workers/protocol';

/** This Node has zlib.crc32 (20.15+ / 22.2+); on an older one every entry stays 'pure'. */
const HAVE_ZLIB_CRC32 = typeof (await import('node:zlib')).crc32 === 'function';
const EXPECTED = HAVE_ZLIB_CRC32 ? 'native' : 'pure';

describe('native hooks in the Node entries', () => {
  it('the CLI runs with the native CRC-32', async () => {
    const stderr = await new Promise<string>((resolve, reject) => {
      execFile(process.execPath, [BIN, '--version'], { env: { ...process.env, RUNKEY_HUNTER_EXPLAIN_START: '1' } }, (err, _out, errText) =>
        err ? reject(err) : resolve(errText),
      );
    });
    expect(stderr.split('\n')).toContain(`runkey-hunter: crc32: ${EXPECTED}`);
  }, 120_000);

  it('the ingest worker thread installs the native CRC-32 when it starts', async () => {
    const init: WorkerInit = { cancel: new SharedArrayBuffer(4), progressIntervalMs: 100 };
    const w = new Worker(join(REPO_ROOT, 'test/electron/workers/fixtures/hooks-probe-worker.mjs'), { workerData: init });
    try {
      const probe = await new Promise<unknown>((resolve, reject) => {
        w.on('message', (m: { type?: string }) => {
          if (m.type === 'hooks-probe') resolve(m);
        });
        w.on('error', reject);
      });
      expect(probe).toEqual({ type: 'hooks-probe', before: 'pure', after: EXPECTED });
    } finally {
      await w.terminate();
    }
  }, 60_000);
});
