// Runs the real bin (bin/runkey-hunter.mjs) as a child process, as users run it: from the CLI's
// bundle (dist/hosts/cli.mjs), rebuilt from the sources first when any of them changed (see
// scripts/host-bundle.mjs and host-bundle.test.ts), so these tests see the tree's sources through
// what `npx runkey-hunter` executes. It captures its exit code, stdout and stderr. `fileSizeBlocks` runs it under `ulimit -f` (1 KiB
// blocks), so a write past that size fails with EFBIG the way a full disk fails it.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT } from '../../samples';

export const BIN = join(REPO_ROOT, 'bin', 'runkey-hunter.mjs');

export interface BinRun { code: number; stdout: string; stderr: string }

export function runBin(args: readonly string[], opts: { fileSizeBlocks?: number; maxBuffer?: number } = {}): Promise<BinRun> {
  const [cmd, argv] = opts.fileSizeBlocks === undefined
    ? [process.execPath, [BIN, ...args]]
    : ['/bin/sh', ['-c', `ulimit -f ${opts.fileSizeBlocks} && exec "$0" "$@"`, process.execPath, BIN, ...args]];
  return new Promise((resolve) => {
    execFile(cmd, argv, { maxBuffer: opts.maxBuffer ?? 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

export interface NdjsonRun { code: number; lines: Record<string, unknown>[]; stderr: string }

/** runBin for the commands that print NDJSON (hive, events): stdout parsed a line at a time, up to 256 MiB of it. */
export async function runBinNdjson(args: readonly string[]): Promise<NdjsonRun> {
  const r = await runBin(args, { maxBuffer: 256 * 1024 * 1024 });
  return { code: r.code, lines: r.stdout.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Record<string, unknown>), stderr: r.stderr };
}
