// Starts the real browser host (`npm run serve` entry) for the UI tests: a fresh data folder per
// start (so baselines do not leak between tests), any free port, no browser opened. The URL with
// the per-run token is the first line the host prints. The renderer is built once per test run.

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');

let built: string | undefined;

/** Builds the renderer into a folder of this test run's own (dist/renderer may be rebuilt by others meanwhile). */
export function buildRenderer(): string {
  if (built) return built;
  const out = mkdtempSync(join(tmpdir(), 'runkey-ui-build-'));
  const r = spawnSync('npx', ['vite', 'build', '--logLevel', 'error', '--outDir', out, '--emptyOutDir'], { cwd: REPO_ROOT, stdio: 'inherit' });
  if (r.status !== 0) throw new Error('vite build of the renderer failed');
  built = out;
  return out;
}

export interface RunningHost {
  url: string;
  origin: string;
  dataDir: string;
  stop(): Promise<void>;
}

export async function startHost(extraArgs: string[] = []): Promise<RunningHost> {
  const staticDir = buildRenderer();
  const dataDir = mkdtempSync(join(tmpdir(), 'runkey-ui-test-'));
  const child: ChildProcess = spawn(
    process.execPath,
    ['--single-threaded-gc', '--import', 'tsx', 'electron/browser-host/serve.ts', '--no-open', '--no-build', '--port', '0', '--data-dir', dataDir, '--static-dir', staticDir, '--workers', '1', ...extraArgs],
    { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (d) => (stderr += String(d)));
  const url = await new Promise<string>((res, rej) => {
    let out = '';
    const timer = setTimeout(() => rej(new Error(`the browser host did not print its URL in 30 s; stderr: ${stderr}`)), 30_000);
    child.stdout?.on('data', (d) => {
      out += String(d);
      const line = out.split('\n')[0];
      if (out.includes('\n') && line.startsWith('http')) {
        clearTimeout(timer);
        res(line.trim());
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      rej(new Error(`the browser host exited (${code}) before printing its URL; stderr: ${stderr}`));
    });
  });
  return {
    url,
    origin: new URL(url).origin,
    dataDir,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
