// Spawns a test fixture script as a child node process (`node --import tsx`), the way a second
// host or the CLI would run against the same data folder, and waits for lines it prints.

import { spawn, type ChildProcessByStdio } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import { join } from 'node:path';
import { REPO_ROOT } from '../../samples';

export type Child = ChildProcessByStdio<Writable, Readable, null>;

export function spawnFixture(script: string, args: string[], env: NodeJS.ProcessEnv = process.env): Child {
  return spawn(process.execPath, ['--import', 'tsx', join(REPO_ROOT, script), ...args], { cwd: REPO_ROOT, stdio: ['pipe', 'pipe', 'inherit'], env });
}

/** Resolves with the first stdout line matching `re` (rejects when the child exits first or after `timeoutMs`). */
export function waitForLine(child: Child, re: RegExp, timeoutMs = 30_000): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    let buf = '';
    const timer = setTimeout(() => done(new Error(`no line matching ${re} within ${timeoutMs} ms; got: ${buf.slice(-500)}`)), timeoutMs);
    const onData = (d: Buffer) => {
      buf += d.toString();
      for (const line of buf.split('\n')) {
        const m = re.exec(line);
        if (m) return done(undefined, m);
      }
    };
    const onExit = (code: number | null) => done(new Error(`child exited (${code}) before a line matching ${re}; got: ${buf.slice(-500)}`));
    function done(err?: Error, m?: RegExpExecArray) {
      clearTimeout(timer);
      child.stdout.off('data', onData);
      child.off('exit', onExit);
      if (m) resolve(m);
      else reject(err ?? new Error('unreachable'));
    }
    child.stdout.on('data', onData);
    child.once('exit', onExit);
  });
}

/** SIGKILLs the child and waits until it is gone. */
export async function killHard(child: Child): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const gone = new Promise((r) => child.once('exit', r));
  child.kill('SIGKILL');
  await gone;
}

/** The pid of a process that has exited (so is known dead). */
export async function deadPid(): Promise<number> {
  const c = spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' });
  const pid = c.pid ?? 0;
  await new Promise((r) => c.once('exit', r));
  return pid;
}
