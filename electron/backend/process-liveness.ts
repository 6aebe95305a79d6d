// Is the process that left a file (a lock, a temp file, an upload folder) still running? A pid
// alone is not enough: pids are reused (in a container the app is often the same small pid after
// every restart), so where the system tells a process's start time (Linux: /proc/<pid>/stat) it is
// recorded beside the pid and compared; a zombie (killed, not yet reaped) counts as gone. Answers err on the side of "alive" when the system cannot
// tell (a process of another user answers EPERM: it exists), so nothing a live process owns is
// taken from it on a guess.

import { readFileSync } from 'node:fs';

/** A process as files name it: its pid and, where known, its start time (opaque, compared for equality). */
export interface ProcessIdentity {
  pid: number;
  start?: string;
}

interface ProcStat {
  /** One letter: R, S, D, Z (zombie: exited, not yet reaped), X (dead) … */
  state: string;
  start?: string;
}

/** Linux /proc/<pid>/stat, or undefined where it cannot be read (not Linux, no such pid, /proc not mounted). */
function procStat(pid: number): ProcStat | undefined {
  if (process.platform !== 'linux') return undefined;
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
  } catch (e) {
    // gone between the checks, or /proc not mounted: nothing to compare
    void e;
    return undefined;
  }
  // the command name (field 2) is in parentheses and may hold spaces or ')': fields resume after the last ')'
  const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const start = rest[19]; // field 22, starttime
  return start && /^\d+$/.test(start) ? { state: rest[0] ?? '', start } : { state: rest[0] ?? '' };
}

/** The start time of a process in clock ticks since boot (Linux), or undefined where it cannot be read. */
export function processStartTime(pid: number): string | undefined {
  return procStat(pid)?.start;
}

let own: ProcessIdentity | undefined;

export function ownIdentity(): ProcessIdentity {
  if (!own) {
    const start = processStartTime(process.pid);
    own = start ? { pid: process.pid, start } : { pid: process.pid };
  }
  return own;
}

/** False only when the process is known to be gone: no such pid, or the pid now names a process started at another time. */
export function isProcessAlive(who: ProcessIdentity): boolean {
  if (!Number.isSafeInteger(who.pid) || who.pid <= 0) return false;
  try {
    process.kill(who.pid, 0);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ESRCH') return false;
    if (code !== 'EPERM') throw e;
  }
  const now = procStat(who.pid);
  if (now === undefined) return true;
  // a killed process whose parent has not reaped it yet still answers kill(0), but is gone
  if (now.state === 'Z' || now.state === 'X') return false;
  return who.start === undefined || now.start === undefined || now.start === who.start;
}
