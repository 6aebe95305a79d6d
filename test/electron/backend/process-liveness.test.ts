// Telling whether the owner of a leftover is still running: a running pid is alive, an exited one
// is not, a pid whose start time differs from the one recorded is a reused pid (not the owner),
// and a zombie (exited, never reaped by its parent) is gone.

import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { isProcessAlive, ownIdentity, processStartTime } from '../../../electron/backend/process-liveness';
import { deadPid } from './spawn-fixture';

describe('process liveness', () => {
  it('this process is alive under its own identity; an exited pid is not', async () => {
    expect(isProcessAlive(ownIdentity())).toBe(true);
    expect(isProcessAlive({ pid: await deadPid() })).toBe(false);
    expect(isProcessAlive({ pid: 0 })).toBe(false);
    expect(isProcessAlive({ pid: -5 })).toBe(false);
  });

  it.skipIf(process.platform !== 'linux')('a live pid started at another time than recorded is a reused pid, not the owner', () => {
    const start = processStartTime(process.pid);
    expect(start).toMatch(/^\d+$/);
    expect(isProcessAlive({ pid: process.pid, start: String(Number(start) + 1) })).toBe(false);
  });

  it.skipIf(process.platform !== 'linux')('a zombie (exited, not reaped by its parent) is gone', async () => {
    // sh starts a child that exits shortly, then becomes `sleep 10`, which never reaps it
    const sh = spawn('sh', ['-c', 'sleep 0.2 & echo $!; exec sleep 10'], { stdio: ['ignore', 'pipe', 'ignore'] });
    try {
      const pid = Number(await new Promise<string>((resolve) => sh.stdout.once('data', (d: Buffer) => resolve(d.toString().trim()))));
      // wait until it has exited (its /proc entry then says Z)
      for (let i = 0; i < 100 && processStartTime(pid) !== undefined && isProcessAlive({ pid }); i++) await new Promise((r) => setTimeout(r, 20));
      expect(() => process.kill(pid, 0)).not.toThrow(); // the zombie still answers a signal check
      expect(isProcessAlive({ pid })).toBe(false);
    } finally {
      sh.kill('SIGKILL');
    }
  });
});
