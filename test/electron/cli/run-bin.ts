// Runs the real bin (bin/runkey-hunter.mjs, the TypeScript CLI through tsx) as a child process and
// captures its exit code, stdout and stderr. `fileSizeBlocks` runs it under `ulimit -f` (1 KiB
// blocks), so a write past that size fails with EFBIG the way a full disk fails it.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT } from '../../samples';

export const BIN = join(REPO_ROOT, 'bin', 'runkey-hunter.mjs');

export interface BinRun { code: number; stdout: string; stderr: string }

export function runBin(args: readonly string[], opts: { fileSizeBlocks?: number } = {}): Promise<BinRun> {
  const [cmd, argv] = opts.fileSizeBlocks === undefined
    ? [process.execPath, [BIN, ...args]]
    : ['/bin/sh', ['-c', `ulimit -f ${opts.fileSizeBlocks} && exec "$0" "$@"`, process.execPath, BIN, ...args]];
  return new Promise((resolve) => {
    execFile(cmd, argv, { maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}
